/**
 * The after-hours example end to end: closed → the night bot helps → a follow-up ticket now → a
 * durable wait on workflow time until the calendar opens → re-routed to agents with the night's context.
 */
import type { Calendar } from '@tandem/flow';
import { waitFor } from '@tandem/testkit';
import { compileExample, startHarness, type Harness } from './harness';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;

/** A UTC calendar that is closed now and opens at the next whole minute at least 15 s away. */
function opensShortly(now = new Date()): { calendar: Calendar; opensAt: Date } {
  const opensAt = new Date(Math.ceil((now.getTime() + 15_000) / 60_000) * 60_000);
  const closeAt = new Date(opensAt.getTime() + 60 * 60_000);
  const close = closeAt.getUTCDate() !== opensAt.getUTCDate() ? '24:00' : hhmm(closeAt);
  return { calendar: { timezone: 'UTC', weekly: { [WEEKDAYS[opensAt.getUTCDay()]!]: [{ open: hhmm(opensAt), close }] }, holidays: [] }, opensAt };
}

describe('example: after hours', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.shutdown());

  it('logs a ticket at night, waits durably until opening, then re-routes to agents with the full context', async () => {
    const { calendar, opensAt } = opensShortly();
    h.calendars.set('support-hours', calendar);
    const plan = compileExample('after-hours');
    const contact = await h.startContact(plan, { customer: { id: 'cust-n1', name: 'Noor' } });
    await contact.waitForStep('night-bot');
    expect((await contact.state()).transcript[0]?.text).toBe('Hi Noor, our team is offline right now, but I can help with most questions.');

    const reply = await contact.say('I need to talk to a person about a wrong charge on my bill');
    expect(reply.messages.map((m) => m.text).join(' ')).toMatch(/ticket|tomorrow|open/i);
    const waiting = await contact.waitForStep('wait-open');
    expect(waiting.ctx.ticketed).toBe(true);
    expect(h.tickets.find((t) => t.key.startsWith(contact.handle.workflowId))).toMatchObject({ kind: 'follow_up', subject: expect.stringContaining('After-hours request from Noor') });
    expect(waiting.workItem).toBeNull();
    expect(Date.now()).toBeLessThan(opensAt.getTime());

    // At opening the contact is re-routed on its own: no signal, just workflow time.
    const item = await contact.workItem(opensAt.getTime() - Date.now() + 30_000);
    expect(Date.now()).toBeGreaterThanOrEqual(opensAt.getTime() - 1000);
    expect(item.queue).toBe('support');
    expect(item.handoff.transcript.map((t) => t.text)).toContain('I need to talk to a person about a wrong charge on my bill');
    expect((await h.router.claim('alice'))?.id).toBe(item.id);
    await contact.complete(item.id, 'alice', 'resolved', ['billing']);
    expect((await contact.result()).outcome).toBe('resolved_by_human');
    const s = await contact.state();
    expect(s.path).toEqual(['start', 'hours', 'night-bot', 'log-ticket', 'mark', 'wait-open', 'morning-agents', 'done-agent']);
  }, 150_000);

  it('goes straight to the agents while the calendar is open', async () => {
    h.calendars.set('support-hours', { timezone: 'UTC', weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ open: '00:00', close: '24:00' }]])), holidays: [] });
    const contact = await h.startContact(compileExample('after-hours'), { customer: { id: 'cust-n2', name: 'Ira' } });
    const item = await contact.workItem();
    expect(item.queue).toBe('support');
    expect((await contact.state()).path).toEqual(['start', 'hours', 'agents']);
    await contact.cancel('operator');
    await waitFor(async () => ((await h.router.getWorkItem(item.id)).status === 'abandoned' ? true : undefined), { what: 'the work item to be withdrawn' });
  });
});
