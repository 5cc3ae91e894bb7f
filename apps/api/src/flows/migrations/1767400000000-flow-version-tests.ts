import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a version's tests said when it was published (counts, and an admin's override of failing tests
 * with its reason), written with the version: versions stay immutable. Null for versions published
 * before flow tests existed, and for rollbacks.
 */
export class FlowVersionTests1767400000000 implements MigrationInterface {
  name = 'FlowVersionTests1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE flow_versions ADD COLUMN tests jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE flow_versions DROP COLUMN tests');
  }
}
