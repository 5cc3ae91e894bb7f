/**
 * Checking a test's expectations against what a contact did: pure, so the API's runner, the designer
 * and unit tests share one reading of every expectation. Each item of an expectation is one check
 * (one node of `visited`, one phrase of `says`…), so a failure names exactly what was missing.
 */
import type { ContactOutcome, HandoffPackage } from '@tandem/contracts';
import type { FlowTestExpectations, FlowTestHandledBy } from './schema';

/** What a contact had done when a turn's expectations are checked. */
export interface FlowTestObservation {
  /** Every node entered, in order (a node repeated per visit). */
  path: readonly string[];
  /** The nodes the contact is at now (several inside a parallel). */
  steps: readonly string[];
  handledBy: FlowTestHandledBy;
  outcome: ContactOutcome | null;
  /** The queue of the contact's open work item, if it has one. */
  queue: string | null;
  handoff: HandoffPackage | null;
  /** What the flow said (bot and system messages) in the scope checked: the turn, or the whole conversation. */
  said: readonly string[];
  ctx: Readonly<Record<string, unknown>>;
}

/** One checked item of an expectation. */
export interface FlowTestCheck {
  /** Which expectation: `visited`, `handoff.trigger`, `says`… */
  field: string;
  passed: boolean;
  /** What the test expected, in words. */
  expected: string;
  /** What happened, in words. */
  actual: string;
}

/** What the checker needs to know about the flow: where each node's exits lead, and what a node is called. */
export interface FlowTestGraph {
  /** Exit port → target node, for a node of the flow (undefined for a node it does not have). */
  exits: (nodeId: string) => Readonly<Record<string, string>> | undefined;
  /** How a node is named in messages (its label, else its id). */
  name: (nodeId: string) => string;
}

const quote = (text: string): string => `“${text}”`;
const normalise = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** A path as people read it, shortened in the middle when long. */
export function describeFlowPath(path: readonly string[], name: (id: string) => string = (id) => id): string {
  if (path.length === 0) return 'nowhere yet';
  const names = path.map(name);
  return names.length <= 12 ? names.join(' → ') : [...names.slice(0, 5), `… ${names.length - 10} more …`, ...names.slice(-5)].join(' → ');
}

