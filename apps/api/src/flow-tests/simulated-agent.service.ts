import { Injectable } from '@nestjs/common';
import { type Completion, RoutingDirectory, WorkRouter } from '@tandem/routing';
import { AgentDeskService } from '../agent-desk/agent-desk.service';

/** The agent flow tests act as: defined in routing, serving no queue, so it is never offered real work. */
export const FLOW_TEST_AGENT_ID = 'flow-tests';

/**
 * The agent of a flow test, acting through the agents' own desk — accept an offer, write, complete,
 * transfer (compliance checks included) — on the one work item its test gives it. The item is offered to
 * it by a system transfer: the agent serves no queue, so neither a claim nor the dispatcher ever gives it
 * a real customer's work.
 */
@Injectable()
export class SimulatedAgentService {
  constructor(
    private readonly router: WorkRouter,
    private readonly directory: RoutingDirectory,
    private readonly desk: AgentDeskService,
  ) {}

  /** Defines the agent (no queues, room on every channel) and makes it available; also recounts its load. */
  async prepare(): Promise<void> {
    await this.directory.defineAgent({ id: FLOW_TEST_AGENT_ID, displayName: 'Flow tests (simulated agent)', queues: [], capacity: { chat: 100, voice: 100, email: 100 } });
    await this.router.setAgentStatus(FLOW_TEST_AGENT_ID, 'available', { reason: 'flow tests' });
  }

  /** The contact's work item is offered to the agent, who accepts it. */
  async accept(workItemId: string): Promise<void> {
    await this.router.transferWorkItem(workItemId, { toAgentId: FLOW_TEST_AGENT_ID, by: { kind: 'system' }, note: 'flow test: offered to the simulated agent' });
    const pending = (await this.router.pendingOffersFor(FLOW_TEST_AGENT_ID)).find((p) => p.workItem.id === workItemId);
    if (!pending) throw new Error(`work item ${workItemId} was not offered to the simulated agent`);
    await this.desk.accept(FLOW_TEST_AGENT_ID, pending.offer.id);
  }

  async message(workItemId: string, text: string): Promise<void> {
    await this.desk.message(FLOW_TEST_AGENT_ID, workItemId, text);
  }

  async resolve(workItemId: string, completion: Completion): Promise<void> {
    await this.desk.complete(FLOW_TEST_AGENT_ID, workItemId, completion);
  }

  async transfer(workItemId: string, queue: string, note: string | undefined): Promise<void> {
    await this.desk.transfer(FLOW_TEST_AGENT_ID, workItemId, { toQueue: queue, ...(note ? { note } : {}) });
  }

  /** The queue a work item is in now (a transfer moves it without the flow knowing). */
  async queueOf(workItemId: string): Promise<string> {
    return (await this.router.getWorkItem(workItemId)).queue;
  }
}
