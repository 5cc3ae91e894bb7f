import fs from 'node:fs';
import { NODE_TYPES } from '@tandem/flow';
import { nodeTable, RUNTIME_DOCS, runtimeDocs } from '../scripts/runtime-docs';

describe('docs/runtime.md', () => {
  it('has the node table the executors describe (run `npm run docs -w @tandem/worker` after changing one)', () => {
    const onDisk = fs.readFileSync(RUNTIME_DOCS, 'utf8');
    expect(onDisk).toBe(runtimeDocs(onDisk));
  });

  it('describes every node type of the language', () => {
    const table = nodeTable();
    for (const type of NODE_TYPES) expect(table).toContain(`| \`${type}\` v`);
  });
});
