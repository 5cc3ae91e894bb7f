/** The contact's durable state at the start of a run: fresh, or carried over by continue-as-new. */
import type { Plan } from '@tandem/flow/runtime';
import { emptyNlu, maskPaymentCards, parseCustomer } from '@tandem/contracts/sandbox';
import type { ContactFlowInput, ContactState } from '@tandem/workflow-contract';
import { workflowNowIso } from '../clock';

export function startingState(input: ContactFlowInput, plan: Plan): ContactState {
  if (input.carried) return input.carried.state;
  const { contact } = input;
  const ctx: Record<string, unknown> = {};
  for (const v of plan.variables) ctx[v.name] = input.input?.[v.name] ?? v.initial;
  const state: ContactState = {
    contact: { id: contact.id, channel: contact.channel, customer: parseCustomer(contact.customer), attributes: contact.attributes ?? {} },
    ctx,
    nlu: emptyNlu(),
    bot: {},
    transcript: [],
    inbox: [],
    visits: {},
    trail: [],
    escalations: 0,
    lastHandler: null,
    nodeState: {},
    handoff: null,
    workItem: null,
    resolvedWorkItems: [],
    assist: null,
    eventSeq: 0,
    startedAt: workflowNowIso(),
  };
  // A subflow starts with the conversation so far (its handoffs and summaries need it).
  if (input.parent) state.transcript.push(...input.parent.transcript);
  if (contact.firstMessage?.trim()) {
    state.inbox.push(state.transcript.length);
    state.transcript.push({ at: state.startedAt, from: 'customer', text: maskPaymentCards(contact.firstMessage.trim()).text });
  }
  return state;
}
