/**
 * Compiler diagnostics: a stable code, a severity, a message a CX designer understands, and where it
 * belongs (node, edge, config path, characters of an expression) so the designer pins it on the canvas.
 */

/** Every diagnostic code, with its severity and a one-line summary. Codes are stable: never renamed. */
export const diagnosticCatalog = {
  FLOW_DOCUMENT_INVALID: { severity: 'error', summary: 'The document does not have the shape of a flow (missing or mistyped fields).' },
  FLOW_DUPLICATE_NODE_ID: { severity: 'error', summary: 'Two nodes have the same id.' },
  FLOW_DUPLICATE_EDGE_ID: { severity: 'error', summary: 'Two connections have the same id.' },
  FLOW_DUPLICATE_VARIABLE: { severity: 'error', summary: 'A variable is declared twice.' },
  FLOW_VARIABLE_DEFAULT_INVALID: { severity: 'error', summary: 'A variable’s default value does not have its type.' },
  FLOW_UNKNOWN_NODE_TYPE: { severity: 'error', summary: 'A node has a type the catalog does not know.' },
  FLOW_UNKNOWN_NODE_VERSION: { severity: 'error', summary: 'A node has a version of its type that does not exist.' },
  FLOW_CONFIG_INVALID: { severity: 'error', summary: 'A node’s settings do not match its type’s config schema.' },
  FLOW_NO_START: { severity: 'error', summary: 'The flow has no start node.' },
  FLOW_MULTIPLE_STARTS: { severity: 'error', summary: 'The flow has more than one start node.' },
  FLOW_CHANNEL_NOT_DECLARED: { severity: 'error', summary: 'The start accepts a channel the flow does not declare.' },
  FLOW_EDGE_INTO_START: { severity: 'error', summary: 'A connection leads into the start node.' },
  FLOW_EDGE_UNKNOWN_SOURCE: { severity: 'error', summary: 'A connection leaves from a node that does not exist.' },
  FLOW_EDGE_UNKNOWN_TARGET: { severity: 'error', summary: 'A connection leads to a node that does not exist.' },
  FLOW_EDGE_UNKNOWN_PORT: { severity: 'error', summary: 'A connection leaves from an exit the node does not have.' },
  FLOW_PORT_MULTIPLE_EDGES: { severity: 'error', summary: 'An exit has more than one connection (use a parallel node to fork).' },
  FLOW_PORT_UNCONNECTED: { severity: 'error', summary: 'An exit of a node is not connected to anything.' },
  FLOW_NODE_UNREACHABLE: { severity: 'warning', summary: 'No path from the start leads to a node; it never runs and is left out of the plan.' },
  FLOW_PARALLEL_NO_JOIN: { severity: 'error', summary: 'A branch of a parallel never reaches a join.' },
  FLOW_PARALLEL_MULTIPLE_JOINS: { severity: 'error', summary: 'The branches of a parallel reach different joins.' },
  FLOW_PARALLEL_BRANCH_ESCAPES: { severity: 'error', summary: 'A branch of a parallel can end the contact, or loop back to the parallel, before the join.' },
  FLOW_JOIN_WITHOUT_PARALLEL: { severity: 'error', summary: 'A join is not where the branches of any parallel meet.' },
  FLOW_JOIN_SHARED: { severity: 'error', summary: 'Two parallels meet at the same join.' },
  FLOW_CYCLE_WITHOUT_WAIT: { severity: 'error', summary: 'A loop does not pass through a node that waits (bot, wait, escalate, survey, subflow).' },
  FLOW_CYCLE_UNBOUNDED: { severity: 'error', summary: 'A loop has no node with a maximum number of visits.' },
  FLOW_LOOP_EXIT_UNKNOWN: { severity: 'error', summary: 'A node’s loop exit (onMaxVisits) is not one of its exits.' },
  FLOW_LOOP_EXIT_INSIDE_LOOP: { severity: 'error', summary: 'Loop exits (onMaxVisits) lead back into the loop, so reaching the limits would not end it.' },
  FLOW_UNKNOWN_QUEUE: { severity: 'error', summary: 'A queue name the routing service does not know.' },
  FLOW_UNKNOWN_ACTIVITY: { severity: 'error', summary: 'A custom activity that is not registered.' },
  FLOW_UNKNOWN_SUBFLOW: { severity: 'error', summary: 'A subflow that is not published.' },
  FLOW_UNKNOWN_CALENDAR: { severity: 'error', summary: 'A business-hours calendar that does not exist.' },
  FLOW_UNKNOWN_SKILL: { severity: 'warning', summary: 'A required skill no agent of the queue has.' },
  FLOW_UNKNOWN_VARIABLE: { severity: 'error', summary: 'A node writes a variable the flow does not declare.' },
  FLOW_VARIABLE_TYPE_MISMATCH: { severity: 'error', summary: 'A node writes a value of the wrong type into a variable.' },
  FLOW_EXPR_SYNTAX: { severity: 'error', summary: 'An expression is not valid CEL.' },
  FLOW_EXPR_TYPE: { severity: 'error', summary: 'An expression does not type-check (unknown field, wrong operand types…).' },
  FLOW_EXPR_RESULT_TYPE: { severity: 'error', summary: 'An expression gives the wrong type (a condition must be true/false, a priority a whole number).' },
  FLOW_EXPR_LIVE_DATA_ARG: { severity: 'error', summary: 'queue.ewt() or hours.open() is called with something other than a quoted name.' },
  FLOW_EXPR_UNSUPPORTED: { severity: 'error', summary: 'An expression uses a function flows cannot run.' },
  FLOW_TEMPLATE_SYNTAX: { severity: 'error', summary: 'A message template has unbalanced or empty {{ }}.' },
  FLOW_ACTIVITY_INPUT_UNKNOWN: { severity: 'error', summary: 'An activity input is mapped that the activity does not take.' },
  FLOW_ACTIVITY_INPUT_MISSING: { severity: 'error', summary: 'A required activity input is not mapped.' },
  FLOW_SUBFLOW_INPUT_UNKNOWN: { severity: 'error', summary: 'A subflow input names a variable the subflow does not declare.' },
  FLOW_SUBFLOW_RECURSIVE: { severity: 'error', summary: 'A flow calls itself as a subflow.' },
  FLOW_INTERNAL_ERROR: { severity: 'error', summary: 'The compiler failed unexpectedly (a bug: please report it with the document).' },
} as const satisfies Record<string, { severity: 'error' | 'warning'; summary: string }>;

