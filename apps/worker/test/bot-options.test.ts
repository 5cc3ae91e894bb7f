/** The bot node's config as the virtual agent's options (pure mapping). */
import { botConfigSchema, botTextsSchema } from '@tandem/flow';
import { botTextsSchema as agentTexts, parseBotOptions } from '@tandem/virtual-agent';
import { botOptionsFor } from '../src/nodes/bot/activities';

describe('the bot node\'s config as the virtual agent\'s options', () => {
  it('offers every sentence the virtual agent says (bar the ones the flow says itself) for the designer to change', () => {
    const flowTexts = Object.keys(botTextsSchema.shape).sort();
    const agent = Object.keys(agentTexts.shape);
    for (const name of flowTexts) expect(agent).toContain(name);
    // The greeting is the node's `greeting`, the fallback its `fallbackMessage`; slotsComplete is no longer said.
    expect(agent.filter((n) => !flowTexts.includes(n)).sort()).toEqual(['fallback', 'greeting', 'slotsComplete']);
  });

  it('passes the texts the designer changed, intents that resolve, required slots and the flow\'s hatch triggers', () => {
    const config = botConfigSchema.parse({
      intents: [{ name: 'store.hours', phrases: ['a', 'b', 'c'], answer: 'Nine to five.', resolves: true }],
      slots: [{ name: 'order', entity: 'order_number', prompt: 'Your order number?', required: false }],
      texts: { escalating: 'A colleague will take over.' },
      escalateOn: ['human_request'],
    });
    const options = parseBotOptions(botOptionsFor('bot', config, ['legal_threat']));
    expect(options.texts.escalating).toBe('A colleague will take over.');
    expect(options.texts.fallback).toBe(config.fallbackMessage);
    expect(options.intents).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'store_hours', reply: 'Nine to five.', resolves: true })]));
    expect(options.slots[0]).toMatchObject({ name: 'order', required: false, maxReprompts: 0 });
    expect([...options.escalateOn].sort()).toEqual(['human_request', 'legal_threat']);
  });

  it('passes how patient the bot is — clarifications, the offer of a person, the limits that hand over as bot_failure — with the virtual agent\'s defaults as the node\'s', () => {
    const limits = (o: { clarifyLimit: number; offerPerson: boolean; fallbackLimit: number; failureLimit: number }) => ({ clarifyLimit: o.clarifyLimit, offerPerson: o.offerPerson, fallbackLimit: o.fallbackLimit, failureLimit: o.failureLimit });
    const set = parseBotOptions(botOptionsFor('bot', botConfigSchema.parse({ clarifyLimit: 0, offerPerson: false, fallbackLimit: 5, failureLimit: 1 })));
    expect(limits(set)).toEqual({ clarifyLimit: 0, offerPerson: false, fallbackLimit: 5, failureLimit: 1 });
    const agentDefaults = limits(parseBotOptions({ nodeId: 'bot' }));
    expect(limits(parseBotOptions(botOptionsFor('bot', botConfigSchema.parse({}))))).toEqual(agentDefaults);
    // A plan compiled before the settings existed has none of them: the same behaviour as before.
    const { clarifyLimit: _c, offerPerson: _o, fallbackLimit: _f, failureLimit: _l, ...older } = botConfigSchema.parse({});
    expect(limits(parseBotOptions(botOptionsFor('bot', older as never)))).toEqual(agentDefaults);
  });
});
