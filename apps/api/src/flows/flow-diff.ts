import type { FlowDiff, ValueChange } from '@tandem/api-contract';
import type { FlowDocument, FlowNode } from '@tandem/flow';
import { sameJson } from '../common/json';

type NodeRef = FlowChanges['nodes']['added'][number];

/**
 * What changed between two flow documents: the body of `GET /v1/flows/:flowId/diff` (the contract's
 * `FlowDiff`) without the flow id and the two versions compared.
 */
export type FlowChanges = Omit<FlowDiff, 'flowId' | 'from' | 'to'>;

const FLOW_FIELDS = ['name', 'description', 'channels', 'variables'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf-level differences between two JSON values, with dotted paths. */
export function valueChanges(from: unknown, to: unknown, path = ''): ValueChange[] {
  if (sameJson(from, to)) return [];
  const join = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (isObject(from) && isObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((k) => valueChanges(from[k], to[k], join(k)));
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const length = Math.max(from.length, to.length);
    return Array.from({ length }, (_, i) => valueChanges(from[i], to[i], join(i))).flat();
  }
  return [{ path, from, to }];
}

const ref = (n: FlowNode): NodeRef => ({ id: n.id, type: n.type, ...(n.label ? { label: n.label } : {}) });
const byId = <T extends { id: string }>(items: readonly T[]) => new Map(items.map((i) => [i.id, i]));
const sortById = <T extends { id: string }>(items: T[]) => items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Compares two flow documents; independent of the order of nodes and edges. */
export function diffFlows(from: FlowDocument, to: FlowDocument): FlowChanges {
  const flow: ValueChange[] = FLOW_FIELDS.flatMap((field) => (sameJson(from[field], to[field]) ? [] : [{ path: field, from: from[field], to: to[field] }]));
  // Tests, one change per test (by id): added (no `from`), removed (no `to`) or edited.
  const fromTests = byId(from.tests ?? []);
  const toTests = byId(to.tests ?? []);
  for (const id of [...new Set([...fromTests.keys(), ...toTests.keys()])].sort()) {
    const [a, b] = [fromTests.get(id), toTests.get(id)];
    if (!sameJson(a, b)) flow.push({ path: `tests.${id}`, ...(a ? { from: a } : {}), ...(b ? { to: b } : {}) });
  }

  const fromNodes = byId(from.nodes);
  const toNodes = byId(to.nodes);
  const nodes: FlowChanges['nodes'] = { added: [], removed: [], changed: [], moved: [] };
  for (const n of to.nodes) if (!fromNodes.has(n.id)) nodes.added.push(ref(n));
  for (const n of from.nodes) {
    const next = toNodes.get(n.id);
    if (!next) {
      nodes.removed.push(ref(n));
      continue;
    }
    const { position: p1, ...a } = n;
    const { position: p2, ...b } = next;
    const changes = valueChanges(a, b);
    if (changes.length) nodes.changed.push({ ...ref(next), changes });
    else if (!sameJson(p1, p2)) nodes.moved.push(n.id);
  }

  const fromEdges = byId(from.edges);
  const toEdges = byId(to.edges);
  const edges: FlowChanges['edges'] = { added: [], removed: [], changed: [] };
  for (const e of to.edges) if (!fromEdges.has(e.id)) edges.added.push(e);
  for (const e of from.edges) {
    const next = toEdges.get(e.id);
    if (!next) edges.removed.push(e);
    else if (!sameJson(e, next)) edges.changed.push({ id: e.id, from: e, to: next });
  }

  sortById(nodes.added);
  sortById(nodes.removed);
  sortById(nodes.changed);
  nodes.moved.sort();
  sortById(edges.added);
  sortById(edges.removed);
  sortById(edges.changed);
  const identical = !flow.length && !nodes.added.length && !nodes.removed.length && !nodes.changed.length && !nodes.moved.length && !edges.added.length && !edges.removed.length && !edges.changed.length;
  return { identical, flow, nodes, edges };
}
