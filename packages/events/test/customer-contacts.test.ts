/** Each customer's contact history, projected from the contact events, as a contact start reads it. */
import { applyProjection, contactEvents, CustomerContactHistory, type TandemEvent } from '../src';
import { migratedDatabase } from './support/db';

const DAY = 86_400_000;

/** A contact of `customer` that ran from `startedAt` to `endedAt` (ms since epoch), with its bot turns. */
function contact(
  contactId: string,
  customer: string,
  at: { started: number; ended?: number },
  turns: { intent: string; topics: string[] }[] = [],
  run: { simulation?: boolean; outcome?: 'resolved_by_bot' | 'abandoned' } = {},
): TandemEvent[] {
  const meta = (nodeId: string, ms: number) => ({ contactId, flowId: 'support', flowVersion: 2, nodeId, time: new Date(ms).toISOString(), ...(run.simulation ? { simulation: true } : {}) });
  return [
    contactEvents.started(meta('start', at.started), { channel: 'chat', customer: { id: customer, tier: 'standard', authenticated: false }, origin: 'api' }),
    ...turns.map((t, i) => contactEvents.botTurn(meta('bot', at.started + (i + 1) * 1000), { turn: i + 1, intent: t.intent, confidence: 0.8, sentiment: 0, topics: t.topics, triggers: [], answered: true })),
    ...(at.ended === undefined
      ? []
      : [contactEvents.ended(meta('end', at.ended), { outcome: run.outcome ?? 'resolved_by_bot', resolvedBy: { kind: run.outcome === 'abandoned' ? 'none' : 'bot' }, escalations: 0, durationMs: at.ended - at.started })]),
  ];
}

describe('customer contact history (events.customer_contacts)', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let history: CustomerContactHistory;
  const project = (events: TandemEvent[]) => env.dataSource.transaction((manager) => applyProjection(events, manager));
  beforeAll(async () => {
    env = await migratedDatabase('events_customer_contacts');
    history = new CustomerContactHistory(env.dataSource);
  });
  afterAll(() => env?.close());

  it("lists a customer's ended contacts within the window, newest first, with the last intent understood and topics, and nobody else's", async () => {
    const now = Date.now();
    await project([
      ...contact('c-old', 'dana', { started: now - 9 * DAY, ended: now - 9 * DAY + 60_000 }, [{ intent: 'billing_dispute', topics: ['billing'] }]),
      ...contact('c-1', 'dana', { started: now - 3 * DAY, ended: now - 3 * DAY + 60_000 }, [
        { intent: 'billing_dispute', topics: ['billing'] },
        // "that did not help": nothing understood — the contact was still about the charge.
        { intent: 'none', topics: [] },
      ]),
      ...contact('c-2', 'dana', { started: now - DAY, ended: now - DAY + 60_000 }, [{ intent: 'internet_outage', topics: ['connectivity'] }], { outcome: 'abandoned' }),
      ...contact('c-running', 'dana', { started: now - 60_000 }, [{ intent: 'password_reset', topics: [] }]),
      ...contact('c-sim', 'dana', { started: now - 2 * DAY, ended: now - 2 * DAY + 1000 }, [{ intent: 'refund', topics: [] }], { simulation: true }),
      ...contact('c-other', 'sam', { started: now - DAY, ended: now - DAY + 1000 }),
    ]);
    expect(await history.recentContacts('dana', { windowDays: 7, now: new Date(now) })).toEqual([
      { contactId: 'c-2', endedAt: new Date(now - DAY + 60_000).toISOString(), intent: 'internet_outage', topics: ['connectivity'], outcome: 'abandoned' },
      { contactId: 'c-1', endedAt: new Date(now - 3 * DAY + 60_000).toISOString(), intent: 'billing_dispute', topics: ['billing'], outcome: 'resolved_by_bot' },
    ]);
    expect((await history.recentContacts('dana', { windowDays: 10, now: new Date(now) })).map((c) => c.contactId)).toEqual(['c-2', 'c-1', 'c-old']);
    expect(await history.recentContacts('dana', { windowDays: 7, limit: 1, now: new Date(now) })).toHaveLength(1);
    expect(await history.recentContacts('nobody', { windowDays: 7 })).toEqual([]);
    // A contact without a bot turn has no intent or topics to show.
    expect(await history.recentContacts('sam', { windowDays: 7 })).toEqual([{ contactId: 'c-other', endedAt: new Date(now - DAY + 1000).toISOString(), outcome: 'resolved_by_bot' }]);
  });

  it('gives the same history whatever batches the events come in, and a redelivered batch changes nothing', async () => {
    const now = Date.now();
    const events = contact('c-split', 'lee', { started: now - 5000, ended: now - 1000 }, [
      { intent: 'order_status', topics: ['orders'] },
      { intent: 'none', topics: [] },
    ]);
    for (const event of events) await project([event]);
    await project(events);
    expect(await history.recentContacts('lee', { windowDays: 1 })).toEqual([
      { contactId: 'c-split', endedAt: new Date(now - 1000).toISOString(), intent: 'order_status', topics: ['orders'], outcome: 'resolved_by_bot' },
    ]);
  });

  it('keeps no contact that ended longer ago than it keeps (a replay of old events, say)', async () => {
    const now = Date.now();
    await project([...contact('c-ancient', 'kim', { started: now - 200 * DAY, ended: now - 200 * DAY + 1000 }), ...contact('c-new', 'kim', { started: now - 2000, ended: now - 1000 })]);
    const stored = await env.dataSource.query<{ contact_id: string }[]>(`SELECT contact_id FROM events.customer_contacts WHERE customer_id = 'kim'`);
    expect(stored.map((r) => r.contact_id)).toEqual(['c-new']);
    expect((await history.recentContacts('kim', { windowDays: 365 })).map((c) => c.contactId)).toEqual(['c-new']);
  });
});
