import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CIRCUMSTANCES_INTENT,
  clearIntentModelCache,
  extractDates,
  getIntentModel,
  IntentModel,
  intentModelKey,
  KnowledgeBase,
  MODEL_CACHE_DIR_ENV,
  scoreSentiment,
  sentimentTrend,
  splitClauses,
} from '../src';
import { analyzeMessage } from '../src/analyze';

const now = new Date('2026-03-04T10:00:00Z'); // a Wednesday

describe('intent model', () => {
  it('trains deterministically: two trainings export the same model', async () => {
    const a = await IntentModel.train({ useDefaultIntents: true, intents: [] });
    const b = await IntentModel.train({ useDefaultIntents: true, intents: [] });
    expect(a.export()).toEqual(b.export());
  });

  it('caches one model per configuration hash, whatever the phrase order', async () => {
    clearIntentModelCache();
    const spec = { useDefaultIntents: true, intents: [{ name: 'loyalty_points', phrases: ['how many points do I have', 'points balance'] }] };
    const reordered = { useDefaultIntents: true, intents: [{ name: 'loyalty_points', phrases: ['points balance', 'how many points do I have'] }] };
    expect(intentModelKey(spec)).toBe(intentModelKey(reordered));
    const [m1, m2] = await Promise.all([getIntentModel(spec), getIntentModel(reordered)]);
    expect(m1).toBe(m2);
    expect(await getIntentModel({ useDefaultIntents: true, intents: [] })).not.toBe(m1);
  });

  it('saves trained models to a model cache directory and loads them in a later process, with identical results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'va-models-'));
    const spec = { useDefaultIntents: true, intents: [{ name: 'loyalty_points', phrases: ['how many points do I have', 'points balance', 'reward points'] }] };
    const texts = ['how many reward points have I got', 'Order AB-123456 never came, I paid £20', 'my father died and I need to close his account', 'who painted the sistine chapel'];
    const options = { confidenceThreshold: 0.5, messageIndex: 0, now };
    const file = (key: string) => join(dir, `${key}.nlp.json`);
    try {
      const trained = await IntentModel.train(spec, { cacheDir: dir });
      expect(trained.source).toBe('trained');
      expect(readdirSync(dir)).toEqual([`${trained.key}.nlp.json`]);
      const loaded = await IntentModel.train(spec, { cacheDir: dir });
      expect(loaded.source).toBe('cache');
      for (const text of texts) expect(await analyzeMessage(loaded, text, options)).toEqual(await analyzeMessage(trained, text, options));

      // A corrupt file (a crash mid-write elsewhere, a full disk) costs a training, never a wrong model.
      writeFileSync(file(trained.key), '{"settings": {"tag": "nlp"}, "nluManager": ');
      const retrained = await IntentModel.train(spec, { cacheDir: dir });
      expect(retrained.source).toBe('trained');
      expect(retrained.export()).toEqual(trained.export());
      expect((await IntentModel.train(spec, { cacheDir: dir })).source).toBe('cache');

      // getIntentModel uses the directory named by the environment.
      process.env[MODEL_CACHE_DIR_ENV] = dir;
      clearIntentModelCache();
      const fromEnv = await getIntentModel({ useDefaultIntents: true, intents: [] });
      expect(readdirSync(dir)).toContain(`${fromEnv.key}.nlp.json`);
    } finally {
      delete process.env[MODEL_CACHE_DIR_ENV];
      clearIntentModelCache();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('learns a bot node’s extra intent and reports alternatives and none', async () => {
    const model = await getIntentModel({
      useDefaultIntents: true,
      intents: [{ name: 'loyalty_points', phrases: ['how many loyalty points do I have', 'check my points balance', 'points on my card', 'reward points total'] }],
    });
    const points = await analyzeMessage(model, 'what is my loyalty points balance', { confidenceThreshold: 0.5, messageIndex: 0, now });
    expect(points.intent).toBe('loyalty_points');
    const offTopic = await analyzeMessage(model, 'who painted the sistine chapel', { confidenceThreshold: 0.5, messageIndex: 0, now });
    expect(offTopic.intent).toBe('none');
    const multi = await analyzeMessage(model, 'I want a refund and also need to change my address', { confidenceThreshold: 0.5, messageIndex: 0, now });
    expect([multi.intent, ...multi.alternatives.map((a) => a.intent)]).toEqual(expect.arrayContaining(['refund', 'address_change']));
  });
});

describe('multi-intent messages and circumstances', () => {
  const analyze = async (text: string) =>
    analyzeMessage(await getIntentModel({ useDefaultIntents: true, intents: [] }), text, { confidenceThreshold: 0.5, messageIndex: 0, now });

  it('splits a message into clauses at sentence ends and request connectives, not at every "and"', () => {
    expect(splitClauses('I need to reset my password, and also what time do you open on Sunday?')).toEqual(['I need to reset my password', 'what time do you open on Sunday?']);
    expect(splitClauses('Good afternoon, my parcel is two days late')).toEqual(['Good afternoon', 'my parcel is two days late']);
    expect(splitClauses('What are the terms and conditions of the contract?')).toEqual(['What are the terms and conditions of the contract?']);
    expect(splitClauses('could you also tell me how to pay')).toEqual(['could you also tell me how to pay']);
    expect(splitClauses('ok.')).toEqual(['ok.']);
  });

  it('reports every request of a multi-intent message, in the order they were made', async () => {
    const a = await analyze('I need to reset my password, and also what time do you open on Sunday?');
    expect(a.requests.map((r) => r.intent)).toEqual(['password_reset', 'opening_hours']);
    expect(['password_reset', 'opening_hours']).toContain(a.intent);
    expect(a.alternatives.map((x) => x.intent)).toContain(a.intent === 'password_reset' ? 'opening_hours' : 'password_reset');
  });

  it('does not let a greeting in front of a request take the intent', async () => {
    const a = await analyze('Good afternoon, my parcel is two days late');
    expect(a.intent).toBe('order_status');
    expect(a.requests.map((r) => r.intent)).toEqual(['order_status']);
  });

  it('reports circumstances told without a request as none, with the vulnerable-customer trigger; a request with them wins', async () => {
    const told = await analyze('my brother died in a car accident last month');
    expect(told.intent).toBe('none');
    expect(told.requests).toEqual([]);
    expect(told.triggers).toEqual([expect.objectContaining({ kind: 'vulnerable_customer', detail: 'bereavement' })]);
    const model = await getIntentModel({ useDefaultIntents: true, intents: [] });
    expect(model.classify(await model.process('my brother died in a car accident last month'), 0.5, 'my brother died in a car accident last month').top.intent).toBe(
      CIRCUMSTANCES_INTENT,
    );
    const asked = await analyze('my brother died in a car accident last month and I need to close his account');
    expect(asked.intent).toBe('cancel_service');
    expect(asked.topics).toEqual(expect.arrayContaining(['vulnerable_customer:bereavement']));
  });
});

describe('entities', () => {
  it('extracts order numbers, emails, phone numbers and amounts through NLP.js NER rules', async () => {
    const model = await getIntentModel({ useDefaultIntents: true, intents: [] });
    const a = await analyzeMessage(model, 'Order AB-123456 cost £49.99, email me at Jo.Doe@example.com or call +44 7700 900123', {
      confidenceThreshold: 0.5,
      messageIndex: 4,
      now,
    });
    const byType = Object.fromEntries(a.entities.map((e) => [e.type, e.value]));
    expect(byType).toMatchObject({ order_number: 'AB123456', amount: '49.99 GBP', email: 'jo.doe@example.com', phone: '+447700900123' });
    expect(a.entities.every((e) => e.messageIndex === 4)).toBe(true);
    const b = await analyzeMessage(model, 'where is order 7781920, I paid 120 dollars', { confidenceThreshold: 0.5, messageIndex: 0, now });
    expect(b.entities).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'order_number', value: '7781920' }), expect.objectContaining({ type: 'amount', value: '120.00 USD' })]));
  });

  it('resolves relative dates against now, not the clock', () => {
    expect(extractDates('it was due yesterday', 0, { now }).map((e) => e.value)).toEqual(['2026-03-03']);
    expect(extractDates('can you come next Monday?', 0, { now }).map((e) => e.value)).toEqual(['2026-03-09']);
    expect(extractDates('on 12 March at 3pm', 0, { now }).map((e) => e.value)).toEqual(['2026-03-12T15:00']);
    expect(extractDates('no dates here', 0, { now })).toEqual([]);
  });
});

