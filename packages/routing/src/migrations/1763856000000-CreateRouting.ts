import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The routing schema: queues, agents, work items, offers, the append-only history, and the outbox of
 * `workItemResolved` signals. Everything lives in the `routing` PostgreSQL schema so the API and the
 * worker can compose it into their own databases without name clashes.
 */
export class CreateRouting1763856000000 implements MigrationInterface {
  name = 'CreateRouting1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS routing`);

    // Skills as tokens, so "has every required skill at or above the level" is one array containment
    // (`required_tokens <@ skill_tokens`) instead of a function call per row: a requirement
    // {billing: 2} is the token billing:2, and an agent with billing 3 holds billing:1, billing:2, billing:3.
    await q.query(`
      CREATE FUNCTION routing.requirement_tokens(required jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT COALESCE(array_agg(r.key || ':' || r.value ORDER BY r.key), '{}') FROM jsonb_each_text(required) r
      $$`);
    await q.query(`
      CREATE FUNCTION routing.capability_tokens(skills jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT COALESCE(array_agg(s.key || ':' || l ORDER BY s.key, l), '{}')
        FROM jsonb_each_text(skills) s, generate_series(1, s.value::integer) l
      $$`);
    // What a requirement comes down to once every relaxation step applies: an agent without even that
    // can never take an item of the queue.
    await q.query(`
      CREATE FUNCTION routing.fully_relaxed(required jsonb, relaxation jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT COALESCE(jsonb_object_agg(x.key, x.level), '{}'::jsonb) FROM (
          SELECT r.key, LEAST(r.value::integer,
                   (SELECT min((s ->> 'level')::integer) FROM jsonb_array_elements(relaxation) s WHERE s ->> 'skill' = r.key)) AS level
          FROM jsonb_each_text(required) r) x
        WHERE x.level > 0
      $$`);

    await q.query(`
      CREATE TABLE routing.queue (
        name text PRIMARY KEY CONSTRAINT queue_name_format CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
        description text NOT NULL DEFAULT '',
        skills jsonb NOT NULL DEFAULT '{}'::jsonb,
        distribution text NOT NULL DEFAULT 'pull' CONSTRAINT queue_distribution CHECK (distribution IN ('push', 'pull')),
        sla_target_seconds integer NOT NULL CONSTRAINT queue_sla_positive CHECK (sla_target_seconds > 0),
        business_hours text NULL,
        overflow_queue text NULL REFERENCES routing.queue (name),
        max_wait_seconds integer NULL CONSTRAINT queue_max_wait_positive CHECK (max_wait_seconds > 0),
        relaxation jsonb NOT NULL DEFAULT '[]'::jsonb,
        floor_tokens text[] NOT NULL DEFAULT '{}',
        offer_timeout_seconds integer NOT NULL DEFAULT 30 CONSTRAINT queue_offer_timeout_positive CHECK (offer_timeout_seconds > 0),
        aging_per_minute double precision NOT NULL DEFAULT 0 CONSTRAINT queue_aging_rate CHECK (aging_per_minute >= 0),
        aging_cap double precision NOT NULL DEFAULT 0 CONSTRAINT queue_aging_cap CHECK (aging_cap >= 0),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE routing.agent (
        id text PRIMARY KEY,
        display_name text NOT NULL DEFAULT '',
        skills jsonb NOT NULL DEFAULT '{}'::jsonb,
        skill_tokens text[] NOT NULL DEFAULT '{}',
        capacity jsonb NOT NULL DEFAULT '{}'::jsonb,
        load jsonb NOT NULL DEFAULT '{}'::jsonb,
        queues text[] NOT NULL DEFAULT '{}',
        status text NOT NULL CONSTRAINT agent_status CHECK (status IN ('available', 'away', 'offline')),
        status_changed_at timestamptz NOT NULL,
        last_idle_since timestamptz NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE routing.work_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workflow_id text NOT NULL,
        step_id text NOT NULL,
        visit integer NOT NULL CONSTRAINT work_item_visit CHECK (visit >= 0),
        contact_id text NOT NULL,
        queue_name text NOT NULL REFERENCES routing.queue (name),
        channel text NOT NULL,
        priority integer NOT NULL DEFAULT 0,
        requested_skills jsonb NOT NULL DEFAULT '{}'::jsonb,
        required_skills jsonb NOT NULL DEFAULT '{}'::jsonb,
        required_tokens text[] NOT NULL DEFAULT '{}',
        handoff jsonb NOT NULL,
        notes jsonb NOT NULL DEFAULT '[]'::jsonb,
        status text NOT NULL CONSTRAINT work_item_status
          CHECK (status IN ('queued', 'offered', 'assigned', 'wrapping', 'completed', 'transferred', 'abandoned')),
        agent_id text NULL REFERENCES routing.agent (id),
        attempts integer NOT NULL DEFAULT 0,
        outcome text NULL,
        reason_tags text[] NOT NULL DEFAULT '{}',
        resolution_note text NULL,
        created_at timestamptz NOT NULL,
        queued_at timestamptz NOT NULL,
        answered_at timestamptz NULL,
        assigned_at timestamptz NULL,
        wrapping_at timestamptz NULL,
        ended_at timestamptz NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT work_item_idempotency_key UNIQUE (workflow_id, step_id, visit),
        CONSTRAINT work_item_held_by_agent CHECK (status NOT IN ('offered', 'assigned', 'wrapping') OR agent_id IS NOT NULL)
      )`);
    // The token columns follow the skills they derive from. Triggers rather than generated columns:
    // PostgreSQL recomputes a stored generated column on every UPDATE, and claims update agents and
    // work items constantly; "UPDATE OF" fires only when the skills themselves change.
    await q.query(`
      CREATE FUNCTION routing.derive_skill_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'work_item' THEN
          NEW.required_tokens := routing.requirement_tokens(NEW.required_skills);
        ELSIF TG_TABLE_NAME = 'agent' THEN
          NEW.skill_tokens := routing.capability_tokens(NEW.skills);
        ELSE
          NEW.floor_tokens := routing.requirement_tokens(routing.fully_relaxed(NEW.skills, NEW.relaxation));
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER queue_floor_tokens BEFORE INSERT OR UPDATE OF skills, relaxation, floor_tokens ON routing.queue
      FOR EACH ROW EXECUTE FUNCTION routing.derive_skill_tokens()`);
    await q.query(`CREATE TRIGGER agent_skill_tokens BEFORE INSERT OR UPDATE OF skills, skill_tokens ON routing.agent
      FOR EACH ROW EXECUTE FUNCTION routing.derive_skill_tokens()`);
    await q.query(`CREATE TRIGGER work_item_required_tokens BEFORE INSERT OR UPDATE OF required_skills, required_tokens ON routing.work_item
      FOR EACH ROW EXECUTE FUNCTION routing.derive_skill_tokens()`);
    // The claim walks this index head by head: per queue and base priority, the oldest queued item.
    await q.query(`CREATE INDEX work_item_queue_head ON routing.work_item (queue_name, priority DESC, queued_at, id) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX work_item_agent_active ON routing.work_item (agent_id) WHERE status IN ('offered', 'assigned', 'wrapping')`);
    await q.query(`CREATE INDEX work_item_queue_ended ON routing.work_item (queue_name, ended_at) WHERE ended_at IS NOT NULL`);
    await q.query(`CREATE INDEX work_item_queue_answered ON routing.work_item (queue_name, answered_at) WHERE answered_at IS NOT NULL`);
    // No index on contact_id: a contact's items are found by workflow id (contact-<id>), the leading
    // column of the idempotency key; every extra index costs each claim and completion an insert.

