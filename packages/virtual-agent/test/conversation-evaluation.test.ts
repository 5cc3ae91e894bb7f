/**
 * The conversation-level evaluation (issue 19): the labelled conversations are well formed and cover
 * the five example flows and the observations, and the bot, through the bot-level stand-in of
 * each flow, meets the acceptance figures on the development set. The held-out set's figures are
 * asserted as measured, so they cannot get worse unnoticed; it is never tuned on.
 */
import { evaluateConversations, type ConversationFigures } from '../eval/conversations/evaluate';
import { loadConversations, type LabelledConversation } from '../eval/conversations/format';

const dev = loadConversations('dev.jsonl');
const heldOut = loadConversations('heldout.jsonl');
const FLOWS = ['ai-first-human-backup', 'after-hours', 'overflow-on-queue-wait', 'human-first-ai-assist', 'parallel-ai-and-human'];

const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);

describe('the labelled conversations', () => {
  it('are at least 100, at least 30 held out, across the five example flows, with unique ids and splits that match their file', () => {
    const all: LabelledConversation[] = [...dev, ...heldOut];
    expect(all.length).toBeGreaterThanOrEqual(100);
    expect(heldOut.length).toBeGreaterThanOrEqual(30);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    expect(dev.every((c) => c.split === 'dev') && heldOut.every((c) => c.split === 'heldout')).toBe(true);
    for (const set of [dev, heldOut]) expect([...new Set(set.map((c) => c.flow))].sort()).toEqual([...FLOWS].sort());
  });

  it('cover the issue\'s observations the bot and the example flows can show (all but #12, a decision rule the examples do not have)', () => {
    const observed = new Set([...dev, ...heldOut].flatMap((c) => [...c.id.matchAll(/obs(\d\d)/g)].map((m) => Number(m[1]))));
    expect([...observed].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]);
    const longest = Math.max(...dev.flatMap((c) => c.turns.map((t) => ('say' in t ? t.say.length : 0))));
    expect(longest).toBeGreaterThan(5_000);
  });
});

describe('the bot through the example flows', () => {
  let devFigures: ConversationFigures;
  let heldOutFigures: ConversationFigures;
  beforeAll(async () => {
    const [d, h] = [await evaluateConversations(dev), await evaluateConversations(heldOut)];
    devFigures = d.overall;
    heldOutFigures = h.overall;
  });

  it('meets the acceptance on the development set: no false containment, every human request and escalation cause right', () => {
    expect(devFigures.falseContainments).toBe(0);
    expect(devFigures.humanRequestsHonoured).toBe(devFigures.humanRequests);
    expect(devFigures.escalationsRightCause).toBe(devFigures.escalations);
    expect(devFigures.escalationsInTime).toBe(devFigures.escalations);
    expect(devFigures.missedContainments).toBe(0);
    expect(devFigures.wordingFailures).toBe(0);
  });

  it('holds on the held-out set within 5 points of the development set, and where it was measured (see README)', () => {
    expect(heldOutFigures.falseContainments).toBe(0);
    for (const [part, whole] of [
      ['humanRequestsHonoured', 'humanRequests'],
      ['escalationsRightCause', 'escalations'],
      ['escalationsInTime', 'escalations'],
    ] as const) {
      const gap = ratio(devFigures[part], devFigures[whole]) - ratio(heldOutFigures[part], heldOutFigures[whole]);
      expect({ figure: part, gap: gap <= 0.05 }).toEqual({ figure: part, gap: true });
    }
    // Measured: one held-out conversation the bot does not contain (a broadband question the knowledge search misses).
    expect(heldOutFigures.missedContainments).toBeLessThanOrEqual(1);
  });
});
