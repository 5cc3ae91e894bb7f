/**
 * One flow test played as a conversation with a sandbox contact: the opening, each turn (the customer
 * writes, the simulated agent acts, the customer stays quiet), and the end. After each, the contact is
 * watched until it has answered — nothing in flight, nothing changing, and what the action waits for
 * seen (an agent's resolution reaching the flow) — or until the turn's expectations hold; then they are
 * checked. The first turn that fails ends the test (what follows it would test another conversation).
 */
import { HttpException } from '@nestjs/common';
import type { FlowTestResult, FlowTestTurnResult } from '@tandem/api-contract';
import type { Channel, CustomerInput } from '@tandem/contracts';
import { checkExpectations, describeTurn, type FlowTest, type FlowTestCheck, type FlowTestExpectations, type FlowTestGraph, type FlowTestObservation, type FlowTestTurn, type Plan } from '@tandem/flow';
import { RoutingError } from '@tandem/routing';
import type { ContactStateView } from '@tandem/workflow-contract';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../common/errors';
import type { ContactsService } from '../contacts/contacts.service';
import { type PinnedReferences, SANDBOX_CONTACT_PREFIX, type SandboxContactsService, type SandboxSnapshot } from './sandbox-contacts.service';
import type { SimulatedAgentService } from './simulated-agent.service';

/** How the contact is watched after a turn. */
export interface SettleOptions {
  /** Give up on a turn the contact has not answered after this long. */
  turnTimeoutMs: number;
  pollMs: number;
  /** Idle, unchanged observations in a row that count as "it has answered". */
  stablePolls: number;
  /** How long an accept waits to see the agent join before it is checked as it is. */
  acceptGraceMs: number;
}

export const DEFAULT_SETTLE: SettleOptions = { turnTimeoutMs: 30_000, pollMs: 150, stablePolls: 3, acceptGraceMs: 3_000 };

export interface ConversationDeps {
  sandbox: SandboxContactsService;
  contacts: ContactsService;
  agent: SimulatedAgentService;
  settle: SettleOptions;
}

export interface ConversationSetup {
  test: FlowTest;
  plan: Plan;
  flowVersion: number;
  pinned: PinnedReferences;
  graph: FlowTestGraph;
  /** The channel when the test names none: the flow's first. */
  defaultChannel: Channel;
}

