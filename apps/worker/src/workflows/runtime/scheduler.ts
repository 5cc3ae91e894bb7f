/**
 * Paths and scheduling: a path runs nodes one after another, asking each node's executor for the port
 * it leaves by and following `next[port]`; a parallel starts one path per branch, each advancing on its
 * own (a branch parked on a human never blocks the others), and the join decides when the flow goes on.
 * Visits are counted per node, loop bounds enforced, and every step entered and exited is an event.
 */
import { ApplicationFailure, CancellationScope, condition, isCancellation, log } from '@temporalio/workflow';
import type { Plan, PlanNode } from '@tandem/flow/runtime';
import type { ContactState } from '@tandem/workflow-contract';
import type { ContactEventData, ContactEventType } from '../../activities/contract';
import { workflowNow } from '../clock';
import type { Conversation } from './conversation';
import type { ExecutorRegistry } from './registry';
import { EndReached, type NodeRuntime, type Path, type Step, type StepExit } from './step';

/** What the scheduler needs of the contact around it. */
export interface SchedulerHost {
  readonly plan: Plan;
  readonly state: ContactState;
  readonly conversation: Conversation;
  /** The façade executors get. */
  readonly runtime: NodeRuntime;
  emit<T extends ContactEventType>(type: T, nodeId: string, data: ContactEventData[T]): void;
  /** Where operators see the contact wait (`TandemStep`), published when it parks. */
  stepReached(nodeId: string): void;
  sendEventsIfDue(): void;
  background(task: Promise<unknown>): void;
}

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => typeof (value as Promise<T> | undefined)?.then === 'function';

export class Scheduler {
  /** Paths running now, by id. */
  readonly paths = new Map<string, Path>();
  private counter = 0;

  constructor(
    private readonly host: SchedulerHost,
    private readonly executors: ExecutorRegistry,
  ) {}

  newPath(main: boolean, stopAt?: string): Path {
    const path: Path = { id: `p${this.counter++}`, main, stopAt, stopRequested: false, activity: 'flow', visit: 0, enteredAt: 0 };
    this.paths.set(path.id, path);
    return path;
  }

  /** Runs nodes from `entry` until the path ends (an end node, or its branch's join). */
  async runPath(entry: string, path: Path, resuming = false): Promise<void> {
    const { plan, state } = this.host;
    let id = entry;
    let resumeFirst = resuming;
    for (;;) {
      if (path.stopAt === id || path.stopRequested) return;
      const node = plan.nodes[id];
      if (!node) throw ApplicationFailure.nonRetryable(`the plan has no node "${id}"`, 'PlanError');
      let visit: number;
      if (resumeFirst) {
        visit = state.visits[id] ?? 1;
        path.node = id;
        path.visit = visit;
        path.enteredAt = workflowNow().getTime();
      } else {
        visit = (state.visits[id] ?? 0) + 1;
        state.visits[id] = visit;
        this.enter(path, node, visit);
      }
      const resumingNode = resumeFirst;
      resumeFirst = false;

      let exit: StepExit;
      if (node.loop && visit > node.loop.maxVisits && !resumingNode) {
        exit = node.loop.exitPort;
        log.info('loop bound reached', { nodeId: node.id, maxVisits: node.loop.maxVisits, port: exit });
      } else {
        // The constructor of the contact checked every node of the plan has an executor.
        const step: Step<unknown> = { node, visit, resuming: resumingNode, path };
        const result = this.executors.get(node)!.run(step, this.host.runtime);
        exit = isPromise(result) ? await result : result;
      }
      if (typeof exit === 'object' && 'after' in exit && exit.after) await exit.after;
      if (typeof exit !== 'string') {
        if ('continueAt' in exit) {
          if (exit.port) this.exited(path, node, exit.port);
          id = exit.continueAt;
          continue;
        }
        if (!('port' in exit)) {
          // ENDED. The main path alone simply returns (an error costs a captured stack); branches unwind the rest.
          if (path.main && this.paths.size === 1) return;
          throw new EndReached(node.id);
        }
      }
      const port = typeof exit === 'string' ? exit : exit.port;
      const next = node.next[port];
      this.exited(path, node, port, typeof exit === 'string' ? undefined : exit.error);
      if (next === undefined) throw ApplicationFailure.nonRetryable(`the node "${node.id}" left through "${port}", which leads nowhere`, 'PlanError');
      id = next;
    }
  }

  private enter(path: Path, node: PlanNode, visit: number): void {
    path.node = node.id;
    path.visit = visit;
    path.enteredAt = workflowNow().getTime();
    this.host.state.trail.push(node.id);
    this.host.emit('step.entered', node.id, { nodeType: node.type, visit });
    if (path.main || this.paths.size <= 1) this.host.stepReached(node.id);
  }

  exited(path: Path, node: PlanNode, port: string, error?: string): void {
    this.host.emit('step.exited', node.id, {
      nodeType: node.type,
      visit: path.visit || 1,
      port,
      durationMs: Math.max(0, workflowNow().getTime() - path.enteredAt),
      ...(error ? { error: error.slice(0, 2000) } : {}),
    });
  }

  /**
   * A parallel node: leaves by every branch at once, runs each branch as its own path until the join,
   * and returns when the join's mode lets the flow go on — `all` waits for every branch, `first` goes on
   * with the first to arrive and cancels the others, `any` goes on with the first and lets the others
   * finish the step they are in.
   */
  async runBranches(node: PlanNode, path: Path): Promise<void> {
    const spec = this.host.plan.parallels[node.id];
    if (!spec) throw ApplicationFailure.nonRetryable(`the plan has no parallel spec for "${node.id}"`, 'PlanError');
    if (!this.host.plan.nodes[spec.join]) throw ApplicationFailure.nonRetryable(`the join "${spec.join}" is missing`, 'PlanError');
    for (const b of spec.branches) this.exited(path, node, b.port);
    const arrived: string[] = [];
    const scope = new CancellationScope();
    const branches = spec.branches.map((branch) => {
      const child = this.newPath(false, spec.join);
      return scope
        .run(() => this.runPath(branch.entry, child))
        .then(
          () => void arrived.push(branch.port),
          (e: unknown) => {
            if (isCancellation(e) && scope.consideredCancelled) return;
            throw e;
          },
        )
        .finally(() => {
          this.paths.delete(child.id);
          this.host.sendEventsIfDue(); // the others may all be parked now
        });
    });
    path.node = node.id;
    // The forking path itself waits for its branches.
    this.host.conversation.beginWait();
    try {
      if (spec.mode === 'all') {
        await Promise.all(branches);
      } else {
        await Promise.race([condition(() => arrived.length > 0), Promise.all(branches)]);
        if (spec.mode === 'first') {
          scope.cancel();
          await Promise.allSettled(branches);
        } else {
          for (const p of this.paths.values()) if (p.stopAt === spec.join) p.stopRequested = true;
          this.host.background(Promise.allSettled(branches));
        }
      }
    } finally {
      this.host.conversation.endWait();
    }
    log.debug('join', { joinId: spec.join, arrived });
  }
}
