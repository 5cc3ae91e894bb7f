import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Tickets: follow-up and callback work a flow logs (after hours, when no agent was free in time) for
 * people to pick up later. Created idempotently per flow step (the activity may be retried).
 */
export class CreateTickets1763900000000 implements MigrationInterface {
  name = 'CreateTickets1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE routing.ticket (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        idempotency_key text NOT NULL CONSTRAINT ticket_idempotency_key UNIQUE,
        kind text NOT NULL CONSTRAINT ticket_kind CHECK (kind IN ('callback', 'follow_up')),
        status text NOT NULL DEFAULT 'open' CONSTRAINT ticket_status CHECK (status IN ('open', 'done', 'cancelled')),
        queue_name text NULL,
        contact_id text NOT NULL,
        workflow_id text NOT NULL,
        node_id text NOT NULL,
        channel text NOT NULL,
        customer jsonb NOT NULL,
        subject text NOT NULL CONSTRAINT ticket_subject_present CHECK (length(subject) > 0),
        body text NULL,
        priority integer NOT NULL DEFAULT 0,
        due_at timestamp with time zone NULL,
        handoff jsonb NULL,
        resolution text NULL,
        closed_by text NULL,
        created_at timestamp with time zone NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        closed_at timestamp with time zone NULL
      )`);
    await q.query(`CREATE INDEX ticket_open_due ON routing.ticket (queue_name, due_at NULLS LAST, priority DESC) WHERE status = 'open'`);
    await q.query(`CREATE INDEX ticket_contact ON routing.ticket (contact_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE routing.ticket`);
  }
}