/** What a turn did to the contact, when it could not even be played as the test says. */
class TurnRefused extends Error {
  constructor(readonly check: FlowTestCheck) {
    super(`${check.expected}; ${check.actual}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FLOW_SPEAKERS = new Set(['bot', 'system']);

export class TestConversation {
  private readonly contactId = `${SANDBOX_CONTACT_PREFIX}${randomUUID()}`;
  private last: SandboxSnapshot | null = null;
  /** The work item the simulated agent holds now. */
  private held: string | null = null;

  constructor(
    private readonly deps: ConversationDeps,
    private readonly setup: ConversationSetup,
  ) {}

  async play(): Promise<FlowTestResult> {
    const { test } = this.setup;
    const started = Date.now();
    const result: FlowTestResult = { testId: test.id, name: test.name, status: 'passed', reason: null, failure: null, contactId: null, durationMs: 0, turns: [], path: [], outcome: null, transcript: [] };
    if (test.clock) {
      return {
        ...result,
        status: 'skipped',
        reason: `it is set at ${[test.clock.date, test.clock.time].filter(Boolean).join(' ')} (${test.clock.timezone}), and the runtime cannot run a contact at a chosen time yet`,
      };
    }
    result.contactId = this.contactId;
    try {
      const steps: { label: string; kind: FlowTestTurnResult['kind']; expect: FlowTestExpectations | undefined; play: () => Promise<(snapshot: SandboxSnapshot, elapsedMs: number) => boolean> }[] = [
        { label: test.firstMessage ? `opening — customer: “${test.firstMessage.length > 60 ? `${test.firstMessage.slice(0, 59)}…` : test.firstMessage}”` : 'opening', kind: 'start', expect: test.afterStart, play: () => this.open() },
        ...test.turns.map((turn) => ({ label: describeTurn(turn), kind: 'turn' as const, expect: turn.expect, play: () => this.act(turn) })),
      ];
      for (const [index, step] of steps.entries()) {
        const turn = await this.turn(index, step.kind, step.label, step.expect, step.play);
        result.turns.push(turn);
        if (turn.status !== 'passed') break;
      }
      if (result.turns.every((t) => t.status === 'passed')) result.turns.push(this.end(steps.length));
      for (let index = result.turns.length; index <= steps.length; index++) {
        const step = steps[index];
        result.turns.push({ index, kind: step?.kind ?? 'end', label: step?.label ?? 'at the end', status: 'not_run', checks: [], said: [], path: [], steps: [], handledBy: null, durationMs: 0 });
      }
    } finally {
      if (this.last?.running !== false) await this.deps.sandbox.cancel(this.contactId);
    }
    const view = this.last?.view;
    const broken = result.turns.find((t) => t.status === 'failed' || t.status === 'error');
    return {
      ...result,
      status: broken ? (broken.status === 'error' ? 'error' : 'failed') : 'passed',
      reason: broken?.status === 'error' ? (broken.error ?? null) : null,
      failure: broken ? { turn: broken.index, label: broken.label, message: failureMessage(broken) } : null,
      durationMs: Date.now() - started,
      path: view?.path ?? [],
      outcome: view?.outcome ?? null,
      transcript: view?.transcript ?? [],
    };
  }

  // ---- the turns

  private async open(): Promise<() => boolean> {
    const { test, plan, flowVersion, pinned, defaultChannel } = this.setup;
    const customer: CustomerInput = { ...test.customer };
    await this.deps.sandbox.start({ contactId: this.contactId, plan, flowVersion, pinned, channel: test.channel ?? defaultChannel, customer, firstMessage: test.firstMessage });
    return () => true;
  }

  private async act(turn: FlowTestTurn): Promise<(snapshot: SandboxSnapshot, elapsedMs: number) => boolean> {
    const before = this.last?.view;
    switch (turn.kind) {
      case 'customer':
        await this.refusedAs(
          () => this.deps.contacts.message(this.contactId, { text: turn.text }),
          'the contact takes the customer’s message',
          (e) => (before?.outcome ? `the contact had ended (${before.outcome})` : e.message),
        );
        return () => true;
      case 'quiet':
        // The turn *is* the silence: timers, quiet periods and SLAs run meanwhile.
        await sleep(turn.seconds * 1000);
        return () => true;
      case 'agent_accept': {
        const item = before?.workItem;
        if (!item || before.outcome) {
          throw new TurnRefused({ field: 'agent', passed: false, expected: 'a work item for the agent to take', actual: `the contact is not waiting for a person (handled by ${before?.handledBy ?? 'nobody yet'})` });
        }
        if (this.held === item.id) throw new TurnRefused({ field: 'agent', passed: false, expected: 'a work item for the agent to take', actual: 'the agent already has it' });
        await this.refusedAs(() => this.deps.agent.accept(item.id), 'the agent takes the work item', (e) => e.message);
        this.held = item.id;
        return (snapshot, elapsed) => snapshot.view.handledBy === 'human' || elapsed >= this.deps.settle.acceptGraceMs;
      }
      case 'agent_message': {
        const item = this.holding('write to the customer');
        await this.refusedAs(() => this.deps.agent.message(item, turn.text), 'the agent’s message is sent', (e) => e.message);
        return () => true;
      }
      case 'agent_resolve': {
        const item = this.holding('resolve the work item');
        await this.refusedAs(() => this.deps.agent.resolve(item, { outcome: turn.outcome, reasonTags: turn.tags, ...(turn.note ? { note: turn.note } : {}) }), 'the agent completes the work item', (e) => e.message);
        this.held = null;
        // The resolution reaches the flow through routing's outbox: wait until the flow has taken it.
        return (snapshot) => !snapshot.running || snapshot.view.outcome !== null || snapshot.view.workItem?.id !== item;
      }
      case 'agent_transfer': {
        const item = this.holding('transfer the work item');
        await this.refusedAs(() => this.deps.agent.transfer(item, turn.queue, turn.note), `the agent transfers the work item to ${turn.queue}`, (e) => e.message);
        this.held = null;
        return () => true;
      }
    }
  }

  /** The work item the agent holds, or why the turn cannot be played. */
  private holding(what: string): string {
    if (this.held) return this.held;
    throw new TurnRefused({ field: 'agent', passed: false, expected: `the agent holds the contact’s work item, to ${what}`, actual: 'the agent has not accepted it (add an “agent accepts” turn before)' });
  }

  /**
   * Runs an action; a refusal the flow's state explains (an ended contact, an item in another state, a
   * message compliance blocks) fails the turn, anything else is an error of the run.
   */
  private async refusedAs(action: () => Promise<unknown>, expected: string, actual: (e: Error) => string): Promise<void> {
    try {
      await action();
    } catch (e) {
      const refusal = (e instanceof HttpException && e.getStatus() < 500) || (e instanceof RoutingError && e.code !== 'invalid');
      if (refusal) throw new TurnRefused({ field: 'action', passed: false, expected, actual: actual(e) });
      throw e;
    }
  }

  // ---- answering and checking

  private async turn(
    index: number,
    kind: FlowTestTurnResult['kind'],
    label: string,
    expect: FlowTestExpectations | undefined,
    play: () => Promise<(snapshot: SandboxSnapshot, elapsedMs: number) => boolean>,
  ): Promise<FlowTestTurnResult> {
    const started = Date.now();
    const before = { transcript: this.last?.view.transcript.length ?? 0, path: this.last?.view.path.length ?? 0 };
    const result = (status: FlowTestTurnResult['status'], checks: FlowTestCheck[], extra: Partial<FlowTestTurnResult> = {}): FlowTestTurnResult => {
      const view = this.last?.view;
      return {
        index,
        kind,
        label,
        status,
        checks,
        said: view ? said(view, before.transcript) : [],
        path: view?.path.slice(before.path) ?? [],
        steps: view?.steps ?? [],
        handledBy: view?.handledBy ?? null,
        durationMs: Date.now() - started,
        ...extra,
      };
    };
    let answered: (snapshot: SandboxSnapshot, elapsedMs: number) => boolean;
    try {
      answered = await play();
    } catch (e) {
      if (e instanceof TurnRefused) return result('failed', [e.check]);
      return result('error', [], { error: `the turn could not be played: ${describe(e)}` });
    }
    const settled = await this.settle(started, answered, (snapshot) => this.check(expect, snapshot, before.transcript));
    if (!this.last) return result('error', [], { error: `the contact did not answer within ${this.deps.settle.turnTimeoutMs / 1000} s: is a worker running?` });
    const checks = await this.check(expect, this.last, before.transcript);
    const passed = checks.every((c) => c.passed);
    if (!settled && !passed) {
      return result('error', checks, { error: `the contact was still busy ${this.deps.settle.turnTimeoutMs / 1000} s after the turn (at ${this.last.view.steps.join(', ') || 'no step'})` });
    }
    return result(passed ? 'passed' : 'failed', checks);
  }

  /** The test's final expectations, on the conversation as the last turn left it. */
  private end(index: number): FlowTestTurnResult {
    const view = this.last!.view;
    const checks = checkExpectations(this.setup.test.expect, this.observe(this.last!, 0, null), this.setup.graph);
    return { index, kind: 'end', label: 'at the end', status: checks.every((c) => c.passed) ? 'passed' : 'failed', checks, said: [], path: [], steps: view.steps, handledBy: view.handledBy, durationMs: 0 };
  }

  /**
   * Watches the contact until it has answered: idle (no workflow task or activity in flight), what the
   * action waits for seen, and either unchanged for a few observations or the expectations already met.
   * False when the turn's time ran out first.
   */
  private async settle(started: number, answered: (snapshot: SandboxSnapshot, elapsedMs: number) => boolean, holds: (snapshot: SandboxSnapshot) => Promise<FlowTestCheck[]>): Promise<boolean> {
    const { turnTimeoutMs, pollMs, stablePolls } = this.deps.settle;
    let previous = '';
    let stable = 0;
    for (;;) {
      const snapshot = await this.deps.sandbox.snapshot(this.contactId).catch(() => null);
      if (snapshot) {
        this.last = snapshot;
        const fingerprint = JSON.stringify([snapshot.view.path.length, snapshot.view.transcript.length, snapshot.view.steps, snapshot.view.handledBy, snapshot.view.outcome, snapshot.view.workItem]);
        const idle = !snapshot.busy && answered(snapshot, Date.now() - started);
        stable = idle ? (fingerprint === previous ? stable + 1 : 1) : 0;
        previous = fingerprint;
        if (idle && (stable >= stablePolls || (await holds(snapshot)).every((c) => c.passed))) return true;
      }
      if (Date.now() - started > turnTimeoutMs) return false;
      await sleep(pollMs);
    }
  }

  private async check(expect: FlowTestExpectations | undefined, snapshot: SandboxSnapshot, saidFrom: number): Promise<FlowTestCheck[]> {
    const item = snapshot.view.workItem;
    // The queue as routing has it: an agent's transfer moves the item without the flow knowing.
    const queue = expect?.queue !== undefined && item ? await this.deps.agent.queueOf(item.id).catch(() => item.queue) : (item?.queue ?? null);
    return checkExpectations(expect, this.observe(snapshot, saidFrom, queue), this.setup.graph);
  }

  private observe({ view }: SandboxSnapshot, saidFrom: number, queue: string | null): FlowTestObservation {
    return { path: view.path, steps: view.steps, handledBy: view.handledBy, outcome: view.outcome, queue: queue ?? view.workItem?.queue ?? null, handoff: view.handoff, said: said(view, saidFrom), ctx: view.ctx };
  }
}

/** What the flow said (bot and system messages) from a transcript index on. */
function said(view: ContactStateView, from: number): string[] {
  return view.transcript.slice(from).filter((e) => FLOW_SPEAKERS.has(e.from)).map((e) => e.text);
}

function failureMessage(turn: FlowTestTurnResult): string {
  if (turn.status === 'error') return turn.error ?? 'the turn could not be played';
  const failed = turn.checks.filter((c) => !c.passed);
  return failed.map((c) => `expected: ${c.expected} — but ${c.actual}`).join('; ');
}

function describe(e: unknown): string {
  if (e instanceof ApiError || e instanceof Error) return e.message;
  return String(e);
}
