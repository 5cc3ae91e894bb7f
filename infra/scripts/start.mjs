#!/usr/bin/env node
// `npm start`: install what is missing, bring the local stack up, build, start the apps, print the
// URLs, and keep running until Ctrl-C — then stop the apps and whatever part of the stack it started.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadStackConfig, repoRoot } from '../stack/config.mjs';
import { down, up } from '../stack.mjs';
import { StackError, waitUntil } from '../stack/util.mjs';
import { checkNode, ensureNpmDependencies, exec, say } from './common.mjs';

/**
 * The apps `npm start` runs, in start order. Each is started with `npm run start -w <dir>` once its
 * folder exists; when it has `ready`, the next app starts only once it answers (the API migrates the
 * database before it answers, and the worker needs the migrated routing tables).
 */
function apps(env) {
  const apiPort = env.TANDEM_API_PORT ?? '3000';
  const webPort = env.TANDEM_WEB_PORT ?? '5173';
  const workerPort = env.TANDEM_WORKER_HTTP_PORT ?? '3001';
  return [
    { name: 'api', dir: 'apps/api', url: `http://127.0.0.1:${apiPort}`, ready: `http://127.0.0.1:${apiPort}/health`, extra: ` (OpenAPI docs http://127.0.0.1:${apiPort}/docs)` },
    { name: 'worker', dir: 'apps/worker', url: `http://127.0.0.1:${workerPort}/metrics`, ready: `http://127.0.0.1:${workerPort}/health`, extra: ' (Prometheus metrics; /health)' },
    { name: 'web', dir: 'apps/web', url: `http://127.0.0.1:${webPort}`, ready: `http://127.0.0.1:${webPort}/`, extra: ' (the flow designer)' },
  ].filter((a) => fs.existsSync(path.join(repoRoot, a.dir, 'package.json')));
}

function prefixed(name, stream, out) {
  let buffer = '';
  stream.on('data', (chunk) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}

async function httpOk(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

let startedHere = [];

/**
 * `npm run cli -w @tandem/api -- seed`: the example flows, queues, agents and activities (idempotent),
 * and tokens to try them with, also written to .stack/tokens.json for the designer.
 */
async function seed() {
  const tokensFile = path.join(repoRoot, '.stack', 'tokens.json');
  const child = spawn('npm', ['run', 'cli', '--silent', '-w', 'apps/api', '--', 'seed', '--json', '--tokens-file', tokensFile], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  prefixed('seed', child.stderr, process.stderr);
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new StackError(`seeding the examples failed (exit ${code}; see above)`, 'run `npm run cli -w @tandem/api -- seed` to retry');
  const report = JSON.parse(out);
  const published = report.flows.filter((f) => f.published).map((f) => f.id);
  say(`examples ready: ${report.flows.length} flows${published.length ? ` (published now: ${published.join(', ')})` : ''}, ${report.queues.length} queues, agents ${report.agents.map((a) => a.id).join(', ')}`);
  return { ...report.tokens, file: tokensFile };
}

async function main() {
  checkNode();
  await ensureNpmDependencies();
  const results = process.env.TANDEM_STACK_EXTERNAL === '1' ? [] : await up();
  startedHere = results.filter((r) => !r.reused).map((r) => r.name);

  // TANDEM_START_APPS=0 starts the stack alone (e.g. to run the apps from an IDE).
  const list = process.env.TANDEM_START_APPS === '0' ? [] : apps(process.env);
  if (list.length) {
    say('building the workspaces (turbo run build)');
    if ((await exec('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'])) !== 0) throw new StackError('the build failed (see above)');
  }

  const children = [];
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    say('stopping the apps');
    for (const c of children) {
      try {
        process.kill(-c.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('close', r)))));
    if (startedHere.length) {
      say(`stopping what npm start started: ${startedHere.join(', ')}`);
      await down(undefined, startedHere);
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  let tokens;
  for (const app of list) {
    const child = spawn('npm', ['run', 'start', '--silent', '-w', app.dir], {
      cwd: repoRoot,
      detached: true, // own process group, so Ctrl-C stops the whole app tree
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    prefixed(app.name, child.stdout, process.stdout);
    prefixed(app.name, child.stderr, process.stderr);
    child.on('close', (code) => {
      if (!stopping) {
        say(`${app.name} exited with code ${code}; stopping everything`);
        void stop(1);
      }
    });
    children.push(child);
    if (app.ready) await waitUntil(() => httpOk(app.ready), { timeoutMs: 180_000, intervalMs: 500, what: `${app.name} at ${app.ready}` });
    if (app.name === 'api' && process.env.TANDEM_SEED !== '0') tokens = await seed();
  }

  const cfg = loadStackConfig();
  const lines = [
    ['Temporal', `${cfg.host}:${cfg.temporal.port}`],
    ...(cfg.temporal.headless ? [] : [['Temporal Web UI', `http://${cfg.host}:${cfg.temporal.uiPort}`]]),
    ['Kafka', `${cfg.host}:${cfg.kafka.port}`],
    ['PostgreSQL', `postgres://${cfg.postgres.user}:***@${cfg.host}:${cfg.postgres.port}/${cfg.postgres.database}`],
    ...list.filter((a) => a.url).map((a) => [a.name, `${a.url}${a.extra ?? ''}`]),
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  process.stdout.write(`\nTandem is running${list.length ? '' : ' (the stack only)'}:\n`);
  for (const [k, v] of lines) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
  if (tokens) {
    process.stdout.write(`\nTokens to try it with (valid until ${tokens.expiresAt}; also in ${path.relative(repoRoot, tokens.file)}):\n`);
    process.stdout.write(`  designer    ${tokens.designer.token}\n`);
    process.stdout.write(`  supervisor  ${tokens.supervisor.token}\n`);
    for (const a of tokens.agents) process.stdout.write(`  agent ${a.agentId.padEnd(5)} ${a.token}\n`);
    const api = list.find((a) => a.name === 'api')?.url;
    if (api) {
      process.stdout.write(`\n  e.g. curl -H "Authorization: Bearer $TOKEN" ${api}/v1/flows   (agents: ${api}/v1/agent/offers/stream)\n`);
      process.stdout.write('  the API and the agents\' queue API: docs/api.md, docs/queue-api.md\n');
    }
  }
  process.stdout.write('\nPress Ctrl-C to stop.\n\n');
  setInterval(() => {}, 1 << 30); // keep running until Ctrl-C even when no app holds the event loop
}

main().catch(async (e) => {
  process.stderr.write(`tandem: ${e instanceof StackError ? e.message : e.stack}\n`);
  if (startedHere.length) await down(undefined, startedHere).catch(() => undefined);
  process.exit(1);
});
