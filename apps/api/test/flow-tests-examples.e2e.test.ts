import { EXAMPLE_FLOWS } from '@tandem/flow';
import { exampleFlow, seedExampleCatalog } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Every example flow ships with a test suite (its document's `tests`): run on the real worker, as the
 * designer's Tests tab and publishing run them, each passes. A test pinned to a time of day is reported
 * skipped (with why) until the runtime can run a contact at a chosen time.
 */
describe('the example flows pass their own tests', () => {
  let t: TestApp;
  let designer: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp({}, { worker: true });
    designer = { Authorization: `Bearer ${t.token('designer')}` };
    await seedExampleCatalog(t);
  }, 60_000);
  afterAll(() => t?.close());

  it.each(EXAMPLE_FLOWS)('%s', async (name) => {
    const document = exampleFlow(name);
    expect(document.tests?.length).toBeGreaterThan(0);
    await t.http.post('/v1/flows').set(designer).send(document).expect(201);
    const { body: run } = await t.http.post(`/v1/flows/${document.id}/tests/run`).set(designer).send({}).expect(200);
    const broken = run.tests
      .filter((r: { status: string }) => r.status === 'failed' || r.status === 'error')
      .map((r: { testId: string; failure: unknown; path: string[]; transcript: { from: string; text: string }[] }) => ({
        test: r.testId,
        failure: r.failure,
        path: r.path.join(' → '),
        transcript: r.transcript.map((e) => `${e.from}: ${e.text}`),
      }));
    expect(broken).toEqual([]);
    for (const skipped of run.tests.filter((r: { status: string }) => r.status === 'skipped')) expect(skipped.reason).toMatch(/cannot run a contact at a chosen time/);
    expect(run.summary.passed).toBeGreaterThan(0);
  }, 120_000);
});
