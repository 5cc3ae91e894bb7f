/**
 * The conversation-level evaluation as a gate: every labelled conversation (development and held-out)
 * played on the real runtime through the example flows, judged whole. The figures are printed by
 * `npm run eval:conversations` (docs/benchmarks.md); this test holds the acceptance of issue 19 to them.
 */
import { EVAL_AGENTS, evaluateConversations, figures, type ConversationResult } from '../eval/conversations';
import { startHarness, type Harness } from './harness';

describe('whole conversations through the example flows (the conversation evaluation)', () => {
  let h: Harness;
  let results: ConversationResult[];
  beforeAll(async () => {
    h = await startHarness({ agents: EVAL_AGENTS });
    results = await evaluateConversations(h);
  }, 600_000);
  afterAll(() => h?.shutdown());

  const split = (name: string) => results.filter((r) => r.split === name);
  const ids = (rs: ConversationResult[]) => rs.map((r) => r.id);

  it('plays the whole labelled set: at least 100 conversations, both splits, every example flow', () => {
    expect(results.length).toBeGreaterThanOrEqual(100);
    expect(split('dev').length).toBeGreaterThan(0);
    expect(split('heldout').length).toBeGreaterThan(0);
    expect(new Set(results.map((r) => r.flow))).toEqual(new Set(['ai-first-human-backup', 'after-hours', 'overflow-on-queue-wait', 'human-first-ai-assist', 'parallel-ai-and-human']));
  });

  it('never counts a conversation as resolved by the bot that should have reached a person', () => {
    expect(ids(results.filter((r) => r.falseContainment))).toEqual([]);
  });

  it('honours every request for a person within the turn it is made, and escalates for the right cause', () => {
    for (const name of ['dev', 'heldout']) {
      const f = figures(split(name));
      expect({ split: name, missed: ids(split(name).filter((r) => r.humanRequest === 'missed')) }).toEqual({ split: name, missed: [] });
      expect({ split: name, wrongCause: split(name).filter((r) => r.escalation && !r.escalation.right).map((r) => `${r.id}: ${r.escalation?.cause}`) }).toEqual({ split: name, wrongCause: [] });
      expect(f.humanRequests).toBeGreaterThan(0);
      expect(f.escalations).toBeGreaterThan(0);
    }
  });

  it('holds on the held-out set within 5 points of the development set', () => {
    const dev = figures(split('dev'));
    const heldOut = figures(split('heldout'));
    const falseContainmentPct = (f: ReturnType<typeof figures>) => (100 * f.falseContainments) / f.conversations;
    expect(Math.abs(falseContainmentPct(heldOut) - falseContainmentPct(dev))).toBeLessThanOrEqual(5);
    expect(Math.abs((heldOut.humanRequestsHonouredPct ?? 0) - (dev.humanRequestsHonouredPct ?? 0))).toBeLessThanOrEqual(5);
    expect(Math.abs((heldOut.rightCausePct ?? 0) - (dev.rightCausePct ?? 0))).toBeLessThanOrEqual(5);
  });

  it('contains what the bot can answer: every such conversation of the development set, most of the held-out one', () => {
    const contained = (f: ReturnType<typeof figures>) => (100 * f.containedAsExpected) / f.expectedContained;
    expect(contained(figures(split('dev')))).toBe(100);
    // Measured 8 of 9 on 2026-12-07 (a knowledge-base miss, left untuned); a second miss would fail this.
    expect(contained(figures(split('heldout')))).toBeGreaterThanOrEqual(80);
  });

  it('says what the flows promise and nothing they must not say', () => {
    const wording = (rs: ConversationResult[]) => rs.flatMap((r) => r.problems.filter((p) => /^(did not say|said) /.test(p)).map((p) => `${r.id}: ${p}`));
    expect(wording(split('dev'))).toEqual([]);
    // The held-out set is judged, never tuned on: at most one of its conversations may miss a wording.
    expect(wording(split('heldout')).length).toBeLessThanOrEqual(1);
  });

  it('plays every conversation to its end: no turn failed, no contact ended early', () => {
    expect(results.flatMap((r) => r.problems.filter((p) => !/^(did not say|said) /.test(p)).map((p) => `${r.id}: ${p}`))).toEqual([]);
  });
});
