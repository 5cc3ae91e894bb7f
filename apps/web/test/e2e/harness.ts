/**
 * End-to-end harness: the real API (`createApp`, exactly what its main.ts runs) on a fresh test
 * database, the built designer served as `npm start` serves it, and Debian's Chromium driven by
 * playwright-core. Never a downloaded browser.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestDatabase, startWorkerProcess, type TestDatabase, uniqueName } from '@tandem/testkit';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

// The API is consumed through its build (dist/), like every workspace package.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createApp } = require('@tandem/api/dist/create-app') as { createApp(options: { config: unknown }): Promise<NestExpressApplication> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadApiConfig } = require('@tandem/api/dist/config/api-config') as { loadApiConfig(env: Record<string, string | undefined>): unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TokenService } = require('@tandem/api/dist/auth/token.service') as { TokenService: new (...args: never[]) => { issue(r: { subject: string; roles: string[]; ttl: string }): { token: string } } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BackgroundService } = require('@tandem/api/dist/background/background.service') as { BackgroundService: new (...args: never[]) => { ready(): Promise<void> } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startDesignerServer } = require('../../scripts/serve.cjs') as { startDesignerServer(o: { port?: number; apiUrl: string | (() => string); root?: string }): Promise<{ url: string; port: number; close(): Promise<void> }> };

export const WEB_ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(WEB_ROOT, 'test-artifacts');
const CHROMIUM = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Builds the designer (vite build into dist/), unless TANDEM_WEB_SKIP_BUILD=1. The test run builds
 * once in its globalSetup; the benchmark calls this.
 */
export function buildDesigner(): void {
  if (process.env.TANDEM_WEB_SKIP_BUILD === '1' && fs.existsSync(path.join(WEB_ROOT, 'dist', 'index.html'))) return;
  const r = spawnSync(process.execPath, [path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build', '--logLevel', 'error'], { cwd: WEB_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build failed (see above)');
}

export interface Harness {
  apiUrl: string;
  webUrl: string;
  db: TestDatabase;
  designerToken: string;
  /** An admin's token: admins may publish over failing flow tests. */
  adminToken: string;
  /** Calls the API as a designer (or another role) — for seeding and for checking what the UI did. */
  call<T = unknown>(method: string, url: string, body?: unknown, role?: string): Promise<{ status: number; body: T }>;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Launches Debian's Chromium with the flags that work on these machines. playwright-core gives every
 * launch a fresh temporary profile (the fresh `--user-data-dir`) and removes it on close.
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (npm test does) or set TANDEM_CHROMIUM`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** API background parts a suite may switch on (all are off unless asked for). */
export type BackgroundPart = 'outboxRelay' | 'projections' | 'escalationContexts' | 'routingMaintenance';
const BACKGROUND_ENV: Record<BackgroundPart | 'inboundContacts', string> = {
  outboxRelay: 'TANDEM_API_OUTBOX_RELAY',
  projections: 'TANDEM_API_PROJECTIONS',
  escalationContexts: 'TANDEM_API_ESCALATION_CONTEXTS',
  routingMaintenance: 'TANDEM_API_ROUTING_MAINTENANCE',
  inboundContacts: 'TANDEM_API_INBOUND_CONTACTS',
};

export interface HarnessOptions {
  viewport?: { width: number; height: number };
  /** Run the real contact worker (its own process), so test chats run on the runtime. */
  worker?: boolean;
  background?: BackgroundPart[];
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const db = await createTestDatabase('web');
  const cleanups: (() => Promise<unknown>)[] = [() => db.drop()];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    // The designer first: the API must allow its origin (CORS), and its port is only known once it listens.
    let apiUrl = '';
    const server = await startDesignerServer({ port: 0, apiUrl: () => apiUrl });
    cleanups.push(() => server.close());
    // The suite's own task queue, topics and consumer groups: nothing shared with other suites.
    const scope = uniqueName('web').toLowerCase();
    const background = Object.fromEntries(Object.entries(BACKGROUND_ENV).map(([part, name]) => [name, options.background?.includes(part as BackgroundPart) ? '1' : '0']));
    // What the API and its worker share: the suite's database, task queue and topics.
    const shared = { TANDEM_DATABASE_URL: db.url, TANDEM_TEMPORAL_TASK_QUEUE: scope, TANDEM_KAFKA_TOPIC_PREFIX: `${scope}.`, TANDEM_KAFKA_TOPIC_PARTITIONS: '1' };
    const config = loadApiConfig({
      ...process.env,
      NODE_ENV: 'test',
      TANDEM_LOG_LEVEL: process.env.TANDEM_TEST_LOG_LEVEL ?? 'silent',
      TANDEM_JWT_SECRET: 'test-secret-for-the-designer-e2e-suite-0123456789',
      TANDEM_API_CORS_ORIGINS: server.url,
      ...shared,
      TANDEM_KAFKA_GROUP_PREFIX: `${scope}.`,
      ...background,
    });
    const app = await createApp({ config });
    cleanups.push(() => app.close());
    if (options.worker) {
      // The worker as its own process, as npm start runs it (after the API migrated the database).
      const worker = await startWorkerProcess({ ...shared, TANDEM_WORKER_RESOLUTION_POLL_MS: '200' });
      cleanups.push(() => worker.stop());
    }
    if (options.background?.length) await app.get(BackgroundService).ready();
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    apiUrl = `http://127.0.0.1:${address.port}`;
    const tokens = app.get(TokenService);
    const token = (role: string) => tokens.issue({ subject: `${role}@e2e.test`, roles: [role], ttl: '1h' }).token;
    const designerToken = token('designer');

    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1600, height: 1000 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(e.stack ?? e.message));
    page.on('console', (m) => {
      // Failed requests are expected where a test cuts the API off; the app reports those itself.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(`console: ${m.text()}`);
    });

    return {
      apiUrl,
      webUrl: server.url,
      db,
      designerToken,
      adminToken: token('admin'),
      browser,
      context,
      page,
      async call(method, url, body, role = 'designer') {
        const response = await fetch(`${apiUrl}${url}`, {
          method,
          headers: { authorization: `Bearer ${token(role)}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await response.text();
        return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
      },
      async screenshot(name) {
        const file = path.join(ARTIFACTS, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      close: async () => {
        if (consoleErrors.length) process.stderr.write(`designer page errors:\n${consoleErrors.join('\n')}\n`);
        await cleanup();
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** Signs in through the sign-in screen. */
export async function signIn(page: Page, webUrl: string, token: string): Promise<void> {
  await page.goto(webUrl);
  await page.getByTestId('token-input').fill(token);
  await page.getByTestId('sign-in').click();
}
