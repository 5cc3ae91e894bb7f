/**
 * The Tests tab's model, pure: a new test, the kinds of turn a designer adds, and expectations as rows
 * a form edits without code ("Bot says …", "Goes through step …") and back. Rows cover what the form
 * offers; anything else a test's JSON holds (handoff entities, topics, attributes) is kept as it was.
 */
import type { ContactOutcome, EscalationTriggerKind } from '@tandem/contracts';
import type { FlowTest, FlowTestExpectations, FlowTestHandledBy, FlowTestTurn, FlowTestTurnKind } from '@tandem/flow';

/** The turns a designer can add, as the form names them. */
export const TURN_KINDS: { kind: FlowTestTurnKind; label: string }[] = [
  { kind: 'customer', label: 'Customer writes' },
  { kind: 'agent_accept', label: 'Agent accepts' },
  { kind: 'agent_message', label: 'Agent writes' },
  { kind: 'agent_resolve', label: 'Agent resolves' },
  { kind: 'agent_transfer', label: 'Agent transfers' },
  { kind: 'quiet', label: 'Customer stays quiet' },
];

/** A fresh turn of a kind, with what the form needs filled in. */
export function newTurn(kind: FlowTestTurnKind, queue = 'support'): FlowTestTurn {
  switch (kind) {
    case 'customer':
      return { kind, text: '' };
    case 'agent_accept':
      return { kind };
    case 'agent_message':
      return { kind, text: '' };
    case 'agent_resolve':
      return { kind, outcome: 'resolved', tags: [] };
    case 'agent_transfer':
      return { kind, queue };
    case 'quiet':
      return { kind, seconds: 5 };
  }
}

/** A new test with an id not taken yet (`test-1`, `test-2`…). */
export function newFlowTest(existing: readonly FlowTest[]): FlowTest {
  const taken = new Set(existing.map((t) => t.id));
  let n = existing.length + 1;
  while (taken.has(`test-${n}`)) n++;
  return {
    id: `test-${n}`,
    name: `Test ${n}`,
    customer: { id: 'test-customer', name: 'Test Customer', tier: 'standard', authenticated: false, attributes: {} },
    turns: [{ kind: 'customer', text: '' }],
    expect: {},
  };
}

// ---- expectations as rows

export type ExpectationKind = 'visited' | 'notVisited' | 'at' | 'exit' | 'handledBy' | 'outcome' | 'queue' | 'says' | 'saysNot' | 'trigger' | 'intent' | 'stuckAt' | 'variable';

/** One line of the expectations form. `value` is text as typed (a variable's value is JSON, or text). */
export interface ExpectationRow {
  kind: ExpectationKind;
  node?: string;
  port?: string;
  value?: string;
  name?: string;
}

/** What each row says, in the order the "add" menu offers them, and what it asks for. */
export const EXPECTATION_KINDS: { kind: ExpectationKind; label: string; asks: 'node' | 'exit' | 'text' | 'handledBy' | 'outcome' | 'trigger' | 'variable' }[] = [
  { kind: 'says', label: 'Bot says', asks: 'text' },
  { kind: 'saysNot', label: 'Bot never says', asks: 'text' },
  { kind: 'visited', label: 'Goes through step', asks: 'node' },
  { kind: 'notVisited', label: 'Never goes through step', asks: 'node' },
  { kind: 'at', label: 'Is at step', asks: 'node' },
  { kind: 'exit', label: 'Leaves step by exit', asks: 'exit' },
  { kind: 'handledBy', label: 'Handled by', asks: 'handledBy' },
  { kind: 'outcome', label: 'Ends as', asks: 'outcome' },
  { kind: 'queue', label: 'Waits in queue', asks: 'text' },
  { kind: 'trigger', label: 'Handoff: escalated because of', asks: 'trigger' },
  { kind: 'intent', label: 'Handoff: intent shown', asks: 'text' },
  { kind: 'stuckAt', label: 'Handoff: bot stuck at', asks: 'node' },
  { kind: 'variable', label: 'Variable equals', asks: 'variable' },
];

export const HANDLED_BY: FlowTestHandledBy[] = ['bot', 'queue', 'human', 'flow', 'ended'];
export const OUTCOMES: ContactOutcome[] = ['resolved_by_bot', 'resolved_by_human', 'ticketed', 'abandoned', 'failed'];
/** `none`: the flow escalated without a trigger. */
export const NO_TRIGGER = 'none';

