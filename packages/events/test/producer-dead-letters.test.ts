/** The producers' dead-letter store, on the real database: what a producer could not make valid is kept, once, with the error. */
import { contactEvents, EventValidationError, producerDeadLetter, recordProducerDeadLetters, type ProducerDeadLetter } from '../src';
import { migratedDatabase } from './support/db';

describe('producer dead letters', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  beforeAll(async () => {
    env = await migratedDatabase('events_producer_dl');
  });
  afterAll(() => env.close());

  interface Row {
    source: string;
    event_type: string;
    event_id: string;
    contact_id: string | null;
    payload: string;
    error: string;
  }
  const rows = (eventId: string) => env.dataSource.query<Row[]>(`SELECT * FROM "events"."producer_dead_letters" WHERE "event_id" = $1`, [eventId]);

  /** What a builder refuses: an offer of a work item to an agent with an empty id. */
  function refused(eventId: string): EventValidationError {
    try {
      contactEvents.workItemOffered({ id: eventId, contactId: 'c-7', flowId: 'billing', flowVersion: 2, nodeId: 'esc' }, { workItemId: 'wi-7', queue: 'q', agentId: '', attempt: 1 });
    } catch (e) {
      if (e instanceof EventValidationError) return e;
      throw e;
    }
    throw new Error('the builder accepted an empty agentId');
  }

  it('keeps the refused event with its type, id, contact and error, and reports it as new once', async () => {
    const letter = producerDeadLetter('/tandem/api', refused('e-offered-1'));
    expect(letter).toMatchObject({ source: '/tandem/api', eventType: 'tandem.workitem.offered.v1', eventId: 'e-offered-1', contactId: 'c-7' });
    expect(letter.error).toMatch(/^invalid tandem.workitem.offered.v1 event e-offered-1: data.agentId: agentId must not be empty/);

    expect(await recordProducerDeadLetters(env.dataSource, [letter])).toEqual([letter]);
    // A retried producer records it again: nothing new, nothing to count twice.
    expect(await recordProducerDeadLetters(env.dataSource, [letter, letter])).toEqual([]);
    const [row, ...more] = await rows('e-offered-1');
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({ source: '/tandem/api', event_type: 'tandem.workitem.offered.v1', contact_id: 'c-7', error: letter.error });
    expect(JSON.parse(row!.payload)).toMatchObject({ id: 'e-offered-1', type: 'tandem.workitem.offered.v1', subject: 'c-7', data: { agentId: '', workItemId: 'wi-7' } });
  });

  it('is idempotent per (source, event id): two producers may keep the same id', async () => {
    const api = producerDeadLetter('/tandem/api', refused('e-shared'));
    const worker = { ...api, source: '/tandem/worker' };
    expect(await recordProducerDeadLetters(env.dataSource, [api, worker, api])).toEqual([api, worker]);
    expect((await rows('e-shared')).map((r) => r.source).sort()).toEqual(['/tandem/api', '/tandem/worker']);
  });

  it('commits or rolls back with the transaction it is written in (EntityManager or QueryRunner)', async () => {
    const rolledBack = producerDeadLetter('/tandem/api', refused('e-rolled-back'));
    await expect(
      env.dataSource.transaction(async (manager) => {
        expect(await recordProducerDeadLetters(manager, [rolledBack])).toHaveLength(1);
        throw new Error('the routing change failed');
      }),
    ).rejects.toThrow('the routing change failed');
    expect(await rows('e-rolled-back')).toHaveLength(0);

    const runner = env.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const kept = producerDeadLetter('/tandem/api', refused('e-committed'));
      expect(await recordProducerDeadLetters(runner, [kept])).toEqual([kept]);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(await rows('e-committed')).toHaveLength(1);
  });

  it('keeps any payload: a worker record for an error of another kind, text with a NUL, what JSON cannot hold', async () => {
    const record = { type: 'contact.started', workflowId: 'contact-c-9', sequence: 0, data: { note: 'a\u0000b' } };
    const letters: ProducerDeadLetter[] = [
      producerDeadLetter('/tandem/worker', new Error('unknown contact event type "contact.danced"'), {
        eventType: 'contact.danced',
        eventId: 'e-worker-1',
        contactId: 'c-9',
        payload: record,
      }),
      producerDeadLetter('/tandem/worker', new TypeError('no'), { eventType: 'contact.started', eventId: 'e-worker-2', payload: { big: 1n } }),
    ];
    expect(await recordProducerDeadLetters(env.dataSource, letters)).toHaveLength(2);
    const [first] = await rows('e-worker-1');
    expect(first).toMatchObject({ event_type: 'contact.danced', contact_id: 'c-9', error: 'Error: unknown contact event type "contact.danced"' });
    expect(JSON.parse(first!.payload)).toEqual(record);
    const [second] = await rows('e-worker-2');
    expect(second!.contact_id).toBeNull();
    expect(JSON.parse(second!.payload)).toEqual({ unserializable: expect.stringMatching(/BigInt/) });
  });
});
