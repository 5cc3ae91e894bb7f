/**
 * The escape hatch, a conversation guarantee (docs/flow-language.md, "Conversation guarantees"):
 * wherever the contact waits for the customer's words, a request for a person — and the sensitive
 * triggers the flow lists — is honoured in that turn. A bot does it through its own `escalate` exit (the
 * flow's triggers are added to its own); a wait for a reply and a survey check each customer message here
 * and, when it asks, tell the customer the flow's sentence and go on at the hatch's target.
 *
 * Only plans compiled with guarantees have a hatch: a contact started on an older plan runs as it did.
 * Inside a parallel branch it does not apply (the branch must meet its join).
 */
import type { EscalationTrigger, EscalationTriggerKind } from '@tandem/contracts';
import type { Plan } from '@tandem/flow/runtime';
import { workflowNowIso } from '../clock';
import { core } from './proxies';
import type { CustomerMessage, NodeRuntime, Path, Step, StepExit } from './step';

/** The port a step's exit is recorded with when the escape hatch takes the contact elsewhere. */
export const ESCAPE_HATCH_PORT = 'escape_hatch';

/** The hatch of a step: where it leads and what it honours, or undefined when the step has none. */
export function hatchOf(plan: Plan, nodeId: string, path: Path): { target: string; triggers: readonly EscalationTriggerKind[]; message: string } | undefined {
  const hatch = plan.guarantees?.escalation;
  if (!hatch?.target || !path.main || !hatch.nodes.includes(nodeId)) return undefined;
  return { target: hatch.target, triggers: hatch.triggers, message: hatch.message };
}

/**
 * Checks a customer message a waiting step read: when it asks for a person (or carries a trigger the
 * flow lists, or one of `alsoOn`), says the flow's sentence, records why and returns the exit to the
 * hatch's target; otherwise undefined and the step goes on with the message.
 */
export async function escapeIfAsked(step: Step<unknown>, rt: NodeRuntime, message: CustomerMessage, alsoOn: readonly EscalationTriggerKind[] = []): Promise<StepExit | undefined> {
  const hatch = hatchOf(rt.plan, step.node.id, step.path);
  if (!hatch) return undefined;
  const { triggers } = await core.detectTriggers({ text: message.text, index: message.index, customer: rt.state.contact.customer, now: workflowNowIso() });
  const honoured = new Set<EscalationTriggerKind>(['human_request', ...hatch.triggers, ...alsoOn]);
  const fired = triggers.find((t) => t.kind === 'human_request') ?? triggers.find((t) => honoured.has(t.kind));
  if (!fired) return undefined;
  return escapeTo(step, rt, fired);
}

/** Takes the hatch: tells the customer, records the cause, and leaves for the target. */
export function escapeTo(step: Step<unknown>, rt: NodeRuntime, trigger: EscalationTrigger): StepExit {
  const hatch = hatchOf(rt.plan, step.node.id, step.path)!;
  rt.lastTrigger = trigger;
  rt.state.escalationCause = { trigger, nodeId: step.node.id };
  const delivery = rt.say('bot', rt.renderSafely(hatch.message, step.node.id), step.node.id);
  return { continueAt: hatch.target, port: ESCAPE_HATCH_PORT, ...(delivery ? { after: delivery } : {}) };
}
