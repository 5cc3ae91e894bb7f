/** docs/events.md lists every event type with exactly the example the package exports. */
import fs from 'node:fs';
import path from 'node:path';
import { eventExamples, eventTypes, parseEvent, simulationExample } from '../src';

const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'events.md'), 'utf8');

describe('docs/events.md', () => {
  it.each(eventTypes.map((d) => [d.type, d] as const))('documents %s with its current example', (_type, definition) => {
    expect(doc).toContain(`### ${definition.name} (\`${definition.type}\`)`);
    expect(doc).toContain(JSON.stringify(eventExamples[definition.type], null, 2));
  });

  it('shows a draft contact\'s event, marked as a simulation, as the package builds it', () => {
    expect(doc).toContain(JSON.stringify(simulationExample, null, 2));
    expect(simulationExample).toMatchObject({ flowversion: 0, simulation: true });
  });

  it('shows only examples that are valid events (one per type, and the simulation)', () => {
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(eventTypes.length + 1);
    for (const block of blocks) expect(() => parseEvent(block)).not.toThrow();
  });
});
