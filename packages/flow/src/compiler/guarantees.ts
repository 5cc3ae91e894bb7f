/**
 * The conversation guarantees a flow keeps: where the escape hatch leads (a request for a person, and
 * the sensitive triggers the flow lists, from any step that waits for the customer's words), which steps
 * honour it, and the containment settings. The hatch's target counts as reachable from those steps.
 */
import { checkExpression } from '../expressions/check';
import { environmentFor } from '../expressions/environment';
import { type PlanGuarantees } from '../plan';
import { type Compilation, quote } from './compilation';

/** Steps that wait for the customer's words: the escape hatch applies there. */
function waitsForWords(type: string, config: Record<string, unknown>): boolean {
  return type === 'bot' || type === 'survey' || (type === 'wait' && config.mode === 'reply');
}

/** The guarantees as the plan carries them; diagnostics for a target that does not exist, an ambiguous one, and opt-outs. */
export function checkGuarantees(compilation: Compilation): PlanGuarantees {
  const { escalation, containment } = compilation.document.guarantees;
  let target = escalation.target;
  if (target !== undefined && !compilation.nodesById.has(target)) {
    compilation.report('FLOW_ESCAPE_HATCH_TARGET_UNKNOWN', `Requests for a person go to ${quote(target)}, which is not a step of this flow`, { path: ['guarantees', 'escalation', 'target'] });
    target = undefined;
  }
  // The sentence the customer is told is a template like any node's.
  const env = environmentFor([...compilation.variables].map(([name, type]) => ({ name, type })));
  for (const problem of checkExpression(env, escalation.message, 'template', 'any').problems) {
    compilation.report(problem.code, `In the flow's settings, the escape hatch's message ${problem.message}`, { path: ['guarantees', 'escalation', 'message'], range: problem.range });
  }
  const honouring: string[] = [];
  for (const compiled of compilation.compiled.values()) {
    if (!waitsForWords(compiled.definition.type, compiled.config)) continue;
    const optOut = compiled.config.escapeHatch as { optOut: true; reason: string } | undefined;
    if (optOut) {
      compilation.report('FLOW_ESCAPE_HATCH_OPTED_OUT', `The ${quote(compiled.name)} step does not honour requests for a person: ${optOut.reason}`, { nodeId: compiled.node.id, path: ['escapeHatch'] });
    } else {
      honouring.push(compiled.node.id);
    }
  }
  if (target === undefined && escalation.target === undefined) {
    const humans = [...compilation.compiled.values()].filter((c) => c.definition.type === 'escalate').map((c) => c.node.id).sort();
    if (humans.length === 1) target = humans[0];
    else if (humans.length > 1 && honouring.length > 0) {
      compilation.report(
        'FLOW_ESCAPE_HATCH_TARGET_AMBIGUOUS',
        `Requests for a person have nowhere to go: the flow has ${humans.length} human steps (${humans.map(quote).join(', ')}); choose one in the flow's settings`,
        { path: ['guarantees', 'escalation', 'target'] },
      );
    }
  }
  return {
    escalation: { ...(target !== undefined ? { target } : {}), triggers: [...new Set(escalation.triggers)].sort(), message: escalation.message, nodes: target === undefined ? [] : honouring.sort() },
    containment: { quietSeconds: containment.quietSeconds },
  };
}
