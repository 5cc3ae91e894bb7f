/**
 * `runConsumer` refuses options it cannot honour before it connects, naming each problem. Without the
 * check a zero stall timeout replaced the consumer every 250 ms, and NaN left the watchdog disarmed.
 */
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { InvalidConsumerOptionsError, runConsumer, type RunConsumerOptions } from '../src';

// Only the shape is checked before connecting; nothing is called on these.
const kafka = { consumer: () => undefined } as unknown as Kafka;
const dataSource = { transaction: () => undefined } as unknown as DataSource;
const valid: RunConsumerOptions = { kafka, dataSource, groupId: 'g', topics: ['t'], handle: () => Promise.resolve() };

async function problemsOf(options: Partial<RunConsumerOptions>): Promise<string[]> {
  const error = await runConsumer({ ...valid, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidConsumerOptionsError);
  return (error as InvalidConsumerOptionsError).problems;
}

describe('runConsumer options', () => {
  it.each([
    [{ stallTimeoutMs: 0 }, /^stallTimeoutMs: .*1000/],
    [{ stallTimeoutMs: Number.NaN }, /^stallTimeoutMs: /],
    [{ joinTimeoutMs: 2.5 }, /^joinTimeoutMs: must be a whole number of milliseconds/],
    [{ groupId: ' ' }, /^groupId: must not be empty/],
    [{ topics: [] }, /^topics: must name at least one topic/],
    [{ partitionsConsumedConcurrently: 0 }, /^partitionsConsumedConcurrently: /],
    [{ backoff: { initialMs: 5000, maxMs: 100 } }, /^backoff: initialMs must not exceed maxMs/],
    [{ handle: 'apply' as unknown as RunConsumerOptions['handle'] }, /^handle: must be a function/],
    [{ kafka: {} as Kafka }, /^kafka: must be a kafkajs Kafka client/],
  ])('rejects %p', async (options, expected) => {
    const problems = await problemsOf(options);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('lists every problem at once, in the message too', async () => {
    const error = await runConsumer({ ...valid, groupId: '', stallTimeoutMs: -1 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InvalidConsumerOptionsError);
    expect((error as InvalidConsumerOptionsError).problems.map((p) => p.split(':')[0])).toEqual(['groupId', 'stallTimeoutMs']);
    expect((error as Error).message).toMatch(/^runConsumer: invalid options: groupId: .*; stallTimeoutMs: /);
  });
});