export type DiagnosticCode = keyof typeof diagnosticCatalog;
export type DiagnosticSeverity = 'error' | 'warning';

/**
 * A problem found by the compiler.
 *
 * @example
 * ```ts
 * {
 *   code: 'FLOW_PORT_UNCONNECTED', severity: 'error', nodeId: 'billing-bot', path: ['ports', 'escalate'],
 *   message: "The 'Billing bot' node's 'Escalate' exit is not connected to anything",
 * }
 * ```
 */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: DiagnosticSeverity;
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** Path in the node's config (or in the document for document-level problems). */
  path?: (string | number)[];
  /** Characters of the expression or template at `path` the problem is about. */
  range?: { start: number; end: number };
}

export const DIAGNOSTIC_CODES = Object.keys(diagnosticCatalog) as DiagnosticCode[];

/** Builds a diagnostic with the catalog's severity unless one is given. */
export function diagnostic(code: DiagnosticCode, message: string, where: Omit<Diagnostic, 'code' | 'severity' | 'message'> & { severity?: DiagnosticSeverity } = {}): Diagnostic {
  const { severity, ...location } = where;
  return { code, severity: severity ?? diagnosticCatalog[code].severity, message, ...location };
}

/** Orders diagnostics independently of the order of nodes and edges in the document. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic): string =>
    [d.severity === 'error' ? 0 : 1, d.nodeId ?? '', d.edgeId ?? '', d.code, (d.path ?? []).join('\u0001'), String(d.range?.start ?? -1).padStart(6, '0'), d.message].join('\u0000');
  return diagnostics
    .map((d) => ({ d, k: key(d) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ d }) => d);
}
