/**
 * Recorded histories (test/histories, made by `npm run record-histories`) replay against the current
 * workflow code: a change that would break running contacts fails here and must go behind `patched()`
 * (docs/runtime.md, "Versioning"). The histories are checked to cover every node type at every version
 * this worker runs and the paths that matter — from the files themselves, not from their names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { ContactFlowInput } from '@tandem/workflow-contract';
import type { ContactEventRecord } from '../src/activities/contract';
import { executors } from '../src/nodes/executors';
import { contactWorkflowBundle } from '../src/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });

const dir = path.join(__dirname, 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

type RawEvent = Record<string, { [key: string]: unknown } | undefined>;
interface Payloads {
  payloads?: { data?: string }[];
}

const decode = <T>(payloads: unknown): T => JSON.parse(Buffer.from((payloads as Payloads).payloads?.[0]?.data ?? '', 'base64').toString('utf8')) as T;

/** What a recorded history shows: the plan it ran, the events it sent, the activities it called. */
function read(file: string) {
  const events = (JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { events: RawEvent[] }).events;
  const started = events[0]?.workflowExecutionStartedEventAttributes as { input: unknown };
  const input = decode<ContactFlowInput>(started.input);
  const scheduled = events.flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes as { activityType: { name: string }; input: unknown } | undefined;
    return a ? [{ type: a.activityType.name, input: decode<Record<string, unknown>>(a.input) }] : [];
  });
  const sent = scheduled.filter((a) => a.type === 'emitEvents').flatMap((a) => (a.input as { events: ContactEventRecord[] }).events);
  return {
    file,
    workflowId: (started as { workflowId?: string }).workflowId ?? file,
    plan: input.plan,
    sent,
    scheduled,
    has: (attributes: string) => events.some((e) => e[attributes] !== undefined),
    signals: events.flatMap((e) => ((e.workflowExecutionSignaledEventAttributes as { signalName?: string } | undefined)?.signalName ?? [])),
  };
}

describe('replay of recorded contact histories', () => {
  const histories = files.map(read);
  const entered = histories.flatMap((h) => h.sent.filter((e) => e.type === 'step.entered').map((e) => ({ h, node: h.plan.nodes[e.nodeId]! })));
  const exits = histories.flatMap((h) => h.sent.filter((e) => e.type === 'step.exited').map((e) => ({ node: h.plan.nodes[e.nodeId]!, port: (e.data as { port: string }).port })));

  it('cover every node type at every version this worker runs', () => {
    const covered: Record<string, number[]> = {};
    for (const { node } of entered) if (!covered[node.type]?.includes(node.typeVersion)) (covered[node.type] ??= []).push(node.typeVersion);
    for (const versions of Object.values(covered)) versions.sort((a, b) => a - b);
    expect(covered).toEqual(executors.versions());
  });

  it('cover the paths that matter: breach actions, a failed custom activity, each join mode and wait mode, subflow errors, cancellation, continue-as-new', () => {
    const activities = new Set(histories.flatMap((h) => h.scheduled.map((a) => a.type)));
    expect([...activities]).toEqual(expect.arrayContaining(['raiseWorkItemPriority', 'moveWorkItem']));
    // offer_callback: the customer accepted, the item was withdrawn for a callback.
    expect(histories.some((h) => h.scheduled.some((a) => a.type === 'withdrawWorkItem' && a.input.reason === 'callback'))).toBe(true);
    expect(exits.some((x) => x.node.type === 'activity' && x.port === 'error')).toBe(true);
    expect(histories.some((h) => h.has('activityTaskFailedEventAttributes') && h.scheduled.some((a) => a.type.startsWith('custom:')))).toBe(true);
    expect(new Set(entered.filter((x) => x.node.type === 'parallel').map((x) => x.h.plan.parallels[x.node.id]!.mode))).toEqual(new Set(['all', 'any', 'first']));
    expect(new Set(entered.filter((x) => x.node.type === 'wait').map((x) => x.node.config.mode))).toEqual(new Set(['reply', 'timer', 'until_open']));
    expect(exits.some((x) => x.node.type === 'subflow' && x.node.typeVersion === 2 && x.port === 'error')).toBe(true);
    // A contact (all its runs) cancelled by an operator that ended abandoned.
    const runsOf = (workflowId: string) => histories.filter((h) => h.workflowId === workflowId);
    const cancelled = histories.filter((h) => h.signals.includes('cancel')).map((h) => runsOf(h.workflowId));
    expect(cancelled.some((runs) => runs.some((h) => h.sent.some((e) => e.type === 'contact.ended' && (e.data as { outcome: string }).outcome === 'abandoned')))).toBe(true);
    expect(histories.some((h) => h.has('workflowExecutionContinuedAsNewEventAttributes'))).toBe(true);
  });

  it.each(files)('%s replays deterministically', async (file) => {
    const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { events: RawEvent[] };
    // The recorded workflow id: a caller derives its subflow's id from its own.
    const workflowId = (json.events[0]?.workflowExecutionStartedEventAttributes as { workflowId?: string } | undefined)?.workflowId;
    await Worker.runReplayHistory({ workflowBundle: await contactWorkflowBundle(), replayName: file }, historyFromJSON(json), workflowId);
  });
});
