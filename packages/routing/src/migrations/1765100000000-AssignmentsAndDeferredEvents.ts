import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Two outboxes written in routing's own transactions:
 * - `assignment_delivery`: the `workItemAssigned` signal to the contact's workflow when an agent takes
 *   an item (accepts an offer, claims it), one row per assignment (keyed by its history event), so the
 *   customer is told a person has joined even if the API dies right after the commit;
 * - `deferred_event`: the events of changes made by a router without an event sink (the worker's, which
 *   creates items and offers them at once on push queues), kept until a router with one (the API's)
 *   publishes them — an offer is never lost to the metrics because of who made it.
 */
export class AssignmentsAndDeferredEvents1765100000000 implements MigrationInterface {
  name = 'AssignmentsAndDeferredEvents1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE routing.assignment_delivery (
        event_id uuid PRIMARY KEY,
        work_item_id uuid NOT NULL REFERENCES routing.work_item (id),
        workflow_id text NOT NULL,
        agent_id text NOT NULL,
        assigned_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending' CONSTRAINT assignment_delivery_status CHECK (status IN ('pending', 'delivered', 'workflow_missing')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_owner text NULL,
        lease_until timestamptz NULL,
        last_error text NULL,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX assignment_delivery_due ON routing.assignment_delivery (next_attempt_at) WHERE status = 'pending'`);

    await q.query(`
      CREATE TABLE routing.deferred_event (
        seq bigserial PRIMARY KEY,
        event jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE routing.deferred_event`);
    await q.query(`DROP TABLE routing.assignment_delivery`);
  }
}
