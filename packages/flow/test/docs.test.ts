import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DIAGNOSTIC_CODES, NODE_TYPES } from '../src';
import { flowLanguageMarkdown } from '../scripts/flow-language-docs';

describe('docs/flow-language.md', () => {
  const generated = flowLanguageMarkdown();

  it('is up to date with the code (run `npm run docs -w @tandem/flow` after changing nodes or diagnostics)', () => {
    const onDisk = readFileSync(path.resolve(__dirname, '../../../docs/flow-language.md'), 'utf8');
    expect(onDisk).toBe(generated);
  });

  it('documents every node type and every diagnostic code', () => {
    for (const type of NODE_TYPES) expect(generated).toContain(`### \`${type}\``);
    for (const code of DIAGNOSTIC_CODES) expect(generated).toContain(`### ${code} (`);
  });
});
