/** docs/events.md lists every event type with exactly the example the package exports. */
import fs from 'node:fs';
import path from 'node:path';
import { eventExamples, eventTypes, parseEvent } from '../src';

const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'events.md'), 'utf8');

describe('docs/events.md', () => {
  it.each(eventTypes.map((d) => [d.type, d] as const))('documents %s with its current example', (_type, definition) => {
    expect(doc).toContain(`### ${definition.name} (\`${definition.type}\`)`);
    expect(doc).toContain(JSON.stringify(eventExamples[definition.type], null, 2));
  });

  it('shows only examples that are valid events', () => {
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(eventTypes.length);
    for (const block of blocks) expect(() => parseEvent(block)).not.toThrow();
  });
});
