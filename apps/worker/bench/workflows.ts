/**
 * The benchmark's hand-written workflow: the same 10-step flow written by hand against the same
 * activities (what a developer would write without Tandem). Bundled on its own, with the SDK's default
 * options, so it pays for none of the interpreter's modules; the interpreter runs from the product's
 * own bundle (`src/workflows`).
 */
import { patched, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
// The search attributes alone: the whole contract would bring zod into this plain bundle (the product's
// bundle shares zod across contacts; this one, like a developer's, does not).
import { OutcomeKey } from '@tandem/workflow-contract/search-attributes';
import type { ContactEventRecord, CoreActivities } from '../src/activities/contract';
import type { ClassifyActivities } from '../src/nodes/classify/activities';
import type { TicketActivities } from '../src/nodes/ticket/activities';

const acts = proxyActivities<CoreActivities & ClassifyActivities & TicketActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 20 },
});

export interface HandwrittenInput {
  contactId: string;
  text: string;
  customer: { id: string; name: string; tier: string; authenticated: boolean; authMethod: 'none'; language: string; attributes: Record<string, unknown> };
  /** Diagnostic (BENCH_HW_VERSIONED=1): one patch and the outcome search attribute, as the interpreter records. */
  versioned?: boolean;
}

/** start → classify → decide → set → message → set → decide → message → ticket → end, as plain code. */
export async function handwrittenFlow(input: HandwrittenInput): Promise<string> {
  const site = (nodeId: string) => ({ contactId: input.contactId, workflowId: `hw-${input.contactId}`, nodeId, visit: 1 });
  const events: ContactEventRecord[] = [];
  // Changes nothing: only the history cost of a patch marker and its TemporalChangeVersion upsert.
  if (input.versioned) patched('bench-hand-written-v2');
  const { nlu } = await acts.classify({ ...site('classify'), config: { detect: ['intent', 'sentiment', 'topics', 'triggers'], intents: [] }, text: input.text, index: 0, customer: input.customer, now: new Date(0).toISOString() });
  const urgent = nlu.sentiment < -0.5 || nlu.triggers.length > 0;
  let attempts = 1;
  await acts.deliverMessage({ contactId: input.contactId, channel: 'chat', from: 'bot', text: `Thanks ${input.customer.name}, we are looking into ${nlu.intent}.`, index: 1 });
  attempts += 1;
  const tier = input.customer.tier === 'vip' || urgent ? 'priority' : 'standard';
  await acts.deliverMessage({ contactId: input.contactId, channel: 'chat', from: 'bot', text: `Your request is ${tier} (${attempts}).`, index: 2 });
  await acts.createTicket({ ...site('ticket'), kind: 'follow_up', queue: 'support', subject: `Follow up: ${nlu.intent}`, body: null, priority: urgent ? 50 : 10, dueAt: null, customer: input.customer, channel: 'chat', handoff: null });
  // The same number of events as the interpreter, sent in one batch like it does.
  for (let i = 0; i < 21; i++) events.push({ id: `hw-${input.contactId}/${i}`, workflowId: `hw-${input.contactId}`, sequence: i, type: 'step.entered', time: new Date(0).toISOString(), contactId: input.contactId, flowId: 'bench', flowVersion: 1, nodeId: 'n', data: { nodeType: 'set', visit: 1 } });
  await acts.emitEvents({ events });
  if (input.versioned) upsertSearchAttributes([{ key: OutcomeKey, value: 'ticketed' }]);
  return 'ticketed';
}
