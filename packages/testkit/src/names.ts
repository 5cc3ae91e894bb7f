import { randomBytes } from 'node:crypto';

/**
 * A name no other test run uses: for topics, task queues, workflow ids and databases, so suites that
 * share one stack never see each other's data.
 * @example uniqueName('smoke') // 'smoke_m3k2x1_9f2c'
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** When `uniqueName` made `name` (the time it put in it), or undefined for a name it did not make. */
export function uniqueNameTime(name: string): Date | undefined {
  const m = /_([0-9a-z]{6,11})_[0-9a-f]{6}$/.exec(name);
  return m ? new Date(parseInt(m[1]!, 36)) : undefined;
}
