/**
 * The workflow side of a contact without the server: replays one recorded interpreter contact and one
 * hand-written contact K times each (interpreter from the product's bundle, hand-written from a plain
 * one, alternating in ROUNDS rounds) and prints the CPU per replayed contact. Steadier than the live
 * benchmark on a shared machine, and what to profile (`node --cpu-prof`) when the interpreter changes.
 *
 *   BENCH_SAVE_HISTORIES=/tmp/h BENCH_ONLY=interpreter BENCH_CONTACTS=10 npm run bench -w @tandem/worker
 *   npm run bench:replay -w @tandem/worker -- /tmp/h/interpreter.json /tmp/h/handwritten.json
 *
 * COUNT=1 also prints the promises each contact creates in the workflow context (each costs the SDK a
 * captured stack trace); ONLY=interpreter|hand-written replays one side.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { contactWorkflowBundle, quietBundlerLogger } from '../src/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
const K = Number(process.env.K ?? 50);

async function main(): Promise<void> {
  // As in interpreter.bench.ts: the product's bundle for the interpreter, a plain one for the hand-written flow.
  const bundles: Record<string, Awaited<ReturnType<typeof contactWorkflowBundle>>> = {
    interpreter: await contactWorkflowBundle(),
    'hand-written': await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quietBundlerLogger }),
  };
  const load = (f: string) => historyFromJSON(JSON.parse(fs.readFileSync(f, 'utf8')));
  const sides = [['interpreter', load(process.argv[2]!)], ['hand-written', load(process.argv[3]!)]] as const;
  const totals = new Map<string, { cpu: number; n: number }>();
  const rounds = Number(process.env.ROUNDS ?? 10);
  for (let round = 0; round < rounds; round++) {
    for (const [name, history] of round % 2 ? [...sides].reverse() : sides) {
      if (process.env.ONLY && name !== process.env.ONLY) continue;
      const histories = Array.from({ length: K }, (_, i) => ({ workflowId: `${name}-${round}-${i}`, history }));
      let promises = 0;
      const stop = process.env.COUNT ? v8.promiseHooks.onInit((p: Promise<unknown>) => { if (Object.getPrototypeOf(p) !== Promise.prototype) promises++; }) : () => {};
      const c0 = process.cpuUsage();
      for await (const r of Worker.runReplayHistories({ workflowBundle: bundles[name]!, replayName: name }, histories)) {
        if (r.error) throw r.error;
      }
      const cpu = process.cpuUsage(c0);
      stop();
      if (process.env.COUNT) process.stdout.write(`${name}: ${(promises / K).toFixed(0)} workflow promises/contact\n`);
      const t = totals.get(name) ?? { cpu: 0, n: 0 };
      t.cpu += (cpu.user + cpu.system) / 1000;
      t.n += K;
      totals.set(name, t);
    }
  }
  for (const [name, t] of totals) process.stdout.write(`${name}: ${(t.cpu / t.n).toFixed(2)} ms CPU per replayed contact (${t.n} contacts)\n`);
}
main().catch((e) => { console.error(e); process.exit(1); });
