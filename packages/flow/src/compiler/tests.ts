/**
 * The flow's tests, checked against the flow they test: ids unique, something happens and something is
 * expected, the steps, exits and variables they name exist, the channel is one the flow accepts, agents
 * act only where a person can get the contact. Tests are not part of the plan, so apart from a duplicate
 * id (which makes a run ambiguous) their problems are warnings: the flow still runs, the test fails.
 */
import { type FlowTestExpectations, hasExpectations } from '../tests';
import { type Compilation, quote } from './compilation';

export function checkTests(compilation: Compilation): void {
  const { tests, channels } = compilation.document;
  const firstById = new Map<string, number>();
  const hasHumanStep = [...compilation.compiled.values()].some((c) => c.definition.type === 'escalate');

  tests.forEach((test, index) => {
    const where = (...path: (string | number)[]) => ({ path: ['tests', index, ...path] });
    const named = `Test ${quote(test.name)}`;
    const first = firstById.get(test.id);
    if (first !== undefined) {
      compilation.report('FLOW_TEST_DUPLICATE_ID', `${named} has the id ${quote(test.id)}, like test #${first + 1}`, where('id'));
    } else {
      firstById.set(test.id, index);
    }
    if (test.firstMessage === undefined && test.turns.length === 0) {
      compilation.report('FLOW_TEST_EMPTY', `${named} has no first message and no turns: nothing happens in it`, where('turns'));
    }
    if (!hasExpectations(test.afterStart) && !test.turns.some((turn) => hasExpectations(turn.expect)) && !hasExpectations(test.expect)) {
      compilation.report('FLOW_TEST_NOTHING_EXPECTED', `${named} expects nothing after any turn nor at the end, so it can never fail`, where('expect'));
    }
    if (test.channel !== undefined && !channels.includes(test.channel)) {
      compilation.report('FLOW_TEST_CHANNEL_NOT_ACCEPTED', `${named} starts on ${test.channel}, which the flow does not accept (it accepts ${channels.join(', ')})`, where('channel'));
    }
    const agentTurn = test.turns.findIndex((turn) => turn.kind.startsWith('agent_'));
    if (agentTurn >= 0 && !hasHumanStep) {
      compilation.report('FLOW_TEST_AGENT_WITHOUT_HUMAN_STEP', `${named}, turn ${agentTurn + 1}: an agent acts, but the flow has no escalate step that could give them the contact`, where('turns', agentTurn));
    }
    checkExpectationRefs(compilation, test.afterStart, `${named}, after the start`, ['tests', index, 'afterStart']);
    test.turns.forEach((turn, t) => checkExpectationRefs(compilation, turn.expect, `${named}, turn ${t + 1}`, ['tests', index, 'turns', t, 'expect']));
    checkExpectationRefs(compilation, test.expect, `${named}, at the end`, ['tests', index, 'expect']);
  });
}

/** The steps, exits and variables an expectation names must exist. */
function checkExpectationRefs(compilation: Compilation, expect: FlowTestExpectations | undefined, where: string, path: (string | number)[]): void {
  if (!expect) return;
  const node = (id: string, what: string, at: (string | number)[]) => {
    if (compilation.nodesById.has(id)) return true;
    compilation.report('FLOW_TEST_UNKNOWN_NODE', `${where}: expects the contact ${what} ${quote(id)}, which is not a step of this flow`, { path: [...path, ...at] });
    return false;
  };
  expect.visited?.forEach((id, i) => node(id, 'to go through', ['visited', i]));
  expect.notVisited?.forEach((id, i) => node(id, 'never to go through', ['notVisited', i]));
  if (expect.at !== undefined) node(expect.at, 'to be at', ['at']);
  if (expect.handoff?.stuckAt !== undefined) node(expect.handoff.stuckAt, 'to be stuck at', ['handoff', 'stuckAt']);
  expect.exits?.forEach((exit, i) => {
    if (!node(exit.node, 'to leave', ['exits', i, 'node'])) return;
    const ports = compilation.compiled.get(exit.node)?.ports;
    if (ports && !ports.some((p) => p.id === exit.port)) {
      const name = compilation.nodeName(compilation.nodesById.get(exit.node)!);
      compilation.report(
        'FLOW_TEST_UNKNOWN_EXIT',
        `${where}: expects ${quote(name)} to leave by ${quote(exit.port)}, which is not one of its exits (${ports.length ? ports.map((p) => quote(p.id)).join(', ') : 'it has none'})`,
        { nodeId: exit.node, path: [...path, 'exits', i, 'port'] },
      );
    }
  });
  for (const name of Object.keys(expect.variables ?? {})) {
    if (!compilation.variables.has(name)) {
      compilation.report('FLOW_TEST_UNKNOWN_VARIABLE', `${where}: expects a value of ctx.${name}, which the flow does not declare`, { path: [...path, 'variables', name] });
    }
  }
}
