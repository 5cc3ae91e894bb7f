/**
 * Compiler diagnostics: a stable code, a severity, a message a CX designer understands, and where it
 * belongs (node, edge, config path, characters of an expression) so the designer pins it on the canvas.
 */

/**
 * Every diagnostic code, with its severity, a one-line summary and how a designer fixes it. Codes are
 * stable: never renamed or reused.
 */
export const diagnosticCatalog = {
  FLOW_DOCUMENT_INVALID: { severity: 'error', summary: 'The document does not have the shape of a flow (missing or mistyped fields).' , fix: 'Save the flow from the designer again, or correct the field named in the message (the JSON Schema of the document lists every field).' },
  FLOW_DUPLICATE_NODE_ID: { severity: 'error', summary: 'Two nodes have the same id.' , fix: 'Give each node its own id (the designer does this when nodes are copied; hand-edited documents may not).' },
  FLOW_DUPLICATE_EDGE_ID: { severity: 'error', summary: 'Two connections have the same id.' , fix: 'Give each connection its own id.' },
  FLOW_DUPLICATE_VARIABLE: { severity: 'error', summary: 'A variable is declared twice.' , fix: 'Keep one declaration per variable name.' },
  FLOW_VARIABLE_DEFAULT_INVALID: { severity: 'error', summary: 'A variable’s default value does not have its type.' , fix: 'Change the default to a value of the declared type (e.g. a whole number for `int`), or change the type.' },
  FLOW_UNKNOWN_NODE_TYPE: { severity: 'error', summary: 'A node has a type the catalog does not know.' , fix: 'Replace the node with one from the palette; the type may have been removed or misspelt.' },
  FLOW_UNKNOWN_NODE_VERSION: { severity: 'error', summary: 'A node has a version of its type that does not exist.' , fix: 'Replace the node with the current version from the palette.' },
  FLOW_CONFIG_INVALID: { severity: 'error', summary: 'A node’s settings do not match its type’s config schema.' , fix: 'Correct the field named in the message in the node’s settings.' },
  FLOW_NO_START: { severity: 'error', summary: 'The flow has no start node.' , fix: 'Add a Start node and connect it to the first step.' },
  FLOW_MULTIPLE_STARTS: { severity: 'error', summary: 'The flow has more than one start node.' , fix: 'Keep one Start node; route channels with a decision on `contact.channel` instead.' },
  FLOW_CHANNEL_NOT_DECLARED: { severity: 'error', summary: 'The start accepts a channel the flow does not declare.' , fix: 'Add the channel to the flow’s channels, or remove it from the start.' },
  FLOW_EDGE_INTO_START: { severity: 'error', summary: 'A connection leads into the start node.' , fix: 'Connect the exit to the first step after the start instead (loops must not restart the flow).' },
  FLOW_EDGE_UNKNOWN_SOURCE: { severity: 'error', summary: 'A connection leaves from a node that does not exist.' , fix: 'Delete the connection; its node was removed.' },
  FLOW_EDGE_UNKNOWN_TARGET: { severity: 'error', summary: 'A connection leads to a node that does not exist.' , fix: 'Reconnect the exit to an existing node.' },
  FLOW_EDGE_UNKNOWN_PORT: { severity: 'error', summary: 'A connection leaves from an exit the node does not have.' , fix: 'Reconnect from one of the node’s current exits (a decision rule or branch may have been renamed or deleted).' },
  FLOW_PORT_MULTIPLE_EDGES: { severity: 'error', summary: 'An exit has more than one connection (use a parallel node to fork).' , fix: 'Keep one connection per exit; to do several things at once, connect the exit to a Parallel node.' },
  FLOW_PORT_UNCONNECTED: { severity: 'error', summary: 'An exit of a node is not connected to anything.' , fix: 'Connect the exit to the next step (an End node if the contact is over).' },
  FLOW_NODE_UNREACHABLE: { severity: 'warning', summary: 'No path from the start leads to a node; it never runs and is left out of the plan.' , fix: 'Connect the node from a step that runs, or delete it.' },
  FLOW_PARALLEL_NO_JOIN: { severity: 'error', summary: 'A branch of a parallel never reaches a join.' , fix: 'Connect the end of the branch to the parallel’s Join node.' },
  FLOW_PARALLEL_MULTIPLE_JOINS: { severity: 'error', summary: 'The branches of a parallel reach different joins.' , fix: 'Make every branch of the parallel end at the same Join node.' },
  FLOW_PARALLEL_BRANCH_ESCAPES: { severity: 'error', summary: 'A branch of a parallel can end the contact, or loop back to the parallel, before the join.' , fix: 'Connect the branch’s way out to the Join instead of an End node, and decide after the join how the contact ends.' },
  FLOW_PARALLEL_BRANCHES_SHARE_NODES: {
    severity: 'error',
    summary: 'Two branches of a parallel go through the same node before the join.',
    fix: 'Give each branch its own steps (duplicate the node), or do the shared step after the join.',
  },
  FLOW_PARALLEL_ENTERED_FROM_OUTSIDE: {
    severity: 'error',
    summary: 'A connection from outside a parallel leads into one of its branches or its join.',
    fix: 'Connect only the parallel to its branches; route other paths to a step after the join.',
  },
  FLOW_JOIN_WITHOUT_PARALLEL: { severity: 'error', summary: 'A join is not where the branches of any parallel meet.' , fix: 'Delete the Join, or use it where the branches of a Parallel meet.' },
  FLOW_JOIN_SHARED: { severity: 'error', summary: 'Two parallels meet at the same join.' , fix: 'Give each Parallel node its own Join.' },
  FLOW_CYCLE_WITHOUT_WAIT: { severity: 'error', summary: 'A loop does not pass through a node that waits (bot, wait, escalate, survey, subflow).' , fix: 'Put a node that waits (bot, wait, escalate, survey, subflow) in the loop, e.g. ask the customer again.' },
  FLOW_CYCLE_UNBOUNDED: { severity: 'error', summary: 'A loop has no node with a maximum number of visits.' , fix: 'Set `maxVisits` on one node of the loop (and `onMaxVisits` to the exit that leaves the loop).' },
  FLOW_LOOP_EXIT_UNKNOWN: { severity: 'error', summary: 'A node’s loop exit (onMaxVisits) is not one of its exits.' , fix: 'Set `onMaxVisits` to one of the node’s exits.' },
  FLOW_LOOP_EXIT_INSIDE_LOOP: { severity: 'error', summary: 'Loop exits (onMaxVisits) lead back into the loop, so reaching the limits would not end it.' , fix: 'Set `onMaxVisits` to an exit that leads out of the loop (e.g. a wait’s `timeout`, a bot’s `escalate`).' },
  FLOW_UNKNOWN_QUEUE: { severity: 'error', summary: 'A queue name the routing service does not know.' , fix: 'Pick an existing queue, or create the queue in routing first.' },
  FLOW_UNKNOWN_ACTIVITY: { severity: 'error', summary: 'A custom activity that is not registered.' , fix: 'Pick a registered activity (the palette lists them), or deploy the activity first.' },
  FLOW_UNKNOWN_SUBFLOW: { severity: 'error', summary: 'A subflow that is not published.' , fix: 'Publish the called flow first, or pick a published one.' },
  FLOW_UNKNOWN_CALENDAR: { severity: 'error', summary: 'A business-hours calendar that does not exist.' , fix: 'Pick an existing calendar, or write the hours inline.' },
  FLOW_UNKNOWN_SKILL: { severity: 'warning', summary: 'A required skill no agent of the queue has.' , fix: 'Check the skill name, or give the skill to agents of the queue.' },
  FLOW_UNKNOWN_VARIABLE: { severity: 'error', summary: 'A node writes a variable the flow does not declare.' , fix: 'Declare the variable in the flow’s variables, or pick a declared one.' },
  FLOW_VARIABLE_TYPE_MISMATCH: { severity: 'error', summary: 'A node writes a value of the wrong type into a variable.' , fix: 'Store into a variable of a fitting type, or change the variable’s type.' },
  FLOW_EXPR_SYNTAX: { severity: 'error', summary: 'An expression is not valid CEL.' , fix: 'Fix the expression at the highlighted characters (CEL syntax: `&&`, `||`, `==`, strings in double quotes).' },
  FLOW_EXPR_TYPE: { severity: 'error', summary: 'An expression does not type-check (unknown field, wrong operand types…).' , fix: 'Fix the highlighted part: a field name may be misspelt, or values of different types are combined.' },
  FLOW_EXPR_RESULT_TYPE: { severity: 'error', summary: 'An expression gives the wrong type (a condition must be true/false, a priority a whole number).' , fix: 'Make the expression give the required type, e.g. compare (`nlu.sentiment < -0.5`) instead of returning a number.' },
  FLOW_EXPR_LIVE_DATA_ARG: { severity: 'error', summary: 'queue.ewt() or hours.open() is called with something other than a quoted name.' , fix: 'Write the queue or calendar name in quotes: `queue.ewt("billing")`.' },
  FLOW_EXPR_MAY_FAIL: { severity: 'warning', summary: 'An expression can fail at run time on some values: a conversion of text (`double(ctx.amount)`), a whole-number division by something that may be 0.' , fix: 'Check the value first (`ctx.amount.matches("^[0-9.]+$") && double(ctx.amount) > 100.0`, `ctx.n != 0 && 10 / ctx.n > 1`), or store the value in a variable of the right type. If it fails anyway, the step records the error and a decision takes its default path.' },
  FLOW_EXPR_UNSUPPORTED: { severity: 'error', summary: 'An expression uses a function flows cannot run.' , fix: 'Remove the call; flows cannot run it.' },
  FLOW_TEMPLATE_SYNTAX: { severity: 'error', summary: 'A message template has unbalanced or empty {{ }}.' , fix: 'Close every `{{` with `}}` and put an expression inside.' },
  FLOW_ACTIVITY_INPUT_UNKNOWN: { severity: 'error', summary: 'An activity input is mapped that the activity does not take.' , fix: 'Remove the input, or rename it to one the activity takes.' },
  FLOW_ACTIVITY_INPUT_MISSING: { severity: 'error', summary: 'A required activity input is not mapped.' , fix: 'Map the required input with an expression.' },
  FLOW_SUBFLOW_INPUT_UNKNOWN: { severity: 'error', summary: 'A subflow input names a variable the subflow does not declare.' , fix: 'Remove the input, or declare the variable in the called flow.' },
  FLOW_SUBFLOW_RECURSIVE: { severity: 'error', summary: 'A flow calls itself as a subflow.' , fix: 'Call another flow, or loop inside this flow with a bounded loop.' },
  FLOW_ESCAPE_HATCH_TARGET_UNKNOWN: { severity: 'error', summary: 'The escape hatch (where requests for a person go) names a node the flow does not have.' , fix: 'In the flow\'s settings, pick the step requests for a person go to — usually your escalate step.' },
  FLOW_ESCAPE_HATCH_TARGET_AMBIGUOUS: { severity: 'warning', summary: 'The flow has several human steps and does not say which one requests for a person go to, so they go nowhere.' , fix: 'In the flow\'s settings, pick the step requests for a person go to.' },
  FLOW_ESCAPE_HATCH_OPTED_OUT: { severity: 'warning', summary: 'A step that waits for the customer does not honour requests for a person (it opted out).' , fix: 'Remove the opt-out unless the reason shown still holds.' },
  FLOW_TEST_DUPLICATE_ID: { severity: 'error', summary: 'Two tests of the flow have the same id.' , fix: 'Give each test its own id (the designer does; hand-edited documents may not): a run names the test by its id.' },
  FLOW_TEST_EMPTY: { severity: 'warning', summary: 'A test has no first message and no turns: nothing happens in it.' , fix: 'Give the test a first message, or add turns (customer messages, agent actions, silences).' },
  FLOW_TEST_NOTHING_EXPECTED: { severity: 'warning', summary: 'A test expects nothing, so it can never fail.' , fix: 'Add an expectation after a turn or at the end: a step visited, who handles the contact, the outcome, what the bot says.' },
  FLOW_TEST_UNKNOWN_NODE: { severity: 'warning', summary: 'A test expects a step the flow does not have (it was renamed or deleted), so the test fails.' , fix: 'Pick one of the flow\'s steps in the expectation, or remove it.' },
  FLOW_TEST_UNKNOWN_EXIT: { severity: 'warning', summary: 'A test expects a step to leave by an exit the step does not have, so the test fails.' , fix: 'Pick one of the step\'s exits (a decision rule or branch may have been renamed).' },
  FLOW_TEST_UNKNOWN_VARIABLE: { severity: 'warning', summary: 'A test expects a value of a variable the flow does not declare, so the test fails.' , fix: 'Pick a declared variable, or declare it in the flow\'s variables.' },
  FLOW_TEST_CHANNEL_NOT_ACCEPTED: { severity: 'warning', summary: 'A test starts on a channel the flow does not accept, so it cannot start.' , fix: 'Pick one of the flow\'s channels for the test, or add the channel to the flow.' },
  FLOW_TEST_AGENT_WITHOUT_HUMAN_STEP: { severity: 'warning', summary: 'A test has an agent act, but the flow has no escalate step: no agent ever gets the contact.' , fix: 'Remove the agent\'s turns, or add an escalate step that hands the contact to a person.' },
  FLOW_INTERNAL_ERROR: { severity: 'error', summary: 'The compiler failed unexpectedly (a bug: please report it with the document).' , fix: 'Report it with the document; meanwhile, undo the last change.' },
} as const satisfies Record<string, { severity: 'error' | 'warning'; summary: string; fix: string }>;

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
