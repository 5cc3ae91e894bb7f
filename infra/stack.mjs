#!/usr/bin/env node
// The local stack: a real Temporal dev server, a single-node Kafka broker (KRaft) and a private
// PostgreSQL cluster on loopback, with no Docker. Everything it downloads or creates lives under
// .stack/ (TANDEM_STACK_DIR). Usage: npm run stack -- up | down | status | logs [service] [-f] | env
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { loadStackConfig } from './stack/config.mjs';
import { kafkaService } from './stack/kafka.mjs';
import { postgresService } from './stack/postgres.mjs';
import { temporalService } from './stack/temporal.mjs';
import { StackError, mkdirp, rssMiB, seconds, stopPid, waitUntil, withLock } from './stack/util.mjs';

const USAGE = `usage: npm run stack -- <command>
  up                 install what is missing, start every service that is not running, wait until ready
  down               stop the services this stack started (pid files); leaves data in place
  (up, down and status take --only=temporal,kafka,postgres to act on some services)
  status [--json]    which services run, their pids, addresses and resident memory
  logs [svc] [-f]    print (or follow) the logs of one service or all: temporal, kafka, postgres
  env                print the environment variables that point Tandem at this stack
  reset              down, then delete every service's data (keeps the downloaded binaries)`;

const quiet = process.argv.includes('--quiet');
const log = (msg) => {
  if (!quiet) process.stdout.write(`stack: ${msg}\n`);
};

const SERVICE_NAMES = ['temporal', 'kafka', 'postgres'];

function services(cfg, only) {
  if (only) {
    const unknown = only.filter((n) => !SERVICE_NAMES.includes(n));
    if (unknown.length) throw new StackError(`unknown service ${unknown.join(', ')}`, `--only=${SERVICE_NAMES.join(',')}`);
  }
  return [temporalService(cfg), kafkaService(cfg), postgresService(cfg)].filter((s) => !only || only.includes(s.name));
}

/** Installs and starts the services (all, or those named in `only`) that are not already running. */
export async function up(cfg = loadStackConfig(), only = undefined) {
  mkdirp(cfg.logs);
  return withLock(
    cfg.dir,
    async () => {
      const all = services(cfg, only);
      const started = Date.now();
      const results = await Promise.all(
        all.map(async (svc) => {
          const t0 = Date.now();
          const running = svc.pid();
          if (running && (await svc.ready())) {
            log(`${svc.name.padEnd(9)} already running (pid ${running})  ${svc.describe()}`);
            return { name: svc.name, reused: true };
          }
          if (running) {
            // Ours but not answering (e.g. still starting after a crash): wait for it rather than start a second one.
            await waitForReady(svc);
            log(`${svc.name.padEnd(9)} ready in ${seconds(Date.now() - t0)} (pid ${running})  ${svc.describe()}`);
            return { name: svc.name, reused: true };
          }
          const installed = await svc.install(log);
          if (installed) log(`${svc.name.padEnd(9)} installed in ${seconds(Date.now() - t0)}`);
          const t1 = Date.now();
          let pid = await svc.start();
          await waitForReady(svc);
          if (svc.provision && (await svc.provision())?.restart) {
            // Temporal, after registering search attributes: its next start reads them from the store.
            log(`${svc.name.padEnd(9)} restarting once to load what it registered`);
            if (svc.stop) await svc.stop();
            else await stopPid(pid);
            pid = await svc.start();
            await waitForReady(svc);
          }
          log(`${svc.name.padEnd(9)} ready in ${seconds(Date.now() - t1)} (pid ${pid})  ${svc.describe()}`);
          return { name: svc.name, reused: false, readyMs: Date.now() - t1 };
        }),
      );
      const fresh = results.filter((r) => !r.reused);
      log(fresh.length ? `up in ${seconds(Date.now() - started)}` : 'everything was already running');
      return results;
    },
    { log },
  );
}

async function waitForReady(svc) {
  try {
    await waitUntil(() => svc.ready(), {
      timeoutMs: svc.readyTimeoutMs,
      intervalMs: 250,
      what: svc.name,
      onTick: () => {
        if (svc.pid && svc.pid() === undefined && svc.name !== 'postgres') {
          throw new StackError(`${svc.name} exited during start-up; last lines of ${svc.logFile}:\n${tail(svc.logFile, 20)}`);
        }
      },
    });
  } catch (e) {
    if (e instanceof StackError && !e.message.includes('exited')) {
      throw new StackError(`${e.message}; last lines of ${svc.logFile}:\n${tail(svc.logFile, 20)}`, `npm run stack -- logs ${svc.name}`);
    }
    throw e;
  }
}