/** Expectations as form rows, in a stable order. */
export function expectationRows(expect: FlowTestExpectations | undefined): ExpectationRow[] {
  if (!expect) return [];
  const rows: ExpectationRow[] = [];
  for (const value of expect.says ?? []) rows.push({ kind: 'says', value });
  for (const value of expect.saysNot ?? []) rows.push({ kind: 'saysNot', value });
  for (const node of expect.visited ?? []) rows.push({ kind: 'visited', node });
  for (const node of expect.notVisited ?? []) rows.push({ kind: 'notVisited', node });
  if (expect.at !== undefined) rows.push({ kind: 'at', node: expect.at });
  for (const exit of expect.exits ?? []) rows.push({ kind: 'exit', node: exit.node, port: exit.port });
  if (expect.handledBy !== undefined) rows.push({ kind: 'handledBy', value: expect.handledBy });
  if (expect.outcome !== undefined) rows.push({ kind: 'outcome', value: expect.outcome });
  if (expect.queue !== undefined) rows.push({ kind: 'queue', value: expect.queue });
  if (expect.handoff?.trigger !== undefined) rows.push({ kind: 'trigger', value: expect.handoff.trigger ?? NO_TRIGGER });
  if (expect.handoff?.intent !== undefined && expect.handoff.intent !== null) rows.push({ kind: 'intent', value: expect.handoff.intent });
  if (expect.handoff?.stuckAt !== undefined) rows.push({ kind: 'stuckAt', node: expect.handoff.stuckAt });
  for (const [name, value] of Object.entries(expect.variables ?? {})) rows.push({ kind: 'variable', name, value: JSON.stringify(value) });
  return rows;
}

/** A variable's value as typed: JSON when it parses (`3`, `true`, `"x"`, `[1]`), else the text itself. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Rows back to expectations. Rows not filled in yet are left out (they would not validate); what the
 * form does not edit is taken from `keep` (the expectations as they were).
 */
export function rowsToExpectations(rows: readonly ExpectationRow[], keep?: FlowTestExpectations): FlowTestExpectations {
  const out: FlowTestExpectations = {};
  const push = (key: 'says' | 'saysNot' | 'visited' | 'notVisited', value: string | undefined) => {
    if (value?.trim()) (out[key] ??= []).push(value.trim());
  };
  const handoff: NonNullable<FlowTestExpectations['handoff']> = {
    ...(keep?.handoff?.entities ? { entities: keep.handoff.entities } : {}),
    ...(keep?.handoff?.topics ? { topics: keep.handoff.topics } : {}),
    ...(keep?.handoff?.attributes ? { attributes: keep.handoff.attributes } : {}),
  };
  for (const row of rows) {
    switch (row.kind) {
      case 'says':
      case 'saysNot':
        push(row.kind, row.value);
        break;
      case 'visited':
      case 'notVisited':
        push(row.kind, row.node);
        break;
      case 'at':
        if (row.node) out.at = row.node;
        break;
      case 'exit':
        if (row.node && row.port) (out.exits ??= []).push({ node: row.node, port: row.port });
        break;
      case 'handledBy':
        if (row.value) out.handledBy = row.value as FlowTestHandledBy;
        break;
      case 'outcome':
        if (row.value) out.outcome = row.value as ContactOutcome;
        break;
      case 'queue':
        if (row.value?.trim()) out.queue = row.value.trim();
        break;
      case 'trigger':
        if (row.value) handoff.trigger = row.value === NO_TRIGGER ? null : (row.value as EscalationTriggerKind);
        break;
      case 'intent':
        if (row.value?.trim()) handoff.intent = row.value.trim();
        break;
      case 'stuckAt':
        if (row.node) handoff.stuckAt = row.node;
        break;
      case 'variable':
        if (row.name?.trim() && row.value !== undefined && row.value.trim() !== '') (out.variables ??= {})[row.name.trim()] = parseValue(row.value);
        break;
    }
  }
  if (Object.keys(handoff).length) out.handoff = handoff;
  return out;
}

/** A short summary of a test's turns for the list: "3 turns · customer, agent". */
export function describeTest(test: FlowTest): string {
  const who = new Set(test.turns.map((t) => (t.kind === 'customer' || t.kind === 'quiet' ? 'customer' : 'agent')));
  const turns = test.turns.length + (test.firstMessage ? 1 : 0);
  return `${turns} turn${turns === 1 ? '' : 's'}${who.size ? ` · ${[...who].join(', ')}` : ''}`;
}
