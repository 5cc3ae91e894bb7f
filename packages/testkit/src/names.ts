import { randomBytes } from 'node:crypto';

/**
 * A name no other test run uses: for topics, task queues, workflow ids and databases, so suites that
 * share one stack never see each other's data.
 * @example uniqueName('smoke') // 'smoke_m3k2x1_9f2c'
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
