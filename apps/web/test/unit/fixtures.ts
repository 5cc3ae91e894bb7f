import { type FlowDocument, nodeCatalog } from '@tandem/flow';
import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../../src/graph/types';

/** The catalog as the API serves it, built from the same definitions. */
export function testCatalog(): Catalog {
  return {
    nodeTypes: nodeCatalog(),
    expressions: { language: 'cel', variables: [], flowVariables: { name: 'ctx', description: '', types: [] } },
    queues: [{ name: 'billing', description: null }],
    activities: [],
    calendars: [{ name: 'support' }],
  };
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
  };
}
