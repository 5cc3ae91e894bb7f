import { type CatalogView, catalogSchema, type ContactView, contactStateSchema } from '@tandem/api-contract';
import { emptyNluSnapshot, type HandoffPackage } from '@tandem/contracts';
import { flowGuaranteesSchema, type FlowDocument, nodeCatalog } from '@tandem/flow';
import fs from 'node:fs';
import path from 'node:path';

const AT = '2026-01-01T09:00:00.000Z';

/** The catalog as the API serves it, built from the same definitions (and checked by its schema). */
export function testCatalog(): CatalogView {
  return catalogSchema.parse({
    nodeTypes: nodeCatalog(),
    expressions: { language: 'cel', variables: [], flowVariables: { name: 'ctx', description: '', types: [] } },
    queues: [
      {
        name: 'billing',
        description: '',
        skills: {},
        distribution: 'pull',
        slaTargetSeconds: 60,
        businessHours: null,
        overflowQueue: null,
        maxWaitSeconds: null,
        relaxation: [],
        offerTimeoutSeconds: 30,
        aging: { perMinute: 0, cap: 0 },
        createdAt: AT,
        updatedAt: AT,
      },
    ],
    activities: [],
    calendars: [{ name: 'support', calendar: { timezone: 'Europe/London', weekly: {}, holidays: [] }, updatedAt: AT }],
  });
}

/** A handoff package as the API sends it. */
export function testHandoff(fields: Partial<HandoffPackage> = {}): HandoffPackage {
  return {
    schemaVersion: 1,
    contactId: 'c1',
    channel: 'chat',
    customer: { id: 'cust', tier: 'vip', authenticated: false, authMethod: 'none' },
    intent: null,
    entities: [],
    sentiment: { history: [0], current: 0, direction: 'stable' },
    topics: [],
    trigger: null,
    stuckAt: null,
    tried: [],
    summary: '',
    transcript: [],
    createdAt: AT,
    ...fields,
  };
}

/** `GET /v1/contacts/:id` of a designer's test chat (checked by the contract's schema). */
export function testContact(fields: Partial<ContactView> = {}): ContactView {
  return contactStateSchema.parse({
    contactId: 'c1',
    workflowId: 'contact-c1',
    status: 'running',
    draft: true,
    flowId: 'small',
    flowVersion: 0,
    planHash: 'h',
    startedAt: AT,
    closedAt: null,
    steps: [],
    path: [],
    handledBy: 'bot',
    outcome: null,
    channel: 'chat',
    customer: { id: 'cust', tier: 'vip' },
    ctx: {},
    nlu: emptyNluSnapshot,
    transcript: [],
    handoff: null,
    workItem: null,
    assist: null,
    continuedAsNew: 0,
    ...fields,
  });
}

export function exampleFlow(name = 'ai-first-human-backup'): FlowDocument {
  const file = path.join(path.dirname(require.resolve('@tandem/flow/package.json')), 'examples', `${name}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as FlowDocument;
}

/** start → decision (vip | default) → two ends. */
export function smallFlow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'small',
    name: 'Small',
    description: '',
    channels: ['chat'],
    variables: [],
    nodes: [
      { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
      { id: 'triage', type: 'decision', typeVersion: 1, position: { x: 300, y: 0 }, label: 'Triage', config: { rules: [{ id: 'vip', label: 'VIP', condition: 'customer.tier == "vip"' }] } },
      { id: 'vip-end', type: 'end', typeVersion: 1, position: { x: 600, y: -100 }, config: { outcome: 'resolved_by_human' } },
      { id: 'done', type: 'end', typeVersion: 1, position: { x: 600, y: 100 }, config: { outcome: 'resolved_by_bot' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'triage' },
      { id: 'e2', source: 'triage', sourcePort: 'vip', target: 'vip-end' },
      { id: 'e3', source: 'triage', sourcePort: 'default', target: 'done' },
    ],
    guarantees: flowGuaranteesSchema.parse({}),
    tests: [],
  };
}
