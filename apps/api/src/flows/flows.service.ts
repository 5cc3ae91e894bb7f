import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FlowDiff, FlowExport, FlowList, FlowTestsFailedDetails, FlowView, ImportResult, TestedFlowVersionSummary, TestedFlowVersionView, ValidationResult, VersionRef, VersionTests } from '@tandem/api-contract';
import { compileFlow, type FlowDocument, flowDocumentSchema, type Plan } from '@tandem/flow';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { Principal } from '../auth/roles';
import { ApiError, ConflictError, NotFoundError, RequestValidationError } from '../common/errors';
import { sameJson } from '../common/json';
import { z } from 'zod';
import { FlowTestRunner } from '../flow-tests/flow-test-runner.service';
import { diffFlows } from './flow-diff';
import { FlowResolverService } from './flow-resolver.service';
import { FlowVersionEntity } from './flow-version.entity';
import { FlowEntity } from './flow.entity';
import { OpenContactsService } from './open-contacts.service';

const UNIQUE_VIOLATION = '23505';

/**
 * Flows: drafts with optimistic concurrency, validation through the compiler, immutable published
 * versions (document, plan, hash, author, note), diff, rollback, import and export. Publishing and
 * rolling back lock the flow row, so concurrent publishes get consecutive versions.
 */
