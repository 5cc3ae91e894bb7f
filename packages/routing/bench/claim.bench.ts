/**
 * Claim benchmark: 10,000 queued items, 200 agents across 20 queues with mixed skills and channels.
 * Prints claim throughput and p50 / p99 claim latency, next to a baseline measured in the same run
 * (a trivial query through the same pool at the same concurrency). Goals: ≥ 2,000 claims/s and
 * p99 ≤ 20 ms on the 2-core development machine.
 *
 *   npm run bench -w @tandem/routing            # TANDEM_STACK_EXTERNAL=1 when the stack already runs
 *   BENCH_EXPLAIN=1 npm run bench -w @tandem/routing   # also print the claim's plan
 *   BENCH_CONCURRENCY=16 BENCH_MAX_CLAIMS=4 BENCH_POOL=20 …        # claimers, the router's claim limit, pool size
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTestDatabase, processCpuMs } from '@tandem/testkit';
import { DataSource } from 'typeorm';
import { DEFAULT_MAX_CONCURRENT_CLAIMS, noopEventSink, RoutingDirectory, WorkRouter, routingEntities, routingMigrations, type CreateWorkItemInput } from '../src';
import { CLAIM } from '../src/sql';

const QUEUES = 20;
const AGENTS = 200;
const ITEMS = 10_000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 5_000); // the queue stays ≥ 5,000 deep while measured
const CYCLES = Number(process.env.BENCH_CYCLES ?? 2_000);
const MAX_CLAIMS = Number(process.env.BENCH_MAX_CLAIMS ?? DEFAULT_MAX_CONCURRENT_CLAIMS); // the router's claim limit
const POOL = Number(process.env.BENCH_POOL ?? CONCURRENCY + 4);
const SKILLS = ['billing', 'tech', 'spanish', 'french', 'retention'];
const CHANNELS = ['chat', 'voice', 'email'] as const;

/** A seeded PRNG (mulberry32): the same "random" population on every run. */
function seeded(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(label: string, latencies: number[], seconds: number): { perSecond: number; p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const perSecond = latencies.length / seconds;
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  console.log(`${label.padEnd(44)} ${String(latencies.length).padStart(6)} ops  ${perSecond.toFixed(0).padStart(6)}/s  p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms  max ${sorted.at(-1)!.toFixed(2)} ms`);
  return { perSecond, p50, p99 };
}

/** Runs `op` from `concurrency` loops until `total` ops are done; returns each op's latency and the wall time. */
async function drive(total: number, concurrency: number, op: (n: number) => Promise<unknown>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const n = next++;
        const t = performance.now();
        await op(n);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - start) / 1000 };
}

