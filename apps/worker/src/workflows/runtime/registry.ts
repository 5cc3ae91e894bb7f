/**
 * A static table from node type@version to its executor. The workflow bundle's entry builds the
 * production one from `src/nodes/executors.ts`; a test can build another (a "next build").
 */
import type { PlanNode } from '@tandem/flow/runtime';
import type { NodeExecutor } from './step';

export class ExecutorRegistry {
  private readonly byKey = new Map<string, NodeExecutor<unknown>>();

  constructor(executors: readonly NodeExecutor<never>[]) {
    for (const executor of executors as readonly NodeExecutor<unknown>[]) {
      const key = `${executor.type}@${executor.version}`;
      if (this.byKey.has(key)) throw new Error(`two executors for ${key}`);
      this.byKey.set(key, executor);
    }
  }

  /** The executor of a plan node, or undefined when this build does not run its type@version. */
  get(node: Pick<PlanNode, 'type' | 'typeVersion'>): NodeExecutor<unknown> | undefined {
    return this.byKey.get(`${node.type}@${node.typeVersion}`);
  }

  /** The versions this build runs, by node type (checked against the flow catalog by a test). */
  versions(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const e of this.byKey.values()) (out[e.type] ??= []).push(e.version);
    for (const list of Object.values(out)) list.sort((a, b) => a - b);
    return out;
  }

  all(): NodeExecutor<unknown>[] {
    return [...this.byKey.values()];
  }
}
