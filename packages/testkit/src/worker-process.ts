/**
 * The contact worker as its own process, built (`npm run build`) and started exactly as `npm start`
 * and production start it: suites of other apps (the API's, the designer's) talk to it only through
 * Temporal, Kafka and PostgreSQL, as they do in a deployment — no app imports another.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePorts } from './ports';

export interface WorkerProcess {
  /** The worker's `/health` and `/metrics`. */
  url: string;
  pid: number;
  /** What it printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM, then waits for it to exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** The repository's root: the nearest folder above with a package.json that declares workspaces. */
export function repositoryRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { workspaces?: unknown }).workspaces) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no workspace root above ${from}`);
  }
}

/**
 * Starts `apps/worker/dist/main.js` with the given `TANDEM_*` environment (on top of this process's)
 * and waits until its `/health` answers 200 — its task queue is being polled. Fails with its output if
 * it exits or does not become healthy in `timeoutMs`.
 */
export async function startWorkerProcess(env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<WorkerProcess> {
  const main = path.join(repositoryRoot(), 'apps', 'worker', 'dist', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: build the worker first (npm run build -w @tandem/worker)`);
  const [port] = await freePorts(1);
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, TANDEM_LOG_LEVEL: process.env.TANDEM_TEST_LOG_LEVEL ?? 'warn', ...env, TANDEM_WORKER_HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const append = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code) => resolve(void (exitCode = code))));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (graceMs = 15_000) => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const healthy = await fetch(`${url}/health`).then((r) => r.status === 200, () => false);
    if (healthy) break;
    const problem = exitCode !== undefined ? `the worker exited with code ${exitCode}` : Date.now() > deadline ? 'the worker did not become healthy in time' : undefined;
    if (problem) {
      await stop(1_000);
      throw new Error(`${problem}\n--- worker output ---\n${out.slice(-4_000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, pid: child.pid!, output: () => out, stop };
}
