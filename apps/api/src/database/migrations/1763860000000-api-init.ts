import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The API's own tables: API keys, flows and their published versions, and the designer's catalog. */
export class ApiInit1763860000000 implements MigrationInterface {
  name = 'ApiInit1763860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        prefix text NOT NULL UNIQUE,
        secret_hash text NOT NULL,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0),
        subject text NOT NULL,
        agent_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE flows (
        id text PRIMARY KEY,
        name text NOT NULL,
        document jsonb NOT NULL,
        revision int NOT NULL CHECK (revision > 0),
        latest_version int,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE flow_versions (
        flow_id text NOT NULL REFERENCES flows (id) ON DELETE RESTRICT,
        version int NOT NULL CHECK (version > 0),
        document jsonb NOT NULL,
        plan jsonb NOT NULL,
        hash text NOT NULL,
        note text,
        published_by text NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        rolled_back_from int,
        PRIMARY KEY (flow_id, version)
      )`);
    // Versions are immutable: contacts keep running the plan they started with.
    await q.query(`
      CREATE FUNCTION flow_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'flow_versions rows are immutable (flow %, version %)', OLD.flow_id, OLD.version;
      END $$`);
    await q.query(`
      CREATE TRIGGER flow_versions_immutable BEFORE UPDATE OR DELETE ON flow_versions
      FOR EACH ROW EXECUTE FUNCTION flow_versions_immutable()`);
    await q.query(`
      CREATE TABLE custom_activities (
        name text NOT NULL,
        version int NOT NULL CHECK (version > 0),
        title text NOT NULL,
        description text NOT NULL,
        category text NOT NULL,
        input_schema jsonb NOT NULL,
        output_schema jsonb NOT NULL,
        timeout_seconds double precision NOT NULL CHECK (timeout_seconds > 0),
        retry jsonb NOT NULL,
        registered_by text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, version)
      )`);
    await q.query(`
      CREATE TABLE queue_directory (
        name text PRIMARY KEY,
        title text NOT NULL,
        description text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE calendars (
        name text PRIMARY KEY,
        timezone text NOT NULL,
        definition jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE calendars');
    await q.query('DROP TABLE queue_directory');
    await q.query('DROP TABLE custom_activities');
    await q.query('DROP TRIGGER flow_versions_immutable ON flow_versions');
    await q.query('DROP TABLE flow_versions');
    await q.query('DROP FUNCTION flow_versions_immutable()');
    await q.query('DROP TABLE flows');
    await q.query('DROP TABLE api_keys');
  }
}
