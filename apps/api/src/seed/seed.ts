import type { INestApplicationContext } from '@nestjs/common';
import type { CustomActivityDescriptor } from '@tandem/activity-kit';
import { EXAMPLE_FLOWS, exampleResolverData, exampleSupportHours, type FlowDocument } from '@tandem/flow';
import { type AgentDefinition, type QueueDefinition, RoutingDirectory, RoutingNotFoundError } from '@tandem/routing';
import { createDraftEmailReplyActivity, createHttpRequestActivity, createOrderLookupActivity } from '@tandem/activity-library';
import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { Principal } from '../auth/roles';
import { TokenService } from '../auth/token.service';
import { CalendarsService } from '../catalog/calendars.service';
import { CustomActivitiesService } from '../catalog/custom-activities.service';
import { NotFoundError } from '../common/errors';
import { FlowsService } from '../flows/flows.service';

/** What the seed did, for the CLI to print. */
export interface SeedReport {
  queues: { name: string; created: boolean }[];
  calendars: { name: string; created: boolean }[];
  activities: { name: string; status: string }[];
  agents: { id: string; created: boolean }[];
  flows: { id: string; version: number | null; published: boolean; created: boolean }[];
  tokens: SeedTokens;
}

/** Tokens for trying Tandem: the designer pastes one, agents' desks and supervisors use theirs. */
export interface SeedTokens {
  expiresAt: string;
  designer: { subject: string; token: string };
  supervisor: { subject: string; token: string };
  agents: { agentId: string; subject: string; token: string }[];
}

/**
 * The example queues: `support` and `complaints` push work to the longest-idle agent (the agents'
 * offer stream), the others are pulled (claim). Overflow queues are defined before the queues that
 * overflow into them.
 */
const EXAMPLE_QUEUES: QueueDefinition[] = [
  { name: 'support-overflow', description: 'Overflow for support at peak times', slaTargetSeconds: 300 },
  { name: 'support', description: 'General support (chat, voice, email)', distribution: 'push', slaTargetSeconds: 120, businessHours: 'support-hours', offerTimeoutSeconds: 30 },
  { name: 'complaints', description: 'Complaints and sensitive topics', distribution: 'push', slaTargetSeconds: 180, skills: { complaints: 1 }, offerTimeoutSeconds: 45 },
  { name: 'billing-overflow', description: 'Overflow for billing at peak times', slaTargetSeconds: 300 },
  { name: 'billing', description: 'Invoices, refunds, disputes', slaTargetSeconds: 120, overflowQueue: 'billing-overflow', maxWaitSeconds: 600, relaxation: [{ afterSeconds: 120, skill: 'billing', level: 1 }] },
  { name: 'back-office', description: 'Follow-ups and callbacks', slaTargetSeconds: 3600 },
];

const ALL_EXAMPLE_QUEUES = EXAMPLE_QUEUES.map((q) => q.name);

/** A few agents to try the desk with. */
const EXAMPLE_AGENTS: AgentDefinition[] = [
  { id: 'alice', displayName: 'Alice Martin', skills: { support: 5, orders: 5, billing: 5, complaints: 5 }, capacity: { chat: 3, voice: 1, email: 5 }, queues: ALL_EXAMPLE_QUEUES },
  { id: 'bob', displayName: 'Bob Okafor', skills: { support: 3, billing: 3 }, capacity: { chat: 2, voice: 1, email: 3 }, queues: ['support', 'billing', 'billing-overflow', 'support-overflow'] },
  { id: 'carol', displayName: 'Carol Nguyen', skills: { support: 4, complaints: 5, orders: 3 }, capacity: { chat: 3, voice: 1, email: 5 }, queues: ['support', 'complaints', 'support-overflow', 'back-office'] },
];

const SEEDER: Principal = { kind: 'api_key', subject: 'seed', roles: ['admin'], credentialId: 'seed' };

/** The built-in custom activities the worker ships (descriptors only: nothing runs here). */
export function builtInActivityDescriptors(): CustomActivityDescriptor[] {
  // A pool that is never used: the orders activity is described, not executed (pg pools connect lazily).
  const idle = new Pool({ max: 1 });
  return [createDraftEmailReplyActivity(), createHttpRequestActivity({ allowedHosts: [] }), createOrderLookupActivity({ pool: idle })].map((a) => a.descriptor);
}

