import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from '@tandem/testkit';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const stackScript = path.join(repoRoot, 'infra', 'stack.mjs');

/**
 * Where the shared stack keeps its Kafka jars: TANDEM_STACK_DIR or `.stack` of this checkout, else of
 * the main checkout when this is a git worktree (worktrees share one downloaded stack).
 */
function sharedKafkaDir(): string {
  const candidates = [path.resolve(repoRoot, process.env.TANDEM_STACK_DIR ?? '.stack')];
  const common = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: repoRoot, encoding: 'utf8' });
  if (common.status === 0 && common.stdout.trim()) candidates.push(path.join(path.dirname(common.stdout.trim()), '.stack'));
  for (const dir of candidates) {
    const kafka = path.join(dir, 'kafka');
    if (fs.existsSync(kafka) && fs.readdirSync(kafka).some((e) => e.startsWith('libs-'))) return kafka;
  }
  throw new Error(`no downloaded Kafka jars in ${candidates.join(' or ')}: run \`npm run stack -- up\` first`);
}

/**
 * A Kafka broker of our own (own folder, own free ports) from the stack script, so a test can stop and
 * restart it without disturbing the shared broker other suites use. Reuses the shared jars by symlink.
 */
export class PrivateKafka {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** `env`: extra stack settings for this broker, e.g. `TANDEM_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS`. */
  static async create(env: Record<string, string> = {}): Promise<PrivateKafka> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-events-kafka-'));
    fs.chmodSync(dir, 0o755);
    const shared = sharedKafkaDir();
    fs.mkdirSync(path.join(dir, 'kafka'));
    for (const entry of fs.readdirSync(shared).filter((e) => e.startsWith('libs-'))) {
      fs.symlinkSync(path.join(shared, entry), path.join(dir, 'kafka', entry));
    }
    const [port, controllerPort] = (await freePorts(2)) as [number, number];
    return new PrivateKafka(dir, port, { ...process.env, ...env, TANDEM_STACK_DIR: dir, TANDEM_KAFKA_PORT: String(port), TANDEM_KAFKA_CONTROLLER_PORT: String(controllerPort) });
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** Starts the broker and waits until it is ready (data survives a stop). */
  up(): Promise<void> {
    return this.stack('up');
  }

  /** Stops the broker (the stack script's own stop: SIGTERM, then waits for the process to exit). */
  down(): Promise<void> {
    return this.stack('down');
  }

  async destroy(): Promise<void> {
    await this.stack('down');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs the stack script without blocking the event loop: producers and consumers keep running meanwhile. */
  private stack(command: 'up' | 'down'): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [stackScript, command, '--only=kafka', '--quiet'], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`private Kafka ${command} failed (${code}): ${out}`))));
    });
  }
}
