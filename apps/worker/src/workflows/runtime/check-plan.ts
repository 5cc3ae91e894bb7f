/** What a worker checks of a plan before it runs a contact on it. */
import { ApplicationFailure } from '@temporalio/workflow';
import { contentHash } from '@tandem/flow/sandbox';
import type { ContactFlowInput } from '@tandem/workflow-contract';
import type { ExecutorRegistry } from './registry';

/**
 * Refuses a plan this worker must not run. A node version it does not know (a plan compiled by a newer
 * Tandem during a rolling upgrade) fails the workflow *task*: Temporal retries it until a worker that
 * knows the version takes the contact. A plan that does not match its hash (edited after it was
 * compiled) fails the *contact*, non-retryably: nobody reviewed what it would run.
 */
export function checkPlan(input: ContactFlowInput, executors: ExecutorRegistry): void {
  const unknown = Object.values(input.plan.nodes).filter((n) => !executors.get(n));
  if (unknown.length > 0) {
    const list = [...new Set(unknown.map((n) => `${n.type} v${n.typeVersion}`))].join(', ');
    throw new Error(`this worker cannot run ${list} (the plan was compiled by a newer Tandem); the contact waits until a worker that can picks it up`);
  }
  if (contentHash(input.plan) !== input.plan.hash) {
    const version = input.flowVersion === 0 ? 'a draft (test chat)' : `version ${input.flowVersion}`;
    throw ApplicationFailure.nonRetryable(
      `contact ${input.contact.id}: the plan of flow "${input.plan.flowId}" (${version}) does not match its hash ${input.plan.hash.slice(0, 12)}…; it was changed after it was compiled, so it is not run`,
      'PlanHashMismatch',
    );
  }
}