    await q.query(`
      CREATE TABLE routing.offer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        work_item_id uuid NOT NULL REFERENCES routing.work_item (id),
        agent_id text NOT NULL REFERENCES routing.agent (id),
        status text NOT NULL CONSTRAINT offer_status CHECK (status IN ('pending', 'accepted', 'rejected', 'expired', 'revoked')),
        offered_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        responded_at timestamptz NULL,
        reason text NULL
      )`);
    // An item is reserved for at most one agent at a time.
    await q.query(`CREATE UNIQUE INDEX offer_one_pending_per_item ON routing.offer (work_item_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX offer_pending_by_agent ON routing.offer (agent_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX offer_pending_by_expiry ON routing.offer (expires_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX offer_item_agent ON routing.offer (work_item_id, agent_id)`);

    await q.query(`
      CREATE TABLE routing.work_item_history (
        seq bigserial PRIMARY KEY,
        -- A random UUID: unique without a unique index that every claim would have to maintain.
        event_id uuid NOT NULL DEFAULT gen_random_uuid(),
        work_item_id uuid NOT NULL REFERENCES routing.work_item (id),
        type text NOT NULL,
        from_status text NULL,
        to_status text NOT NULL,
        queue_name text NOT NULL,
        agent_id text NULL,
        actor text NOT NULL,
        reason text NULL,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX work_item_history_item ON routing.work_item_history (work_item_id, seq)`);
    // Append-only is a property of the table, not a convention of this package.
    await q.query(`
      CREATE FUNCTION routing.reject_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'routing.work_item_history is append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER work_item_history_append_only BEFORE UPDATE OR DELETE ON routing.work_item_history
      FOR EACH ROW EXECUTE FUNCTION routing.reject_history_change()`);
    await q.query(`
      CREATE TRIGGER work_item_history_no_truncate BEFORE TRUNCATE ON routing.work_item_history
      FOR EACH STATEMENT EXECUTE FUNCTION routing.reject_history_change()`);

    await q.query(`
      CREATE TABLE routing.resolution_delivery (
        work_item_id uuid PRIMARY KEY REFERENCES routing.work_item (id),
        workflow_id text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CONSTRAINT resolution_delivery_status CHECK (status IN ('pending', 'delivered', 'workflow_missing')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_owner text NULL,
        lease_until timestamptz NULL,
        last_error text NULL,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX resolution_delivery_due ON routing.resolution_delivery (next_attempt_at) WHERE status = 'pending'`);

    // Does an agent with these skills meet the item's requirement once it has waited this long? A
    // relaxation step lowers one required skill to `level` (0 drops it) after `afterSeconds`.
    // PL/pgSQL rather than SQL: its plans are cached per session, which matters on the claim path.
    await q.query(`
      CREATE FUNCTION routing.skills_met(required jsonb, relaxation jsonb, waited_seconds double precision, agent_skills jsonb)
      RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        r record;
        step jsonb;
        needed integer;
      BEGIN
        FOR r IN SELECT key, value::integer AS level FROM jsonb_each_text(required) LOOP
          needed := r.level;
          IF relaxation <> '[]'::jsonb THEN
            FOR step IN SELECT jsonb_array_elements(relaxation) LOOP
              IF step ->> 'skill' = r.key AND (step ->> 'afterSeconds')::double precision <= waited_seconds THEN
                needed := LEAST(needed, (step ->> 'level')::integer);
              END IF;
            END LOOP;
          END IF;
          IF COALESCE((agent_skills ->> r.key)::integer, 0) < needed THEN
            RETURN false;
          END IF;
        END LOOP;
        RETURN true;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA routing CASCADE`);
  }
}
