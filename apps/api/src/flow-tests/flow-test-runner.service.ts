import { Injectable, Logger } from '@nestjs/common';
import type { FlowTestResult, FlowTestRun } from '@tandem/api-contract';
import { type FlowDocument, type FlowTest, flowTestGraph, type Plan } from '@tandem/flow';
import { ContactsService } from '../contacts/contacts.service';
import { SandboxContactsService } from './sandbox-contacts.service';
import { SimulatedAgentService } from './simulated-agent.service';
import { DEFAULT_SETTLE, type SettleOptions, TestConversation } from './test-conversation';

/** Tests of one run played at once: each is a contact polled every few hundred ms; more would crowd Temporal on a small machine. */
export const FLOW_TEST_CONCURRENCY = 4;

/** What to run: a flow's document (its tests and the graph they read) and the plan they run against. */
export interface FlowTestRunRequest {
  flowId: string;
  version: number | 'draft';
  document: FlowDocument;
  plan: Plan;
  tests: readonly FlowTest[];
}

/**
 * Runs flow tests: each as a sandbox contact of the plan on the real worker, several at a time, the
 * agent's turns played by the simulated agent through routing. Used by `POST /v1/flows/:flowId/tests/run`
 * and by publishing.
 */
@Injectable()
export class FlowTestRunner {
  private readonly logger = new Logger(FlowTestRunner.name);
  /** How contacts are watched after each turn (tests of the runner may tighten it). */
  settle: SettleOptions = DEFAULT_SETTLE;

  constructor(
    private readonly sandbox: SandboxContactsService,
    private readonly contacts: ContactsService,
    private readonly agent: SimulatedAgentService,
  ) {}

  async run(request: FlowTestRunRequest): Promise<FlowTestRun> {
    const startedAt = new Date();
    const { tests, plan, document } = request;
    const pinned = tests.length ? await this.sandbox.pin(plan) : { calendars: {}, subflows: {} };
    if (tests.some((t) => t.turns.some((turn) => turn.kind.startsWith('agent_')))) await this.agent.prepare();
    const graph = flowTestGraph(document);
    const deps = { sandbox: this.sandbox, contacts: this.contacts, agent: this.agent, settle: this.settle };
    const flowVersion = request.version === 'draft' ? 0 : request.version;
    const defaultChannel = plan.channels[0] ?? document.channels[0] ?? 'chat';
    const results = await inPool(tests, FLOW_TEST_CONCURRENCY, (test) => new TestConversation(deps, { test, plan, flowVersion, pinned, graph, defaultChannel }).play());
    const count = (status: FlowTestResult['status']) => results.filter((r) => r.status === status).length;
    const summary = { total: results.length, passed: count('passed'), failed: count('failed'), errors: count('error'), skipped: count('skipped') };
    this.logger.log({ flowId: request.flowId, version: request.version, ...summary }, 'flow tests ran');
    return {
      flowId: request.flowId,
      version: request.version,
      planHash: plan.hash,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      passed: summary.failed === 0 && summary.errors === 0,
      summary,
      tests: results,
    };
  }
}

/** Maps items through `fn`, at most `size` at a time, keeping their order. */
async function inPool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}
