/** The split by percentage picks branches in the configured shares, the same way every time (pure logic). */
import type { Plan } from '@tandem/flow';
import { distributeExecutor, percentile } from '../src/nodes/distribute/executor';
import type { NodeRuntime, Path } from '../src/workflows/runtime/step';

const path: Path = { id: 'p0', main: true, stopRequested: false, activity: 'flow', visit: 1, enteredAt: 0 };
const node = (by: 'customer' | 'contact') => ({
  id: 'split',
  type: 'distribute' as const,
  typeVersion: 1,
  label: 'split',
  next: { new_bot: 'a', current: 'b' },
  expressions: {},
  waits: false,
  config: { by, branches: [{ id: 'new_bot', percent: 10 }, { id: 'current', percent: 90 }] },
});
/** Only what the executor reads of the façade: the contact and the plan's id. */
const runtimeFor = (contactId: string, customerId: string) => ({ plan: { flowId: 'billing' } as Plan, state: { contact: { id: contactId, customer: { id: customerId } } } }) as unknown as NodeRuntime;
const pick = (by: 'customer' | 'contact', contactId: string, customerId: string) => distributeExecutor.run({ node: node(by), visit: 1, resuming: false, path }, runtimeFor(contactId, customerId));

describe('distribute (split by percentage)', () => {
  it('spreads keys evenly over 0–99', () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) counts[Math.floor(percentile(`customer:c-${i}|flow|node`) / 10)]! += 1;
    for (const n of counts) expect(Math.abs(n - 2_000)).toBeLessThan(200);
  });

  it('sends about the configured share down each branch', () => {
    let newBot = 0;
    for (let i = 0; i < 10_000; i++) if (pick('contact', `contact-${i}`, 'same') === 'new_bot') newBot++;
    expect(newBot).toBeGreaterThan(850);
    expect(newBot).toBeLessThan(1_150);
  });

  it('keeps a customer on one branch across contacts (by customer), and draws each contact on its own (by contact)', () => {
    const forCustomer = new Set(Array.from({ length: 50 }, (_, i) => pick('customer', `contact-${i}`, 'cust-42')));
    expect(forCustomer.size).toBe(1);
    const perContact = new Set(Array.from({ length: 50 }, (_, i) => pick('contact', `contact-${i}`, 'cust-42')));
    expect(perContact).toEqual(new Set(['new_bot', 'current']));
  });
});
