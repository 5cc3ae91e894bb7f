import { DataSource } from 'typeorm';
import { exampleFlow, minimalFlow, seedExampleCatalog } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

describe('flows: drafts, validation, publishing, versions, diff, rollback, import/export', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp();
    auth = { Authorization: `Bearer ${t.token('designer', { subject: 'dana@example.com' })}` };
    await seedExampleCatalog(t);
  });
  afterAll(() => t?.close());

  it('creates, edits with optimistic concurrency, publishes, diffs and rolls back the AI-first example', async () => {
    // Without its tests: publishing runs a flow's tests on a worker, which this suite does not start (flow-tests.e2e covers that).
    const doc = { ...exampleFlow('ai-first-human-backup'), tests: [] };
    const created = await t.http.post('/v1/flows').set(auth).send(doc).expect(201);
    expect(created.body).toMatchObject({ id: doc.id, name: doc.name, revision: 1, latestVersion: null, hasUnpublishedChanges: true, createdBy: 'dana@example.com' });

    const validation = await t.http.post(`/v1/flows/${doc.id}/validate`).set(auth).send({}).expect(200);
    expect(validation.body.diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
    expect(validation.body).toMatchObject({ valid: true, planHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const v1 = await t.http.post(`/v1/flows/${doc.id}/publish`).set(auth).send({ note: 'first cut', revision: 1 }).expect(201);
    expect(v1.body).toMatchObject({ flowId: doc.id, version: 1, hash: validation.body.planHash, note: 'first cut', publishedBy: 'dana@example.com', rolledBackFrom: null });

    await t.http.post(`/v1/flows/${doc.id}/publish`).set(auth).send({}).expect(409).expect((r) => expect(r.body.code).toBe('no_changes'));

    const edited = structuredClone(doc);
    edited.name = 'AI first, human backup (v2)';
    edited.nodes[0]!.label = 'A contact arrives';
    const saved = await t.http.put(`/v1/flows/${doc.id}`).set(auth).send({ revision: 1, document: edited }).expect(200);
    expect(saved.body).toMatchObject({ revision: 2, name: edited.name, latestVersion: 1, hasUnpublishedChanges: true });

    const stale = await t.http.put(`/v1/flows/${doc.id}`).set(auth).send({ revision: 1, document: doc }).expect(409);
    expect(stale.body).toMatchObject({ code: 'stale_revision', details: { currentRevision: 2, givenRevision: 1 } });
    expect(stale.body.message).toMatch(/revision 2.*revision 1/);
    await t.http.post(`/v1/flows/${doc.id}/publish`).set(auth).send({ revision: 1 }).expect(409).expect((r) => expect(r.body.code).toBe('stale_revision'));

    const v2 = await t.http.post(`/v1/flows/${doc.id}/publish`).set(auth).send({ revision: 2 }).expect(201);
    expect(v2.body.version).toBe(2);

    const diff = await t.http.get(`/v1/flows/${doc.id}/diff?from=1&to=2`).set(auth).expect(200);
    expect(diff.body).toMatchObject({ identical: false, from: 1, to: 2, flow: [{ path: 'name', from: doc.name, to: edited.name }] });
    expect(diff.body.nodes.changed).toEqual([expect.objectContaining({ id: doc.nodes[0]!.id, changes: [{ path: 'label', from: doc.nodes[0]!.label, to: 'A contact arrives' }] })]);
    const draftDiff = await t.http.get(`/v1/flows/${doc.id}/diff?from=2`).set(auth).expect(200);
    expect(draftDiff.body).toMatchObject({ identical: true, to: 'draft' });

    const v3 = await t.http.post(`/v1/flows/${doc.id}/rollback`).set(auth).send({ version: 1 }).expect(201);
    expect(v3.body).toMatchObject({ version: 3, rolledBackFrom: 1, hash: v1.body.hash, note: 'rollback to version 1' });
    await t.http.post(`/v1/flows/${doc.id}/rollback`).set(auth).send({ version: 1 }).expect(409).expect((r) => expect(r.body.code).toBe('already_latest'));
    await t.http.post(`/v1/flows/${doc.id}/rollback`).set(auth).send({ version: 9 }).expect(404);

    const versions = await t.http.get(`/v1/flows/${doc.id}/versions`).set(auth).expect(200);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    // No contact runs yet; Temporal's visibility store answers the count.
    expect(versions.body.map((v: { openContacts: number | null }) => v.openContacts)).toEqual([0, 0, 0]);

    const one = await t.http.get(`/v1/flows/${doc.id}/versions/3`).set(auth).expect(200);
    expect(one.body.document).toEqual(created.body.document);
    expect(one.body.plan).toMatchObject({ flowId: doc.id, hash: v1.body.hash, start: expect.any(String) });

    const current = await t.http.get(`/v1/flows/${doc.id}`).set(auth).expect(200);
    expect(current.body).toMatchObject({ latestVersion: 3, revision: 2, hasUnpublishedChanges: true });

    await t.http.delete(`/v1/flows/${doc.id}`).set(auth).expect(409).expect((r) => expect(r.body.code).toBe('flow_published'));
  });

  it('refuses to publish a draft that does not compile, with the diagnostics', async () => {
    const broken = minimalFlow('broken');
    broken.edges = [];
    await t.http.post('/v1/flows').set(auth).send(broken).expect(201);
    const validation = await t.http.post('/v1/flows/broken/validate').set(auth).send({}).expect(200);
    expect(validation.body.valid).toBe(false);
    expect(validation.body.diagnostics).toContainEqual(expect.objectContaining({ code: 'FLOW_PORT_UNCONNECTED', severity: 'error', nodeId: 'start' }));
    const refused = await t.http.post('/v1/flows/broken/publish').set(auth).send({}).expect(409);
    expect(refused.body).toMatchObject({ code: 'flow_invalid' });
    expect(refused.body.details.diagnostics).toEqual(validation.body.diagnostics);
    // Validating unsaved edits does not save them.
    const fixed = await t.http.post('/v1/flows/broken/validate').set(auth).send({ document: minimalFlow('broken') }).expect(200);
    expect(fixed.body.valid).toBe(true);
    expect((await t.http.get('/v1/flows/broken').set(auth).expect(200)).body.revision).toBe(1);
    await t.http.delete('/v1/flows/broken').set(auth).expect(204);
    await t.http.get('/v1/flows/broken').set(auth).expect(404);
  });

  it('exports and imports, refusing to overwrite unless asked', async () => {
    await t.http.post('/v1/flows').set(auth).send(minimalFlow('portable')).expect(201);
    await t.http.post('/v1/flows/portable/publish').set(auth).send({}).expect(201);
    const exported = await t.http.get('/v1/flows/portable/export?version=1').set(auth).expect(200);
    expect(exported.headers['content-disposition']).toContain('portable.v1.tandem-flow.json');
    expect(exported.body).toMatchObject({ format: 'tandem.flow', formatVersion: 1, source: { flowId: 'portable', version: 1 }, document: { id: 'portable' } });

    await t.http.post('/v1/flows/import').set(auth).send(exported.body).expect(409).expect((r) => expect(r.body.message).toMatch(/overwrite=true/));
    const copy = { ...exported.body, document: { ...exported.body.document, id: 'portable-copy', name: 'Copy' } };
    const imported = await t.http.post('/v1/flows/import').set(auth).send(copy).expect(201);
    expect(imported.body).toMatchObject({ created: true, valid: true, diagnostics: [], flow: { id: 'portable-copy', revision: 1 } });
    const replaced = await t.http.post('/v1/flows/import?overwrite=true').set(auth).send({ ...copy, document: { ...copy.document, name: 'Copy 2' } }).expect(200);
    expect(replaced.body).toMatchObject({ created: false, flow: { id: 'portable-copy', revision: 2, name: 'Copy 2' } });
  });

  it('lists flows with a filter and paging', async () => {
    const list = await t.http.get('/v1/flows?q=portable&limit=1').set(auth).expect(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ nodeCount: 2 });
    expect(list.body.items[0].document).toBeUndefined();
  });

  it('keeps published versions immutable, even against direct SQL', async () => {
    await expect(t.app.get(DataSource).query(`UPDATE flow_versions SET note = 'x' WHERE flow_id = 'portable'`)).rejects.toThrow(/immutable/);
  });
});
