import { EXAMPLE_FLOWS, type ExampleFlowName, exampleResolverData, type FlowDocumentInput } from '@tandem/flow';
import fs from 'node:fs';
import path from 'node:path';
import type { TestApp } from './test-app';

/** An example flow document from `@tandem/flow` (the same JSON the worker runs end to end). */
export function exampleFlow(name: ExampleFlowName = 'ai-first-human-backup'): FlowDocumentInput {
  const file = path.join(path.dirname(require.resolve('@tandem/flow/package.json')), 'examples', `${name}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as FlowDocumentInput;
}

export const ALL_EXAMPLES = EXAMPLE_FLOWS;

/** A small flow that compiles with an empty catalog: start → end. */
export function minimalFlow(id = 'minimal'): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: `Minimal ${id}`,
    description: '',
    channels: ['chat'],
    variables: [],
    nodes: [
      { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
      { id: 'done', type: 'end', typeVersion: 1, position: { x: 200, y: 0 }, config: { outcome: 'resolved_by_bot' } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'done' }],
  };
}

/** start → wait for the customer's reply (up to an hour) → end: contacts that stay open until they are spoken to. */
export function waitingFlow(id = 'waiting'): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: `Waiting ${id}`,
    description: '',
    channels: ['chat'],
    variables: [],
    nodes: [
      { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
      { id: 'ask', type: 'wait', typeVersion: 1, position: { x: 200, y: 0 }, config: { mode: 'reply', prompt: 'How can we help?', timeoutSeconds: 3600 } },
      { id: 'done', type: 'end', typeVersion: 1, position: { x: 400, y: 0 }, config: { outcome: 'resolved_by_bot' } },
      { id: 'gave-up', type: 'end', typeVersion: 1, position: { x: 400, y: 100 }, config: { outcome: 'abandoned' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'ask' },
      { id: 'e2', source: 'ask', sourcePort: 'reply', target: 'done' },
      { id: 'e3', source: 'ask', sourcePort: 'timeout', target: 'gave-up' },
    ],
  };
}

/** The example flows' queues as routing defines them (a short SLA; `support` and `complaints` push). */
export const EXAMPLE_QUEUES = (exampleResolverData.queues ?? []).map((q) => (typeof q === 'string' ? q : q.name));

/** Registers, through the API, the queues, calendar and custom activity the example flows use. */
export async function seedExampleCatalog(t: TestApp): Promise<void> {
  const admin = t.token('admin');
  const service = t.token('service');
  for (const name of EXAMPLE_QUEUES) {
    await t.http.put(`/v1/catalog/queues/${name}`).set('Authorization', `Bearer ${admin}`).send({ description: name, slaTargetSeconds: 120 }).expect((r) => expect([200, 201]).toContain(r.status));
  }
  for (const c of exampleResolverData.calendars ?? []) {
    if (typeof c === 'string' || !c.calendar) continue;
    await t.http.put(`/v1/catalog/calendars/${c.name}`).set('Authorization', `Bearer ${admin}`).send(c.calendar).expect((r) => expect([200, 201]).toContain(r.status));
  }
  const activities = (exampleResolverData.activities ?? []).map((a) => ({
    name: a.name,
    version: 1,
    title: a.name,
    description: a.description ?? a.name,
    category: 'Examples',
    inputSchema: a.inputSchema,
    outputSchema: a.outputSchema ?? {},
    timeoutSeconds: 30,
    retry: { maximumAttempts: 3, initialIntervalSeconds: 1, backoffCoefficient: 2 },
  }));
  if (activities.length) {
    await t.http.post('/v1/catalog/activities/register').set('Authorization', `Bearer ${service}`).send({ activities }).expect(200);
  }
}