@Injectable()
export class FlowsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly resolver: FlowResolverService,
    private readonly openContacts: OpenContactsService,
    private readonly testRunner: FlowTestRunner,
  ) {}

  async create(document: FlowDocument, by: Principal): Promise<FlowView> {
    try {
      await this.dataSource.getRepository(FlowEntity).insert({
        id: document.id,
        name: document.name,
        document,
        revision: 1,
        latestVersion: null,
        createdBy: by.subject,
        updatedBy: by.subject,
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw flowExists(document.id);
      throw e;
    }
    return this.get(document.id);
  }

  async list(query: { limit: number; offset: number; q?: string | undefined }): Promise<FlowList> {
    const qb = this.dataSource.getRepository(FlowEntity).createQueryBuilder('f');
    if (query.q) qb.where('(f.id ILIKE :q OR f.name ILIKE :q)', { q: `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    const [rows, total] = await qb.orderBy('f.updated_at', 'DESC').addOrderBy('f.id', 'ASC').take(query.limit).skip(query.offset).getManyAndCount();
    const latest = await this.latestDocuments(rows);
    return {
      items: rows.map((row) => {
        const { document, ...view } = this.toView(row, latest.get(row.id));
        return { ...view, nodeCount: document.nodes.length };
      }),
      total,
    };
  }

  async get(flowId: string): Promise<FlowView> {
    const row = await this.findFlow(this.dataSource.manager, flowId);
    return this.toView(row, (await this.latestDocuments([row])).get(row.id));
  }

  /** Saves the draft if `revision` is the current one; otherwise 409 with the current revision. */
  async update(flowId: string, input: { revision: number; document: FlowDocument }, by: Principal): Promise<FlowView> {
    assertDocumentId(flowId, input.document, 'document.id');
    const result = await this.saveDraft(flowId, input.document, by, input.revision);
    if (!result) {
      const current = await this.findFlow(this.dataSource.manager, flowId);
      throw staleRevision(flowId, current.revision, input.revision);
    }
    return this.get(flowId);
  }

  /** Deletes a flow that was never published; published flows stay (contacts may run them). */
  async delete(flowId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.findFlow(manager, flowId, true);
      if (row.latestVersion !== null) {
        throw new ConflictError('flow_published', `flow "${flowId}" has published versions (up to ${row.latestVersion}) that contacts may run; it cannot be deleted`, { latestVersion: row.latestVersion });
      }
      await manager.delete(FlowEntity, { id: flowId });
    });
  }

  /** Compiles the draft (or the given document) and returns the diagnostics. */
  async validate(flowId: string, document?: FlowDocument): Promise<ValidationResult> {
    const doc = document ?? ((await this.findFlow(this.dataSource.manager, flowId)).document as FlowDocument);
    if (document) {
      await this.findFlow(this.dataSource.manager, flowId);
      assertDocumentId(flowId, document, 'document.id');
    }
    const result = compileFlow(doc, await this.resolver.load());
    return { valid: result.ok, diagnostics: result.diagnostics, planHash: result.ok ? result.plan.hash : null };
  }

  /**
   * Publishes the draft as the next version. 409 when the draft does not compile (with the
   * diagnostics), when `revision` is stale, when nothing changed since the newest version, or when a
   * test of the flow fails (`flow_tests_failed`, naming the test and turn) — unless an admin publishes
   * over the failures with a reason (`testOverride`), which the version keeps. The tests run before the
   * flow is locked; the version is written only if the draft did not change meanwhile.
   *
   * `internal.withoutTests` is for the seeder only (never reachable over HTTP): the example flows are
   * published before the worker runs, and their tests pass in Tandem's own CI; the version records
   * that no test ran (`tests: null`).
   */
  async publish(
    flowId: string,
    input: { note?: string | undefined; revision?: number | undefined; testOverride?: { reason: string } | undefined },
    by: Principal,
    internal: { withoutTests?: boolean } = {},
  ): Promise<TestedFlowVersionSummary> {
    const resolver = await this.resolver.load();
    const flow = await this.findFlow(this.dataSource.manager, flowId);
    if (input.revision !== undefined && input.revision !== flow.revision) throw staleRevision(flowId, flow.revision, input.revision);
    const result = compileFlow(flow.document, resolver);
    if (!result.ok) {
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      throw new ConflictError('flow_invalid', `flow "${flowId}" cannot be published: ${errors.length} error(s), first: ${errors[0]?.message ?? 'unknown'}`, { diagnostics: result.diagnostics });
    }
    await this.assertChanged(this.dataSource.manager, flow);
    const tests = internal.withoutTests ? null : await this.runTests(flow, result.plan, input.testOverride, by);
    const saved = await this.dataSource.transaction(async (manager) => {
      const locked = await this.findFlow(manager, flowId, true);
      if (locked.revision !== flow.revision) {
        throw new ConflictError('stale_revision', `the draft of flow "${flowId}" changed while its tests ran (revision ${flow.revision} → ${locked.revision}); publish again`, {
          currentRevision: locked.revision,
          givenRevision: flow.revision,
        });
      }
      await this.assertChanged(manager, locked);
      return this.insertVersion(manager, locked, { document: flow.document as FlowDocument, plan: result.plan, note: input.note ?? null, rolledBackFrom: null, tests }, by);
    });
    return this.summary(saved, null);
  }

  /**
   * Runs the flow's tests against the plan about to be published. All pass (or there are none): what
   * they said. One fails: 409 `flow_tests_failed`, unless an admin overrides it (403 for anyone else).
   */
  private async runTests(flow: FlowEntity, plan: Plan, override: { reason: string } | undefined, by: Principal): Promise<VersionTests> {
    const document = flowDocumentSchema.parse(flow.document);
    const run = await this.testRunner.run({ flowId: flow.id, version: 'draft', document, plan, tests: document.tests });
    const { summary } = run;
    const counts = { total: summary.total, passed: summary.passed, failed: summary.failed + summary.errors, skipped: summary.skipped };
    if (run.passed) return { ...counts, override: null };
    const failing = run.tests.filter((t) => t.status === 'failed' || t.status === 'error');
    const admin = by.roles.includes('admin');
    if (!override) {
      const [first] = failing;
      const where = first?.failure ? `, turn ${first.failure.turn} (${first.failure.label}): ${first.failure.message}` : '';
      throw new ConflictError(
        'flow_tests_failed',
        `flow "${flow.id}" cannot be published: ${failing.length} of ${summary.total} test(s) failed — “${first?.name ?? '?'}”${where}${failing.length > 1 ? `; and ${failing.length - 1} more` : ''}`,
        { run, overridable: admin } satisfies FlowTestsFailedDetails,
      );
    }
    if (!admin) throw new ApiError(HttpStatus.FORBIDDEN, 'forbidden', `only an admin may publish flow "${flow.id}" although ${failing.length} of its tests fail`);
    return {
      ...counts,
      override: {
        reason: override.reason,
        by: by.subject,
        at: new Date().toISOString(),
        failing: failing.map((t) => ({ testId: t.testId, name: t.name, failure: t.failure ? `turn ${t.failure.turn} (${t.failure.label}): ${t.failure.message}` : (t.reason ?? t.status) })),
      },
    };
  }

  /** 409 `no_changes` when the draft is what the newest version publishes. */
  private async assertChanged(manager: EntityManager, flow: FlowEntity): Promise<void> {
    if (flow.latestVersion === null) return;
    const latest = await manager.findOneByOrFail(FlowVersionEntity, { flowId: flow.id, version: flow.latestVersion });
    if (sameJson(latest.document, flow.document)) {
      throw new ConflictError('no_changes', `the draft of flow "${flow.id}" is identical to version ${latest.version}; nothing to publish`, { version: latest.version });
    }
  }

  /** Publishes an older version again as the newest (its document and plan, unchanged). */
  async rollback(flowId: string, input: { version: number; note?: string | undefined }, by: Principal): Promise<TestedFlowVersionSummary> {
    const saved = await this.dataSource.transaction(async (manager) => {
      const flow = await this.findFlow(manager, flowId, true);
      const source = await manager.findOneBy(FlowVersionEntity, { flowId, version: input.version });
      if (!source) throw new NotFoundError('flow version', `${flowId}@${input.version}`);
      const latest = await manager.findOneByOrFail(FlowVersionEntity, { flowId, version: flow.latestVersion ?? 0 });
      if (latest.version === source.version || sameJson(latest.document, source.document)) {
        throw new ConflictError('already_latest', `version ${latest.version} of flow "${flowId}" already publishes what version ${source.version} does; nothing to roll back`, { latestVersion: latest.version });
      }
      return this.insertVersion(
        manager,
        flow,
        { document: source.document as FlowDocument, plan: source.plan as Plan, note: input.note ?? `rollback to version ${source.version}`, rolledBackFrom: source.version, tests: null },
        by,
      );
    });
    return this.summary(saved, null);
  }

  async versions(flowId: string): Promise<TestedFlowVersionSummary[]> {
    await this.findFlow(this.dataSource.manager, flowId);
    const rows = await this.dataSource.getRepository(FlowVersionEntity).find({
      where: { flowId },
      order: { version: 'DESC' },
      select: { flowId: true, version: true, hash: true, note: true, publishedBy: true, publishedAt: true, rolledBackFrom: true, tests: true },
    });
    const open = await this.openContacts.byVersion(flowId, rows.map((r) => r.version));
    return rows.map((r) => this.summary(r, open ? (open.get(r.version) ?? 0) : null));
  }

  async version(flowId: string, version: number): Promise<TestedFlowVersionView> {
    const row = await this.findVersion(flowId, version);
    const open = await this.openContacts.byVersion(flowId, [version]);
    return { ...this.summary(row, open ? (open.get(version) ?? 0) : null), document: row.document as FlowDocument, plan: row.plan as Plan };
  }

  async diff(flowId: string, from: VersionRef, to: VersionRef): Promise<FlowDiff> {
    const [a, b] = await Promise.all([this.documentAt(flowId, from), this.documentAt(flowId, to)]);
    return { flowId, from, to, ...diffFlows(a, b) };
  }

  async export(flowId: string, version?: number): Promise<FlowExport> {
    const flow = await this.findFlow(this.dataSource.manager, flowId);
    const document = version === undefined ? (flow.document as FlowDocument) : ((await this.findVersion(flowId, version)).document as FlowDocument);
    return {
      format: 'tandem.flow',
      formatVersion: 1,
      exportedAt: new Date().toISOString(),
      source: { flowId, version: version ?? null, revision: version === undefined ? flow.revision : null },
      document,
    };
  }

  /** Imports an exported flow as a new flow, or as the new draft of an existing one (`overwrite`). */
  async import(input: FlowExport, overwrite: boolean, by: Principal): Promise<ImportResult> {
    const { document } = input;
    let created = true;
    try {
      await this.create(document, by);
    } catch (e) {
      if (!(e instanceof ConflictError && e.code === 'flow_exists')) throw e;
      if (!overwrite) throw new ConflictError('flow_exists', `flow "${document.id}" already exists; import with ?overwrite=true to replace its draft`, { flowId: document.id });
      created = false;
      await this.saveDraft(document.id, document, by);
    }
    const result = compileFlow(document, await this.resolver.load());
    return { flow: await this.get(document.id), created, valid: result.ok, diagnostics: result.diagnostics };
  }

  // ---- helpers

  /** Writes a new draft, bumping the revision; with `expectedRevision`, only if it is still current. */
  private async saveDraft(flowId: string, document: FlowDocument, by: Principal, expectedRevision?: number): Promise<boolean> {
    const qb = this.dataSource
      .createQueryBuilder()
      .update(FlowEntity)
      .set({ document: () => ':document::jsonb', name: document.name, revision: () => 'revision + 1', updatedAt: () => 'now()', updatedBy: by.subject })
      .setParameter('document', JSON.stringify(document))
      .where('id = :flowId', { flowId });
    if (expectedRevision !== undefined) qb.andWhere('revision = :expectedRevision', { expectedRevision });
    const result = await qb.execute();
    return (result.affected ?? 0) > 0;
  }

  private async insertVersion(
    manager: EntityManager,
    flow: FlowEntity,
    content: { document: FlowDocument; plan: Plan; note: string | null; rolledBackFrom: number | null; tests: VersionTests },
    by: Principal,
  ): Promise<FlowVersionEntity> {
    const version = (flow.latestVersion ?? 0) + 1;
    const row = manager.create(FlowVersionEntity, {
      flowId: flow.id,
      version,
      document: content.document,
      plan: content.plan,
      hash: content.plan.hash,
      note: content.note,
      publishedBy: by.subject,
      publishedAt: new Date(),
      rolledBackFrom: content.rolledBackFrom,
      tests: content.tests,
    });
    await manager.save(FlowVersionEntity, row);
    await manager.update(FlowEntity, { id: flow.id }, { latestVersion: version });
    return row;
  }

  private async findFlow(manager: EntityManager, flowId: string, lock = false): Promise<FlowEntity> {
    const row = await manager.findOne(FlowEntity, { where: { id: flowId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!row) throw new NotFoundError('flow', flowId);
    return row;
  }

  private async findVersion(flowId: string, version: number): Promise<FlowVersionEntity> {
    const row = await this.dataSource.getRepository(FlowVersionEntity).findOneBy({ flowId, version });
    if (!row) {
      await this.findFlow(this.dataSource.manager, flowId);
      throw new NotFoundError('flow version', `${flowId}@${version}`);
    }
    return row;
  }

  private async documentAt(flowId: string, ref: VersionRef): Promise<FlowDocument> {
    if (ref === 'draft') return (await this.findFlow(this.dataSource.manager, flowId)).document as FlowDocument;
    return (await this.findVersion(flowId, ref)).document as FlowDocument;
  }

  /** The newest published document of each flow, to tell whether its draft has unpublished changes. */
  private async latestDocuments(flows: FlowEntity[]): Promise<Map<string, unknown>> {
    const published = flows.filter((f) => f.latestVersion !== null);
    if (!published.length) return new Map();
    const rows: { flow_id: string; document: unknown }[] = await this.dataSource.query(
      `SELECT v.flow_id, v.document FROM flow_versions v JOIN unnest($1::text[], $2::int[]) AS l(id, version) ON v.flow_id = l.id AND v.version = l.version`,
      [published.map((f) => f.id), published.map((f) => f.latestVersion)],
    );
    return new Map(rows.map((r) => [r.flow_id, r.document]));
  }

  private toView(row: FlowEntity, latestDocument: unknown): FlowView {
    const document = row.document as FlowDocument;
    return {
      id: row.id,
      name: row.name,
      description: document.description,
      channels: document.channels,
      revision: row.revision,
      latestVersion: row.latestVersion,
      hasUnpublishedChanges: latestDocument === undefined ? true : !sameJson(latestDocument, document),
      createdAt: row.createdAt.toISOString(),
      createdBy: row.createdBy,
      updatedAt: row.updatedAt.toISOString(),
      updatedBy: row.updatedBy,
      document,
    };
  }

  private summary(row: FlowVersionEntity, openContacts: number | null): TestedFlowVersionSummary {
    return {
      flowId: row.flowId,
      version: row.version,
      hash: row.hash,
      note: row.note,
      publishedBy: row.publishedBy,
      publishedAt: row.publishedAt.toISOString(),
      rolledBackFrom: row.rolledBackFrom,
      openContacts,
      tests: (row.tests ?? null) as VersionTests,
    };
  }
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof QueryFailedError && (e.driverError as { code?: string } | undefined)?.code === UNIQUE_VIOLATION;
}

function flowExists(flowId: string): ConflictError {
  return new ConflictError('flow_exists', `flow "${flowId}" already exists`, { flowId });
}

function staleRevision(flowId: string, current: number, given: number): ConflictError {
  return new ConflictError('stale_revision', `flow "${flowId}" is at revision ${current}; the change was based on revision ${given} — reload and reapply it`, { currentRevision: current, givenRevision: given });
}

function assertDocumentId(flowId: string, document: FlowDocument, path: string): void {
  if (document.id === flowId) return;
  throw new RequestValidationError('body', new z.ZodError([{ code: 'custom', path: path.split('.'), message: `must equal the flow id in the path ("${flowId}")`, input: document.id }]));
}