describe('sentiment', () => {
  it('separates frustrated messages from calm ones, beyond the NLP.js lexicon', () => {
    expect(scoreSentiment('THIS IS RIDICULOUS, still no refund!!!', { score: 0, average: 0, numWords: 5, numHits: 0, vote: 'neutral' })).toBeLessThan(-0.6);
    expect(scoreSentiment('thanks, that is great', { score: 1, average: 0.2, numWords: 4, numHits: 1, vote: 'positive' })).toBeGreaterThan(0.3);
    expect(Math.abs(scoreSentiment('what are your opening hours', undefined))).toBeLessThan(0.2);
  });

  it('reports a trend over the conversation', () => {
    expect(sentimentTrend([0.2, 0, -0.5, -0.7]).direction).toBe('worsening');
    expect(sentimentTrend([-0.6, -0.2, 0.4]).direction).toBe('improving');
    expect(sentimentTrend([0.1]).direction).toBe('stable');
  });
});

describe('knowledge base', () => {
  it('finds the shipped article for a question, helped by the recognised intent', () => {
    const kb = KnowledgeBase.default();
    expect(kb.search('how long do refunds take to reach my card')[0]?.article.id).toBe('kb-refund-policy');
    const hours = kb.search('what time do you shut on sunday', { intent: 'opening_hours' })[0];
    expect(hours?.article.id).toBe('kb-opening-hours');
    expect(hours!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(kb.search('the of and')).toEqual([]);
  });

  it('accepts a custom knowledge base and rejects duplicate ids with the offending index', () => {
    const kb = new KnowledgeBase([{ id: 'pets', title: 'Pets in store', body: 'Dogs on a lead are welcome in all our stores.', tags: ['pets'] }]);
    expect(kb.search('can I bring my dog')[0]?.article.id).toBe('pets');
    expect(() => new KnowledgeBase([{ id: 'a', title: 't', body: 'b' }, { id: 'a', title: 't2', body: 'b2' }])).toThrow(/articles\[1\]\.id/);
    expect(() => new KnowledgeBase([{ id: '', title: 't', body: 'b' }])).toThrow(/articles\.0\.id/);
  });
});

describe('classifyMessage (the classify node)', () => {
  it('returns the nlu snapshot flows branch on, with message-level triggers', async () => {
    const { classifyMessage, preloadBotModels } = await import('../src');
    await preloadBotModels([{}]);
    const { nlu, analysis } = await classifyMessage({ message: 'I am going to take you to court over this bill', now: '2026-03-04T10:00:00Z' });
    expect(nlu.triggers).toContain('legal_threat');
    expect(nlu.topics).toContain('legal_threat');
    expect(analysis.triggers.find((t) => t.kind === 'legal_threat')?.evidence[0]?.words).toEqual(['take you to court']);
    await expect(classifyMessage({ message: '', now: '2026-03-04T10:00:00Z' })).rejects.toThrow(/message: expected non-empty text/);
  });
});