/** The example flow documents shipped with @tandem/flow. */
export function exampleDocuments(): FlowDocument[] {
  const dir = path.join(path.dirname(require.resolve('@tandem/flow/package.json')), 'examples');
  return EXAMPLE_FLOWS.map((name) => JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as FlowDocument);
}

/**
 * Makes a fresh install ready to try, idempotently (what exists is left as it is, so a supervisor's
 * changes survive the next `npm start`): the example flows' queues in routing, the `support-hours`
 * calendar, the worker's built-in custom activities, a few agents, the five example flows published;
 * and tokens for a designer, two agents and a supervisor.
 */
export async function seedExamples(app: INestApplicationContext, options: { ttl: string }): Promise<SeedReport> {
  const directory = app.get(RoutingDirectory);
  const exists = async (find: () => Promise<unknown>) =>
    find().then(
      () => true,
      (e: unknown) => {
        if (e instanceof RoutingNotFoundError || e instanceof NotFoundError) return false;
        throw e;
      },
    );

  const report: SeedReport = { queues: [], calendars: [], activities: [], agents: [], flows: [], tokens: undefined as never };
  const wanted = new Set((exampleResolverData.queues ?? []).map((q) => (typeof q === 'string' ? q : q.name)));
  for (const queue of EXAMPLE_QUEUES.filter((q) => wanted.has(q.name))) {
    const created = !(await exists(() => directory.getQueue(queue.name)));
    if (created) await directory.defineQueue(queue);
    report.queues.push({ name: queue.name, created });
  }

  const calendars = app.get(CalendarsService);
  const calendarCreated = !(await exists(() => calendars.get('support-hours')));
  if (calendarCreated) await calendars.put('support-hours', exampleSupportHours);
  report.calendars.push({ name: 'support-hours', created: calendarCreated });

  const registered = await app.get(CustomActivitiesService).register(builtInActivityDescriptors(), 'seed');
  report.activities = registered.map((r) => ({ name: r.name, status: r.status }));

  for (const agent of EXAMPLE_AGENTS) {
    const created = !(await exists(() => directory.getAgent(agent.id)));
    if (created) await directory.defineAgent(agent);
    report.agents.push({ id: agent.id, created });
  }

  const flows = app.get(FlowsService);
  for (const document of exampleDocuments()) {
    const existing = await flows.get(document.id).catch((e: unknown) => {
      if (e instanceof NotFoundError) return null;
      throw e;
    });
    if (!existing) await flows.create(document, SEEDER);
    const latest = existing?.latestVersion ?? null;
    if (latest === null) {
      // Without running its tests: seeding comes before the worker starts, and the examples' tests
      // pass in Tandem's CI (apps/api/test/flow-tests-examples.e2e.test.ts); the Tests tab runs them on demand.
      const note = `example flow seeded by \`npm start\`${document.tests.length ? ` (its ${document.tests.length} tests not run at seeding; run them from the Tests tab)` : ''}`;
      const published = await flows.publish(document.id, { note }, SEEDER, { withoutTests: true });
      report.flows.push({ id: document.id, version: published.version, published: true, created: !existing });
    } else {
      report.flows.push({ id: document.id, version: latest, published: false, created: false });
    }
  }

  const tokens = app.get(TokenService);
  const designer = tokens.issue({ subject: 'designer@tandem.local', roles: ['designer'], ttl: options.ttl });
  const supervisor = tokens.issue({ subject: 'supervisor@tandem.local', roles: ['supervisor'], ttl: options.ttl });
  const agents = ['alice', 'bob'].map((agentId) => ({ agentId, subject: `${agentId}@tandem.local`, token: tokens.issue({ subject: `${agentId}@tandem.local`, roles: ['agent'], agentId, ttl: options.ttl }).token }));
  report.tokens = {
    expiresAt: designer.expiresAt,
    designer: { subject: 'designer@tandem.local', token: designer.token },
    supervisor: { subject: 'supervisor@tandem.local', token: supervisor.token },
    agents,
  };
  return report;
}
