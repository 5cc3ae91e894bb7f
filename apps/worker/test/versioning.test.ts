/**
 * The versioning policy (docs/runtime.md, "Versioning"): changes to workflow code go behind
 * `patched()`, so a contact that started on one build continues on the next. Two worker builds, one
 * after the other, on the same task queue: the product's, then a "next build" whose message step
 * changed behind a patch (test/fixtures/next-build).
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '@tandem/config';
import { PATCHES } from '../src/workflows/runtime/patches';
import { contactWorkflowBundle, contactBundlerOptions, createContactWorker } from '../src/worker';
import { NEXT_BUILD_PATCH } from './fixtures/next-build';
import { compileWith } from './fixtures/flows';
import { flowEdge, flowNode, recordedPatches, startHarness, type Contact, type Harness } from './harness';

const plan = compileWith({
  schemaVersion: 1,
  id: 'two-builds',
  name: 'Two builds',
  channels: ['chat'],
  variables: [{ name: 'answer', type: 'string' }],
  nodes: [
    flowNode('start', 'start'),
    flowNode('hello', 'message', { text: 'Hello {{customer.name}}' }),
    flowNode('ask', 'wait', { mode: 'reply', timeoutSeconds: 300, saveReplyAs: 'answer' }),
    flowNode('bye', 'message', { text: 'Goodbye' }),
    flowNode('done', 'end', { outcome: 'resolved_by_bot' }),
    flowNode('late', 'end', { outcome: 'abandoned' }),
  ],
  edges: [flowEdge('start', 'next', 'hello'), flowEdge('hello', 'next', 'ask'), flowEdge('ask', 'reply', 'bye'), flowEdge('ask', 'timeout', 'late'), flowEdge('bye', 'next', 'done')],
} as never);

describe('versioning: a running contact and a new build', () => {
  let h: Harness;
  let connection: NativeConnection;

  beforeAll(async () => {
    h = await startHarness({ inProcessWorker: false });
    connection = await NativeConnection.connect({ address: loadConfig().temporal.address });
  });
  afterAll(async () => {
    await connection?.close();
    await h?.shutdown();
  });

  const run = async (bundle: { code: string }) => {
    const worker = await createContactWorker({ connection, namespace: loadConfig().temporal.namespace, taskQueue: h.taskQueue, dependencies: h.dependencies, workflowBundle: bundle });
    const running = worker.run();
    return { stop: async () => (worker.shutdown(), await running) };
  };
  const said = async (c: Contact) => (await c.state()).transcript.filter((t) => t.from === 'bot').map((t) => t.text);

  it('a contact started on the old build keeps what it did, replays on the new one without a determinism error, and takes the change only from the patched step on', async () => {
    const nextBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/next-build'), ...contactBundlerOptions });

    // Build 1: the contact greets and waits for the customer.
    const old = await run(await contactWorkflowBundle());
    const running = await h.startContact(plan, { customer: { id: 'v-1', name: 'Ana' } });
    await running.waitForStep('ask');
    expect(await said(running)).toEqual(['Hello Ana']);
    const recordedOnOld = await running.handle.fetchHistory();
    await old.stop();

    // Build 2 takes over the same task queue.
    const next = await run(nextBundle);
    try {
      // What build 1 recorded replays on build 2: the greeting's patched() is false there (no marker).
      await Worker.runReplayHistory({ workflowBundle: nextBundle, replayName: 'recorded on build 1' }, recordedOnOld, running.handle.workflowId);

      await running.say('thanks');
      expect(await running.result()).toMatchObject({ outcome: 'resolved_by_bot' });
      // What it said on build 1 stands; the step it reached on build 2 has the change, with its marker.
      expect(await said(running)).toEqual(['Hello Ana', 'Goodbye (next build)']);
      expect(await recordedPatches(running.handle)).toEqual([NEXT_BUILD_PATCH]);
      const history = (await running.handle.fetchHistory()).events ?? [];
      expect(history.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);

      // A contact started on build 2 has the change everywhere.
      const fresh = await h.startContact(plan, { customer: { id: 'v-2', name: 'Ben' } });
      await fresh.waitForStep('ask');
      await fresh.say('ok');
      await fresh.result();
      expect(await said(fresh)).toEqual(['Hello Ben (next build)', 'Goodbye (next build)']);
    } finally {
      await next.stop();
    }
  });

  it('every patch id the workflow code asks is in the register (PATCHES), and the register lists nothing else', () => {
    const asked = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          // Code, not comments (the policy's own doc comments show the call).
          const code = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
          for (const m of code.matchAll(/\b(?:patched|deprecatePatch)\(\s*(['"`])([^'"`]+)\1/g)) asked.add(m[2]!);
        }
      }
    };
    walk(path.join(__dirname, '..', 'src'));
    expect([...asked].sort()).toEqual(PATCHES.map((p) => p.id).sort());
    for (const p of PATCHES) expect(p.id).toMatch(/^\d{4}-\d{2}-\d{2}-[a-z0-9-]+$/);
  });
});
