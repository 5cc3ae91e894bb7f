import { type INestApplicationContext, Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command, CommanderError, Option } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { destination as pinoDestination } from 'pino';
import { ttlSchema } from '@tandem/api-contract';
import { ConfigError } from '@tandem/config';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ApiKeyEntity } from '../auth/api-key.entity';
import { ApiKeysService } from '../auth/api-keys.service';
import { type Role, ROLES, roleSchema } from '../auth/roles';
import { TokenService } from '../auth/token.service';
import { AppModule } from '../app.module';
import { type ApiConfig, loadApiConfig } from '../config/api-config';
import { ApiError } from '../common/errors';
import { createDataSourceOptions, migrate } from '../database/data-source';
import { seedExamples, type SeedReport } from '../seed/seed';

/** Where the CLI writes: stdout gets only the result (a token, a key, JSON), stderr the explanations. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
};

/** A user mistake: printed without a stack, exit code 2. */
class UsageError extends Error {}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, option: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`${option}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  return r.data;
}

const rolesOption = () =>
  new Option('-r, --role <role...>', `roles to grant (${ROLES.join(', ')})`).makeOptionMandatory();

async function withApiKeys<T>(config: ApiConfig, fn: (keys: ApiKeysService) => Promise<T>): Promise<T> {
  const ds = new DataSource(createDataSourceOptions(config.database.url, undefined, { poolSize: 2 }));
  await ds.initialize();
  try {
    const pending = await ds.showMigrations();
    if (pending) throw new UsageError('the database has pending migrations: run `migrate` first (or start the API once)');
    return await fn(new ApiKeysService(ds.getRepository(ApiKeyEntity)));
  } finally {
    await ds.destroy();
  }
}

/**
 * The API's services without its HTTP server or background work (no relay, consumers or maintenance):
 * for commands that act through the same code paths requests take. Migrates first.
 */
async function withApplication<T>(cfg: ApiConfig, fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const quiet: ApiConfig = {
    ...cfg,
    logLevel: cfg.logLevel === 'info' ? 'warn' : cfg.logLevel,
    api: { ...cfg.api, migrateOnStart: true },
    background: { ...cfg.background, outboxRelay: false, projections: false, inboundContacts: false, escalationContexts: false, routingMaintenance: false },
  };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config: quiet, logDestination: pinoDestination(2) }), { logger: false });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

function describeSeed(r: SeedReport): string {
  const list = (items: { name?: string; id?: string; created?: boolean }[]) => items.map((i) => `${i.name ?? i.id}${i.created ? ' (new)' : ''}`).join(', ');
  return [
    `queues:     ${list(r.queues)}`,
    `calendars:  ${list(r.calendars)}`,
    `activities: ${r.activities.map((a) => `${a.name} (${a.status})`).join(', ')}`,
    `agents:     ${list(r.agents)}`,
    `flows:      ${r.flows.map((f) => `${f.id} v${f.version}${f.published ? ' (published now)' : ''}`).join(', ')}`,
    '',
    `tokens (valid until ${r.tokens.expiresAt}):`,
    `  designer   ${r.tokens.designer.token}`,
    `  supervisor ${r.tokens.supervisor.token}`,
    ...r.tokens.agents.map((a) => `  agent ${a.agentId.padEnd(5)} ${a.token}`),
    '',
  ].join('\n');
}

function buildProgram(io: CliIo, config: () => ApiConfig): Command {
  const program = new Command('tandem-api')
    .description('Administer the Tandem API: migrate the database, seed an admin, issue tokens and API keys.')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t) })
    .showHelpAfterError();

  program
    .command('migrate')
    .description('run pending database migrations (the API also runs them at start unless TANDEM_API_MIGRATE=0)')
    .action(async () => {
      const ran = await migrate(config().database.url);
      io.err(ran.length ? `ran ${ran.length} migration(s):\n${ran.map((m) => `  ${m}\n`).join('')}` : 'the database is up to date\n');
    });

  program
    .command('seed-admin')
    .description('create the first admin API key (idempotent: does nothing if an active key of that name exists) and print it once')
    .option('-n, --name <name>', 'key name', 'admin')
    .option('-s, --subject <subject>', 'who the key belongs to', 'admin')
    .option('--rotate', 'revoke the existing key of that name and create a new one')
    .action(async (opts: { name: string; subject: string; rotate?: boolean }) => {
      const cfg = config();
      await migrate(cfg.database.url);
      await withApiKeys(cfg, async (keys) => {
        const existing = await keys.findByName(opts.name);
        if (existing.length && !opts.rotate) {
          io.err(`an admin key named "${opts.name}" already exists (prefix ${existing.map((k) => k.prefix).join(', ')}); use --rotate to replace it\n`);
          return;
        }
        for (const k of existing) await keys.revoke(k.id);
        const created = await keys.create({ name: opts.name, roles: ['admin'], subject: opts.subject }, 'cli:seed-admin');
        io.err(`created admin API key "${created.name}" (id ${created.id}); it is shown once — store it now:\n`);
        io.out(`${created.key}\n`);
      });
    });

  program
    .command('token')
    .description('issue a bearer JWT signed with TANDEM_JWT_SECRET and print it')
    .requiredOption('-s, --subject <subject>', 'who the token is for (an e-mail, a system name)')
    .addOption(rolesOption())
    .option('-a, --agent-id <id>', 'the agent the token acts as (agent role; defaults to the subject)')
    .option('-t, --ttl <duration>', 'lifetime: 90s, 15m, 12h, 30d', '12h')
    .action((opts: { subject: string; role: string[]; agentId?: string; ttl: string }) => {
      const cfg = config();
      const roles = parseWith(z.array(roleSchema).min(1), opts.role, '--role');
      const ttl = parseWith(ttlSchema, opts.ttl, '--ttl');
      if (cfg.api.jwtSecretIsDevDefault) io.err('warning: TANDEM_JWT_SECRET is not set; the token is signed with the development secret\n');
      const issued = new TokenService(cfg).issue({ subject: opts.subject, roles, ttl, ...(opts.agentId ? { agentId: opts.agentId } : {}) });
      io.err(`token ${issued.tokenId} for ${opts.subject} (${roles.join(', ')}), expires ${issued.expiresAt}\n`);
      io.out(`${issued.token}\n`);
    });

  program
    .command('seed')
    .description('make a fresh install ready to try (idempotent): example flows published, their queues, the support-hours calendar, the worker\'s built-in activities, agents alice, bob and carol; prints tokens for a designer, two agents and a supervisor')
    .option('-t, --ttl <duration>', 'lifetime of the printed tokens', '12h')
    .option('--tokens-file <path>', 'also write the tokens there as JSON (npm start writes .stack/tokens.json)')
    .option('--json', 'print the whole report as JSON on stdout')
    .action(async (opts: { ttl: string; tokensFile?: string; json?: boolean }) => {
      const ttl = parseWith(ttlSchema, opts.ttl, '--ttl');
      const cfg = config();
      const report = await withApplication(cfg, (app) => seedExamples(app, { ttl }));
      if (opts.tokensFile) {
        const file = path.resolve(opts.tokensFile);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, `${JSON.stringify(report.tokens, null, 2)}\n`, { mode: 0o600 });
        io.err(`tokens written to ${file}\n`);
      }
      if (opts.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
      else io.out(describeSeed(report));
    });

  const apiKey = program.command('api-key').description('manage API keys for integrations');
  apiKey
    .command('create')
    .description('create an API key and print it (shown once)')
    .requiredOption('-n, --name <name>', 'a name to recognise the key by')
    .addOption(rolesOption())
    .option('-s, --subject <subject>', 'the system the key belongs to (default apikey:<name>)')
    .option('-a, --agent-id <id>', 'the agent the key acts as (agent role)')
    .option('--expires-at <iso>', 'when the key stops working (ISO-8601)')
    .action(async (opts: { name: string; role: string[]; subject?: string; agentId?: string; expiresAt?: string }) => {
      const roles: Role[] = parseWith(z.array(roleSchema).min(1), opts.role, '--role');
      const expiresAt = opts.expiresAt ? new Date(parseWith(z.iso.datetime({ offset: true }), opts.expiresAt, '--expires-at')) : undefined;
      await withApiKeys(config(), async (keys) => {
        const created = await keys.create({ name: opts.name, roles, ...(opts.subject ? { subject: opts.subject } : {}), ...(opts.agentId ? { agentId: opts.agentId } : {}), ...(expiresAt ? { expiresAt } : {}) }, 'cli');
        io.err(`created API key "${created.name}" (id ${created.id}, ${roles.join(', ')}); it is shown once — store it now:\n`);
        io.out(`${created.key}\n`);
      });
    });
  apiKey
    .command('list')
    .description('list API keys as JSON (never their secrets)')
    .action(async () => {
      await withApiKeys(config(), async (keys) => io.out(`${JSON.stringify(await keys.list(), null, 2)}\n`));
    });
  apiKey
    .command('revoke')
    .description('revoke an API key by id')
    .argument('<id>', 'the key id (see api-key list)')
    .action(async (id: string) => {
      parseWith(z.uuid('expected an API key id (a UUID)'), id, 'id');
      await withApiKeys(config(), async (keys) => {
        const revoked = await keys.revoke(id);
        io.err(`revoked API key "${revoked.name}" (${revoked.id})\n`);
      });
    });

  return program;
}

/**
 * Runs the CLI with `argv` (without node and script) and resolves with the exit code: 0 done,
 * 2 a usage or configuration mistake (explained on stderr), 1 anything else.
 *
 * @example
 * npm run cli -w @tandem/api -- token --subject ana@example.com --role agent --ttl 8h
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  // Library chatter (TypeORM's migration steps) stays out of the CLI's output unless it is a problem.
  NestLogger.overrideLogger(['error', 'warn']);
  let cached: ApiConfig | undefined;
  const config = () => (cached ??= loadApiConfig(io.env));
  try {
    await buildProgram(io, config).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof ApiError) {
      io.err(`error: ${e.message}\n`);
      return 2;
    }
    io.err(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
