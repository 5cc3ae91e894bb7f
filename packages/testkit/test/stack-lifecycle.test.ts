/**
 * The stack script's promises, checked on a second, private stack (own folder, own free ports) so the
 * shared stack the other suites use is never disturbed: `up` is idempotent, `status` reports it,
 * `down` leaves no process behind, and `npm start` stops what it started on Ctrl-C.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePorts, waitFor } from '../src';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const stackScript = path.join(repoRoot, 'infra', 'stack.mjs');
const sharedStack = path.join(repoRoot, process.env.TANDEM_STACK_DIR ?? '.stack');

interface StatusRow {
  service: string;
  running: boolean;
  ready: boolean;
  pid: number | null;
}

/** Running, as opposed to gone or exited-but-not-yet-reaped (a zombie). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Processes whose command line mentions our private stack folder. */
function processesUsing(dir: string): string[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
      } catch {
        return '';
      }
    })
    .filter((c) => c.includes(dir));
}

describe('the local stack script', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const stack = (...args: string[]) => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [stackScript, ...args], { env, encoding: 'utf8', timeout: 180_000 });
    return { status: r.status, out: `${r.stdout}${r.stderr}`, ms: Date.now() - t0 };
  };
  const status = () => JSON.parse(stack('status', '--json').out) as StatusRow[];
  /** A command that must succeed; when it does not, the failure shows what it printed (the stack names the service and its log's last lines). */
  const succeeded = (r: ReturnType<typeof stack>) => {
    if (r.status !== 0) throw new Error(`stack exited with ${r.status} after ${r.ms} ms:\n${r.out}`);
    return r;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-stack-'));
    fs.chmodSync(dir, 0o755);
    // Reuse the shared stack's downloads (the Temporal CLI and the Kafka jars): this suite tests the
    // lifecycle, not the registries.
    fs.symlinkSync(path.join(sharedStack, 'venv'), path.join(dir, 'venv'));
    fs.mkdirSync(path.join(dir, 'kafka'));
    for (const entry of fs.readdirSync(path.join(sharedStack, 'kafka')).filter((e) => e.startsWith('libs-'))) {
      fs.symlinkSync(path.join(sharedStack, 'kafka', entry), path.join(dir, 'kafka', entry));
    }
    const [temporal, temporalUi, kafka, kafkaController, pg] = await freePorts(5);
    env = {
      ...process.env,
      TANDEM_STACK_DIR: dir,
      TANDEM_TEMPORAL_PORT: String(temporal),
      TANDEM_TEMPORAL_UI_PORT: String(temporalUi),
      TANDEM_KAFKA_PORT: String(kafka),
      TANDEM_KAFKA_CONTROLLER_PORT: String(kafkaController),
      TANDEM_PG_PORT: String(pg),
    };
  });

  afterAll(() => {
    stack('down');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts every service, reuses them on a second up, and leaves nothing running after down', () => {
    const first = stack('up');
    succeeded(first);
    for (const svc of ['temporal', 'kafka', 'postgres']) expect(first.out).toMatch(new RegExp(`${svc}\\s+ready in \\d+\\.\\ds`));
    const before = status();
    expect(before.every((r) => r.running && r.ready)).toBe(true);

    const second = stack('up');
    succeeded(second);
    expect(second.out).toContain('everything was already running');
    expect(second.out).not.toMatch(/ready in/);
    expect(status().map((r) => r.pid)).toEqual(before.map((r) => r.pid));
    process.stdout.write(`stack lifecycle: first up ${first.ms} ms, second up ${second.ms} ms\n`);

    const down = stack('down');
    succeeded(down);
    for (const row of before) expect({ service: row.service, alive: alive(row.pid!) }).toEqual({ service: row.service, alive: false });
    expect(processesUsing(dir)).toEqual([]);
    expect(status().every((r) => !r.running)).toBe(true);
  }, 180_000);

  it('refuses a port taken by a process it did not start, naming the port and the variable', async () => {
    const blocker = net.createServer().listen(Number(env.TANDEM_PG_PORT), '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const r = stack('up');
      expect(r.status).toBe(1);
      expect(r.out).toContain(`port ${env.TANDEM_PG_PORT} is taken`);
      expect(r.out).toContain('TANDEM_PG_PORT=');
    } finally {
      blocker.close();
      stack('down');
    }
  }, 180_000);

  it('npm start keeps the stack up until Ctrl-C, then stops what it started', async () => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'infra', 'scripts', 'start.mjs')], {
      cwd: repoRoot,
      env: { ...env, TANDEM_START_APPS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor(() => out.includes('Press Ctrl-C to stop'), { timeoutMs: 170_000, what: 'npm start to print its URLs' });
    expect(out).toContain(`Temporal Web UI  http://127.0.0.1:${env.TANDEM_TEMPORAL_UI_PORT}`);
    const running = status();
    expect(running.every((r) => r.running && r.ready)).toBe(true);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('stopping what npm start started: temporal, kafka, postgres');
    for (const row of running) expect({ service: row.service, alive: alive(row.pid!) }).toEqual({ service: row.service, alive: false });
    expect(processesUsing(dir)).toEqual([]);
  }, 180_000);
});
