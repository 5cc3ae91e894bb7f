/**
 * The entry for the Temporal workflow sandbox (`@tandem/contracts/sandbox`): only what the contact
 * interpreter uses at run time, as functions. Types come from the main entry (`import type`).
 *
 * The workflow bundle preloads this module once per workflow thread (apps/worker
 * `SHARED_WORKFLOW_MODULES`) instead of re-running it for every contact, which rebuilt and first-parsed
 * these schemas per contact (≈ 0.7 ms). The SDK deep-freezes what shared modules export, and a frozen
 * zod schema cannot parse (zod defines its methods on the instance on first use), so the schemas used
 * here are module-private — built by this module, reachable only through these functions — and
 * what is exported is functions and plain values. Parsing keeps no state that changes a result.
 */
import type { Customer, NluSnapshot, WorkItemResolution } from './index';
import { newCustomerSchema } from './customer';
import { emptyNluSnapshot } from './empty-nlu';
import { newWorkItemResolutionSchema } from './work-items';

export { WORK_ITEM_ASSIGNED_SIGNAL, WORK_ITEM_RESOLVED_SIGNAL } from './work-items';
export { maskPaymentCards, luhnValid, type MaskedText } from './payment-cards';

const customer = newCustomerSchema();
const resolution = newWorkItemResolutionSchema();

/** Validates a customer and fills in its defaults (tier, authentication, language, attributes); throws a ZodError. */
export function parseCustomer(input: unknown): Customer {
  return customer.parse(input);
}

/** Validates a `workItemResolved` payload without throwing. */
export function safeParseWorkItemResolution(input: unknown): { success: true; data: WorkItemResolution } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } {
  return resolution.safeParse(input);
}

/** No intent, no sentiment, no triggers: what flows see before a bot or classify step ran (a fresh object each time). */
export function emptyNlu(): NluSnapshot {
  return { ...emptyNluSnapshot, topics: [], triggers: [] };
}