function tail(file, n) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Stops the services this stack started (all of them, or only those named in `only`). */
export async function down(cfg = loadStackConfig(), only = undefined) {
  return withLock(
    cfg.dir,
    async () => {
      // Reverse order: the database last, Temporal (which has no dependency on the others) first.
      for (const svc of services(cfg, only).reverse()) {
        const pid = svc.pid();
        if (!pid) {
          log(`${svc.name.padEnd(9)} not running`);
          continue;
        }
        const t0 = Date.now();
        if (svc.stop) await svc.stop();
        else await stopPid(pid);
        if (svc.pidFile) fs.rmSync(svc.pidFile, { force: true });
        log(`${svc.name.padEnd(9)} stopped (pid ${pid}) in ${seconds(Date.now() - t0)}`);
      }
    },
    { log },
  );
}

async function status(cfg, json, only) {
  const rows = [];
  for (const svc of services(cfg, only)) {
    const pid = svc.pid();
    rows.push({
      service: svc.name,
      running: Boolean(pid),
      ready: pid ? await svc.ready() : false,
      pid: pid ?? null,
      address: svc.describe(),
      rssMiB: pid ? rssMiB(pid) : null,
    });
  }
  if (json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    for (const r of rows) {
      const state = r.running ? (r.ready ? 'ready' : 'starting') : 'stopped';
      const mem = r.rssMiB === null ? '' : `  ${r.rssMiB} MiB`;
      process.stdout.write(`${r.service.padEnd(9)} ${state.padEnd(8)} ${r.pid === null ? '' : `pid ${r.pid}`}${mem}  ${r.address}\n`);
    }
  }
  return rows;
}

function env(cfg) {
  const vars = {
    TANDEM_TEMPORAL_ADDRESS: `${cfg.host}:${cfg.temporal.port}`,
    TANDEM_TEMPORAL_NAMESPACE: cfg.temporal.namespace,
    TANDEM_KAFKA_BROKERS: `${cfg.host}:${cfg.kafka.port}`,
    TANDEM_DATABASE_URL: `postgres://${cfg.postgres.user}:${cfg.postgres.password}@${cfg.host}:${cfg.postgres.port}/${cfg.postgres.database}`,
  };
  for (const [k, v] of Object.entries(vars)) process.stdout.write(`export ${k}=${v}\n`);
}

function logs(cfg, name, follow) {
  const wanted = services(cfg).filter((s) => !name || s.name === name);
  if (wanted.length === 0) throw new StackError(`no service named "${name}"`, 'npm run stack -- logs temporal|kafka|postgres');
  const files = wanted.map((s) => s.logFile).filter((f) => fs.existsSync(f));
  if (files.length === 0) {
    log('no logs yet: the stack has not been started');
    return;
  }
  const child = spawn('tail', ['-n', '100', ...(follow ? ['-F'] : []), ...files], { stdio: 'inherit' });
  return new Promise((resolve) => child.on('close', resolve));
}

async function reset(cfg) {
  await down(cfg);
  for (const svc of [cfg.temporal.dir, `${cfg.kafka.dir}/data`, `${cfg.postgres.dir}`]) fs.rmSync(svc, { recursive: true, force: true });
  log('deleted the data of temporal, kafka and postgres');
}

async function main() {
  const [command, ...rest] = process.argv.slice(2).filter((a) => a !== '--quiet');
  const onlyArg = rest.find((a) => a.startsWith('--only='));
  const only = onlyArg ? onlyArg.slice('--only='.length).split(',').filter(Boolean) : undefined;
  const cfg = loadStackConfig();
  switch (command) {
    case 'up':
      await up(cfg, only);
      break;
    case 'down':
      await down(cfg, only);
      break;
    case 'status':
      await status(cfg, rest.includes('--json'), only);
      break;
    case 'logs':
      await logs(cfg, rest.find((a) => !a.startsWith('-')), rest.includes('-f') || rest.includes('--follow'));
      break;
    case 'env':
      env(cfg);
      break;
    case 'reset':
      await reset(cfg);
      break;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      break;
    default:
      throw new StackError(`unknown command "${command}"`, USAGE);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    process.stderr.write(`stack: ${e instanceof StackError ? e.message : e.stack}\n`);
    process.exit(1);
  });
}
