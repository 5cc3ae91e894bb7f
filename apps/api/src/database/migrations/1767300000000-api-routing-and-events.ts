import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Phase 2: queues move to routing (`routing.queue`, which carries skills, SLA, distribution and
 * overflow), so the API's interim `queue_directory` goes — its rows are copied into routing first, with
 * a 60-second SLA target until someone sets one. And `escalation_contexts` remembers, per work item,
 * the flow version, the escalate node, and the node and trigger that caused the escalation: what the
 * events of an agent's wrap-up are tied to (`feedback.escalation-tagged`).
 */
export class ApiRoutingAndEvents1767300000000 implements MigrationInterface {
  name = 'ApiRoutingAndEvents1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO routing.queue (name, description, sla_target_seconds, created_at, updated_at)
      SELECT d.name, COALESCE(NULLIF(d.description, ''), d.title), 60, d.updated_at, d.updated_at
        FROM queue_directory d
       WHERE d.name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'
      ON CONFLICT (name) DO NOTHING`);
    await q.query('DROP TABLE queue_directory');
    await q.query(`
      CREATE TABLE escalation_contexts (
        work_item_id text PRIMARY KEY,
        contact_id text NOT NULL,
        workflow_id text,
        flow_id text NOT NULL,
        flow_version int NOT NULL CHECK (flow_version >= 0),
        escalate_node_id text NOT NULL,
        cause_node_id text NOT NULL,
        trigger text,
        queue text NOT NULL,
        source text NOT NULL CHECK (source IN ('event', 'workflow')),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE escalation_contexts');
    await q.query(`
      CREATE TABLE queue_directory (
        name text PRIMARY KEY,
        title text NOT NULL,
        description text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO queue_directory (name, title, description, updated_at) SELECT name, name, NULLIF(description, ''), updated_at FROM routing.queue`);
  }
}