function json(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** JSON equality, independent of key order. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => sameValue(v, (b as unknown[])[i]));
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The exit a node took after each of its visits: after `path[i] === node`, the first later node that is
 * the target of one of its exits is where it went (branches of a parallel interleave in a path, so the
 * next entry is not always the node's successor). Null for a visit not (yet) followed by one.
 */
export function exitsTaken(path: readonly string[], node: string, exits: Readonly<Record<string, string>>): (string | null)[] {
  const byTarget = new Map<string, string[]>();
  for (const [port, target] of Object.entries(exits)) byTarget.set(target, [...(byTarget.get(target) ?? []), port]);
  const taken: (string | null)[] = [];
  path.forEach((id, i) => {
    if (id !== node) return;
    const next = path.slice(i + 1).find((later) => byTarget.has(later));
    taken.push(next === undefined ? null : (byTarget.get(next) ?? []).join(' or '));
  });
  return taken;
}

/**
 * Checks a turn's (or the end's) expectations against what the contact did.
 *
 * @example
 * ```ts
 * checkExpectations({ handledBy: 'queue', says: ['colleague'] }, observation, graph)
 * // [{ field: 'handledBy', passed: true, … }, { field: 'says', passed: false, expected: 'says “colleague”', actual: 'said “How can I help?”' }]
 * ```
 */
export function checkExpectations(expect: FlowTestExpectations | undefined, seen: FlowTestObservation, graph: FlowTestGraph): FlowTestCheck[] {
  if (!expect) return [];
  const checks: FlowTestCheck[] = [];
  const add = (field: string, passed: boolean, expected: string, actual: string) => checks.push({ field, passed, expected, actual });
  const node = (id: string) => quote(graph.name(id));
  const pathText = `path: ${describeFlowPath(seen.path, graph.name)}`;

  for (const id of expect.visited ?? []) add('visited', seen.path.includes(id), `goes through ${node(id)}`, seen.path.includes(id) ? `went through ${node(id)}` : pathText);
  for (const id of expect.notVisited ?? []) add('notVisited', !seen.path.includes(id), `never goes through ${node(id)}`, seen.path.includes(id) ? `went through ${node(id)} (${pathText})` : `did not go through ${node(id)}`);
  if (expect.at !== undefined) {
    const here = seen.steps.length ? `is at ${seen.steps.map(node).join(', ')}` : seen.outcome ? 'has ended' : 'is at no step';
    add('at', seen.steps.includes(expect.at), `is at ${node(expect.at)}`, here);
  }
  for (const exit of expect.exits ?? []) {
    const exits = graph.exits(exit.node);
    const taken = exits ? exitsTaken(seen.path, exit.node, exits) : [];
    const passed = exits?.[exit.port] !== undefined && taken.some((port) => port !== null && port.split(' or ').includes(exit.port));
    const actual = !seen.path.includes(exit.node)
      ? `never reached ${node(exit.node)}`
      : taken.every((p) => p === null)
        ? `has not left ${node(exit.node)}`
        : `left ${node(exit.node)} by ${taken.filter((p): p is string => p !== null).map(quote).join(', then ')}`;
    add('exits', passed, `leaves ${node(exit.node)} by ${quote(exit.port)}`, actual);
  }
  if (expect.handledBy !== undefined) add('handledBy', seen.handledBy === expect.handledBy, `handled by ${expect.handledBy}`, `handled by ${seen.handledBy}`);
  if (expect.outcome !== undefined) add('outcome', seen.outcome === expect.outcome, `ends ${expect.outcome}`, seen.outcome ? `ended ${seen.outcome}` : `has not ended (${pathText})`);
  if (expect.queue !== undefined) add('queue', seen.queue === expect.queue, `waits in queue ${quote(expect.queue)}`, seen.queue ? `is in queue ${quote(seen.queue)}` : 'has no open work item');
  if (expect.handoff) checkHandoff(expect.handoff, seen.handoff, add);
  const saidText = seen.said.length ? `said ${seen.said.map((s) => quote(s.length > 160 ? `${s.slice(0, 157)}…` : s)).join(', ')}` : 'said nothing';
  const said = seen.said.map(normalise);
  for (const phrase of expect.says ?? []) add('says', said.some((s) => s.includes(normalise(phrase))), `says ${quote(phrase)}`, saidText);
  for (const phrase of expect.saysNot ?? []) {
    const found = seen.said.find((s) => normalise(s).includes(normalise(phrase)));
    add('saysNot', found === undefined, `never says ${quote(phrase)}`, found === undefined ? `did not say ${quote(phrase)}` : `said ${quote(found)}`);
  }
  for (const [name, value] of Object.entries(expect.variables ?? {})) {
    add('variables', sameValue(seen.ctx[name], value), `ctx.${name} is ${json(value)}`, `ctx.${name} is ${json(seen.ctx[name])}`);
  }
  return checks;
}

function checkHandoff(expect: NonNullable<FlowTestExpectations['handoff']>, handoff: HandoffPackage | null, add: (field: string, passed: boolean, expected: string, actual: string) => void): void {
  const fields = Object.keys(expect).filter((k) => (expect as Record<string, unknown>)[k] !== undefined);
  if (!handoff) {
    for (const field of fields) add(`handoff.${field}`, false, `the handoff has ${field} ${json((expect as Record<string, unknown>)[field])}`, 'no handoff: the contact never went to a person');
    return;
  }
  if (expect.trigger !== undefined) add('handoff.trigger', (handoff.trigger?.kind ?? null) === expect.trigger, `escalated on ${expect.trigger ?? 'no trigger'}`, `escalated on ${handoff.trigger ? `${handoff.trigger.kind} (${handoff.trigger.reason})` : 'no trigger'}`);
  if (expect.intent !== undefined) add('handoff.intent', (handoff.intent?.name ?? null) === expect.intent, `the agent is shown intent ${expect.intent ?? 'none'}`, `intent ${handoff.intent ? `${handoff.intent.name} (${Math.round(handoff.intent.confidence * 100)}%)` : 'none'}`);
  if (expect.stuckAt !== undefined) add('handoff.stuckAt', handoff.stuckAt?.nodeId === expect.stuckAt, `the bot was stuck at ${quote(expect.stuckAt)}`, handoff.stuckAt ? `stuck at ${quote(handoff.stuckAt.nodeId)}: ${handoff.stuckAt.reason}` : 'not stuck anywhere');
  for (const entity of expect.entities ?? []) {
    const found = handoff.entities.some((e) => e.type === entity.type && (entity.value === undefined || normalise(e.value) === normalise(entity.value)));
    const list = handoff.entities.length ? handoff.entities.map((e) => `${e.type}: ${e.value}`).join(', ') : 'none';
    add('handoff.entities', found, `the agent is shown ${entity.type}${entity.value !== undefined ? ` ${quote(entity.value)}` : ''}`, `details shown: ${list}`);
  }
  for (const topic of expect.topics ?? []) add('handoff.topics', handoff.topics.includes(topic), `the handoff lists topic ${quote(topic)}`, `topics: ${handoff.topics.length ? handoff.topics.join(', ') : 'none'}`);
  for (const [name, value] of Object.entries(expect.attributes ?? {})) {
    const shown = handoff.attributes?.[name];
    add('handoff.attributes', sameValue(shown, value), `the agent is shown ${name} = ${json(value)}`, shown === undefined ? `${name} is not shown` : `${name} = ${json(shown)}`);
  }
}

/** Whether a test's expectations name anything to check at all. */
export function hasExpectations(expect: FlowTestExpectations | undefined): boolean {
  return expect !== undefined && Object.values(expect).some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0));
}

/** The graph a test's expectations are read against, from the flow document the test belongs to. */
export function flowTestGraph(document: { nodes: readonly { id: string; label?: string | undefined }[]; edges: readonly { source: string; sourcePort: string; target: string }[] }): FlowTestGraph {
  const exits = new Map<string, Record<string, string>>(document.nodes.map((n) => [n.id, {}]));
  for (const e of document.edges) {
    const from = exits.get(e.source);
    if (from) from[e.sourcePort] = e.target;
  }
  const labels = new Map(document.nodes.map((n) => [n.id, n.label?.trim() || n.id]));
  return { exits: (id) => exits.get(id), name: (id) => labels.get(id) ?? id };
}