async function main(): Promise<void> {
  const db = await createTestDatabase('routing_bench');
  const dataSource = new DataSource({ type: 'postgres', url: db.url, entities: routingEntities, migrations: routingMigrations, poolSize: POOL });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
    const directory = new RoutingDirectory({ dataSource });
    // The claim itself, as measured since the first run: no events kept for a publisher (noop sink).
    const router = new WorkRouter({ dataSource, maxConcurrentClaims: MAX_CLAIMS, eventSink: noopEventSink });

    // 20 queues: some with relaxation, some with aging.
    for (let q = 0; q < QUEUES; q++) {
      await directory.defineQueue({
        name: `queue${q}`,
        slaTargetSeconds: 60,
        skills: { [SKILLS[q % SKILLS.length]!]: 1 },
        relaxation: q % 3 === 0 ? [{ afterSeconds: 300, skill: SKILLS[(q + 1) % SKILLS.length]!, level: 0 }] : [],
        aging: q % 2 === 0 ? { perMinute: 1, cap: 20 } : { perMinute: 0, cap: 0 },
      });
    }
    // 200 agents, each serving 3 queues, with 2–4 skills at mixed levels; capacity enough to hold
    // what they claim while the claim phase runs.
    for (let a = 0; a < AGENTS; a++) {
      // Every agent has its queues' skills (a routing profile that makes sense) and most others,
      // at random levels.
      const queues = [0, 7, 13].map((o) => `queue${(a + o) % QUEUES}`);
      const skills: Record<string, number> = {};
      for (const skill of SKILLS) if (random() < 0.7) skills[skill] = 1 + Math.floor(random() * 3);
      for (const q of queues) skills[SKILLS[Number(q.slice(5)) % SKILLS.length]!] ??= 1;
      await directory.defineAgent({ id: `agent${a}`, skills, capacity: { chat: 40, voice: 40, email: 40 }, queues });
      await router.setAgentStatus(`agent${a}`, 'available');
    }
    const seedStart = performance.now();
    const inputs: CreateWorkItemInput[] = Array.from({ length: ITEMS }, (_, n) => {
      const channel = pick(CHANNELS);
      return {
        workflowId: `contact-bench-${n}`,
        stepId: 'escalate',
        visit: 0,
        queue: `queue${Math.floor(random() * QUEUES)}`,
        priority: Math.floor(random() * 5), // five base priorities mixed within every queue
        // A quarter of the items need one more skill, at level 1 or 2.
        requiredSkills: random() < 0.25 ? { [pick(SKILLS)]: 1 + Math.floor(random() * 2) } : {},
        handoff: {
          schemaVersion: 1,
          contactId: `bench-${n}`,
          channel,
          customer: { id: `cust-${n}`, tier: 'standard', authenticated: false, authMethod: 'none' },
          intent: null,
          entities: [],
          sentiment: { history: [], current: 0, direction: 'stable' },
          topics: [],
          trigger: null,
          stuckAt: null,
          tried: [],
          summary: 'benchmark contact',
          transcript: [{ at: new Date().toISOString(), from: 'customer', text: 'I need help with my bill.' }],
          createdAt: new Date().toISOString(),
        },
      };
    });
    await drive(ITEMS, 8, (n) => router.createWorkItem(inputs[n]!));
    // What autovacuum would have done by now to a table that just took 10,000 inserts.
    await dataSource.query('VACUUM ANALYZE routing.work_item');
    await dataSource.query('VACUUM ANALYZE routing.agent');
    console.log(`seeded ${ITEMS} items, ${AGENTS} agents, ${QUEUES} queues in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; ${CONCURRENCY} concurrent claimers, at most ${MAX_CLAIMS} claims at once in the database, pool of ${POOL}`);
    console.log(`load average before measuring: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);

    if (process.env.BENCH_EXPLAIN === '1') {
      // The claim's plan for one agent, rolled back so the numbers below start from the same state.
      const runner = dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        // The generic plan, as the named statement runs after its first executions.
        await runner.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
        await runner.query(`PREPARE bench_claim(text, timestamptz, text[], text[]) AS ${CLAIM.text}`);
        for (let i = 1; i <= 5; i++) await runner.query(`EXECUTE bench_claim('agent${i}', now(), NULL, NULL)`); // warm caches
        const plan: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE bench_claim('agent0', now(), NULL, NULL)`);
        await runner.query(`DEALLOCATE bench_claim`);
        console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    }

    // Baseline: the same pool and concurrency, a query that does nothing.
    const baseline = await drive(CLAIMS, CONCURRENCY, () => dataSource.query('SELECT 1'));
    const base = summary('baseline: SELECT 1 through the pool', baseline.latencies, baseline.seconds);

    // Claims: agents claim at random moments, as a desk does when a slot frees up.
    let empty = 0;
    // Our own backends only (the server is shared): their CPU is PostgreSQL's share of each claim.
    const backends: { pid: number }[] = await dataSource.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
    const backendPids = backends.map((b) => b.pid);
    const pgBefore = processCpuMs(backendPids);
    const cpuBefore = process.cpuUsage();
    const claims = await drive(CLAIMS, CONCURRENCY, async () => {
      if ((await router.claim(`agent${Math.floor(random() * AGENTS)}`)) === null) empty++;
    });
    const claim = summary(`claim (${ITEMS} → ${ITEMS - CLAIMS + empty} queued)`, claims.latencies, claims.seconds);
    const cpu = process.cpuUsage(cpuBefore);
    if (process.env.BENCH_PLANS === '1') {
      const runner = dataSource.createQueryRunner();
      const client = (await runner.connect()) as { query: (q: string) => Promise<{ rows: unknown[] }> };
      console.log((await client.query(`SELECT name, generic_plans, custom_plans FROM pg_prepared_statements`)).rows);
      await runner.release();
    }
    const nodeMs = (cpu.user + cpu.system) / 1000 / CLAIMS;
    const pgMs = (processCpuMs(backendPids) - pgBefore) / CLAIMS;
    console.log(
      `  CPU per claim: ${nodeMs.toFixed(3)} ms here + ${pgMs.toFixed(3)} ms in PostgreSQL = ${(nodeMs + pgMs).toFixed(3)} ms` +
        ` (CPU time itself inflates when other processes compete for the cores)`,
    );
    if (empty > 0) console.log(`  ${empty} claims found nothing eligible`);
    console.log(`  ${router.counters.thoroughClaims} claims needed the thorough pass (every fast candidate taken concurrently)`);

    // Claim + complete cycles: agents finish what they claimed (history, outbox row, load).
    const [{ n: held }] = await dataSource.query(`SELECT count(*)::int AS n FROM routing.work_item WHERE status = 'assigned'`);
    // Interleave agents, as real completions are: one agent's completions serialize on its row.
    const heldItems: { id: string; agent_id: string }[] = await dataSource.query(
      `SELECT id, agent_id FROM routing.work_item WHERE status = 'assigned'
       ORDER BY row_number() OVER (PARTITION BY agent_id ORDER BY assigned_at), agent_id LIMIT $1`,
      [CYCLES],
    );
    const completes = await drive(Math.min(CYCLES, held), CONCURRENCY, (n) =>
      router.completeWorkItem(heldItems[n]!.id, heldItems[n]!.agent_id, { outcome: 'resolved', reasonTags: ['bench'] }),
    );
    summary('complete (with history + resolution outbox)', completes.latencies, completes.seconds);

    // The same claim statement driven by pgbench (a C client, agents at random): the database's side
    // alone, without this process's share of the two cores.
    const pgbench = ['/usr/lib/postgresql', '/usr/local/pgsql']
      .filter(existsSync)
      .flatMap((root) => (root.endsWith('pgsql') ? [join(root, 'bin', 'pgbench')] : readdirSync(root).map((v) => join(root, v, 'bin', 'pgbench'))))
      .find(existsSync);
    const [{ queued }] = await dataSource.query(`SELECT count(*)::int AS queued FROM routing.work_item WHERE status = 'queued'`);
    if (pgbench && queued >= 4000) {
      const script = join(tmpdir(), `routing-claim-${process.pid}.sql`);
      const sql = CLAIM.text
        .replace(/--[^\n]*/g, '')
        .replace(/\$1/g, "('agent' || :agent)")
        .replace(/\$2/g, 'now()')
        .replace(/\$3::text\[\]/g, 'NULL::text[]')
        .replace(/\$4::text\[\]/g, 'NULL::text[]')
        .replace(/\s+/g, ' ');
      writeFileSync(script, `\\set agent random(0, ${AGENTS - 1})\n${sql};\n`);
      const url = new URL(db.url);
      const run = spawnSync(pgbench, ['-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username), '-n', '-M', 'prepared', '-c', '4', '-j', '2', '-t', '1000', '-f', script, url.pathname.slice(1)], {
        env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
        encoding: 'utf8',
      });
      const tps = /tps = ([\d.]+)/.exec(run.stdout)?.[1];
      const latency = /latency average = ([\d.]+) ms/.exec(run.stdout)?.[1];
      console.log(tps ? `claim statement via pgbench, 4 clients      4000 ops  ${Number(tps).toFixed(0).padStart(6)}/s  average ${latency} ms` : `pgbench failed: ${run.stderr.slice(0, 300)}`);
    }

    console.log(
      `\nclaims/s ${claim.perSecond.toFixed(0)} (goal ≥ 2000)  p50 ${claim.p50.toFixed(2)} ms  p99 ${claim.p99.toFixed(2)} ms (goal ≤ 20)` +
        `  — ${(claim.perSecond / base.perSecond * 100).toFixed(0)}% of the SELECT 1 baseline's rate, p99 ${(claim.p99 / base.p99).toFixed(1)}× its p99`,
    );
  } finally {
    await dataSource.destroy();
    if (process.env.BENCH_KEEP_DB === '1') console.log(`kept database ${db.name}`);
    else await db.drop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
