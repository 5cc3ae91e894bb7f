/**
 * Benchmark: training time and per-turn latency (p50 / p99) of a 50-intent bot, and resident memory.
 * Goal: p99 under 20 ms per turn. `npm run bench -w @tandem/virtual-agent`
 *
 * The 50 intents are the default CX set plus synthetic intents generated here (for the benchmark
 * only) from templates, so the model has a realistic vocabulary size. Turns replay the evaluation
 * messages as short conversations through `runBotTurn`, state carried between turns as the worker does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CIRCUMSTANCES_INTENT,
  clearIntentModelCache,
  DEFAULT_CX_INTENTS,
  getIntentModel,
  IntentModel,
  OUT_OF_SCOPE_INTENT,
  runBotTurn,
  type BotOptionsInput,
  type ConversationState,
} from '../src';
import { analyzeMessage } from '../src/analyze';
import { loadMessages } from '../eval/evaluation';

const NOUNS = [
  'gift card', 'loyalty points', 'warranty', 'insurance claim', 'voucher', 'subscription box', 'mobile data', 'roaming', 'sim card', 'router',
  'smart meter', 'boiler cover', 'pet policy', 'car lease', 'mortgage', 'savings account', 'credit limit', 'overdraft', 'standing order', 'cheque book',
  'travel money', 'parking permit', 'gym class', 'locker', 'prescription', 'eye test', 'hearing aid', 'school meals', 'bin collection', 'council tax',
  'water meter', 'solar panels', 'heat pump', 'ev charger', 'broadband speed', 'tv package', 'streaming add on', 'device trade in', 'screen repair', 'battery swap',
];
const VERBS = ['check', 'renew', 'upgrade', 'transfer', 'activate', 'claim', 'top up', 'register', 'report a problem with', 'get a quote for'];
const TEMPLATES = [
  'I want to {verb} my {noun}',
  'how do I {verb} the {noun}',
  'can you help me {verb} a {noun}',
  '{verb} {noun} please',
  'is it possible to {verb} my {noun} today',
  'I need to {verb} my {noun} urgently',
  'what do I do to {verb} a {noun}',
  'help with my {noun}',
  'question about the {noun}',
  'my {noun} needs attention',
  'where can I {verb} my {noun} online',
  'tell me how to {verb} the {noun}',
];

function syntheticIntents(count: number): NonNullable<BotOptionsInput['intents']> {
  return Array.from({ length: count }, (_, i) => {
    const noun = NOUNS[i % NOUNS.length]!;
    const verb = VERBS[i % VERBS.length]!;
    return {
      name: `synthetic_${noun.replace(/\W+/g, '_')}`,
      phrases: TEMPLATES.map((t) => t.replace('{noun}', noun).replace('{verb}', verb)),
    };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function timeTraining(spec: Parameters<typeof getIntentModel>[0], runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    clearIntentModelCache();
    const started = performance.now();
    await getIntentModel(spec);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

/** Loading a saved model (the `TANDEM_VA_MODEL_CACHE_DIR` path a restarted worker takes), median of `runs`. */
async function timeCacheLoad(spec: Parameters<typeof getIntentModel>[0], runs: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'va-bench-models-'));
  try {
    await IntentModel.train(spec, { cacheDir: dir });
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const model = await IntentModel.train(spec, { cacheDir: dir });
      if (model.source !== 'cache') throw new Error('the model cache was not used');
      times.push(model.trainingMs);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rssStart = process.memoryUsage().rss;
  const defaultCount = DEFAULT_CX_INTENTS.filter((i) => i.name !== OUT_OF_SCOPE_INTENT && i.name !== CIRCUMSTANCES_INTENT).length;
  const extra = syntheticIntents(50 - defaultCount);
  const options: BotOptionsInput = { intents: extra, maxTurns: 20, lowConfidenceLimit: 10, escalateOn: [] };
  const spec = { useDefaultIntents: true, intents: extra };
  const phrases = [...DEFAULT_CX_INTENTS, ...extra].reduce((n, i) => n + i.phrases.length, 0);
  console.log(`virtual-agent benchmark — ${new Date().toISOString()}, node ${process.version}, ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`model: ${defaultCount + extra.length} intents + the out-of-scope and circumstances classes, ${phrases} training phrases`);

  const baseline = await timeTraining({ useDefaultIntents: true, intents: [] }, 3);
  const training = await timeTraining(spec, 3);
  console.log(`training (median of 3): 50 intents ${ms(training[1]!)}  [${training.map(ms).join(', ')}]; default ${defaultCount}-intent set ${ms(baseline[1]!)} (ratio ${(training[1]! / baseline[1]!).toFixed(2)})`);
  const loadDefault = await timeCacheLoad({ useDefaultIntents: true, intents: [] }, 3);
  const load = await timeCacheLoad(spec, 3);
  console.log(`loading a saved model instead (TANDEM_VA_MODEL_CACHE_DIR, median of 3): 50 intents ${ms(load)}; default set ${ms(loadDefault)}`);
  const rssTrained = process.memoryUsage().rss;

  const texts = [...loadMessages('messages.jsonl'), ...loadMessages('held-out.jsonl')].map((m) => m.text);
  const synthetic = extra.map((i) => i.phrases[2]!.replace('can you help me', 'could you help me'));
  const messages = [...texts, ...synthetic];
  const model = await getIntentModel(spec);
  const now = '2026-03-04T10:00:00Z';

  // Baseline in the same run: NLU analysis alone (NLP.js + entities + sentiment + triggers).
  const nluTimes: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    for (const text of messages) {
      const started = performance.now();
      await analyzeMessage(model, text, { confidenceThreshold: 0.5, messageIndex: 0, now: new Date(now) });
      if (round > 0) nluTimes.push(performance.now() - started);
    }
  }

  const turnTimes: number[] = [];
  let state: ConversationState | null = null;
  let inConversation = 0;
  for (let round = 0; round < 5; round += 1) {
    for (const message of messages) {
      const started = performance.now();
      const turn = await runBotTurn({ options, state, message, now });
      const elapsed = performance.now() - started;
      if (round > 0) turnTimes.push(elapsed); // round 0 warms the JIT and the caches
      inConversation += 1;
      state = turn.outcome === 'continue' && inConversation < 4 ? turn.state : null;
      if (state === null) inConversation = 0;
    }
  }
  nluTimes.sort((a, b) => a - b);
  turnTimes.sort((a, b) => a - b);
  console.log(`NLU analysis only: p50 ${ms(percentile(nluTimes, 50))}  p99 ${ms(percentile(nluTimes, 99))}  (${nluTimes.length} messages)`);
  console.log(
    `bot turn (runBotTurn): p50 ${ms(percentile(turnTimes, 50))}  p99 ${ms(percentile(turnTimes, 99))}  max ${ms(turnTimes.at(-1)!)}  (${turnTimes.length} turns; goal p99 < 20 ms: ${percentile(turnTimes, 99) < 20 ? 'met' : 'NOT met'})`,
  );
  const usage = process.memoryUsage();
  console.log(`resident memory: ${mb(rssStart)} at start, ${mb(rssTrained)} after training, ${mb(usage.rss)} after the turns (heap used ${mb(usage.heapUsed)})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
