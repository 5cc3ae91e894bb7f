import fs from 'node:fs';
import path from 'node:path';

/**
 * The designer bundles this package: what it loads at run time must run in a browser. Its own
 * modules may import only zod and the pure workspace packages (types from anywhere), and those
 * packages may depend only on browser-safe code in turn.
 */
const BROWSER_SAFE = new Set(['zod', '@tandem/flow', '@tandem/contracts', '@marcbachmann/cel-js']);

/** Specifiers this module loads at run time: `import … from` and `export … from`, minus type-only ones. */
function runtimeImports(source: string): string[] {
  const specifiers: string[] = [];
  for (const m of source.matchAll(/^(import|export)\s+([^;]*?)\s+from\s+'([^']+)'/gms)) {
    const clause = m[2]!;
    if (/^type\s/.test(clause)) continue;
    // `import { type A, type B } from …` is erased too.
    const names = /^\{([^}]*)\}$/.exec(clause.trim())?.[1];
    if (names && names.split(',').every((n) => !n.trim() || /^type\s/.test(n.trim()))) continue;
    specifiers.push(m[3]!);
  }
  return specifiers;
}

const sources = fs.readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('the contract is safe to bundle for the browser', () => {
  it('finds what a module imports at run time, and only that', () => {
    const source = ["import type { A } from 'node-only';", "import { type B, type C } from 'also-node-only';", "import { z } from 'zod';", "export * from './flows';", "export type { D } from 'types-only';"].join('\n');
    expect(runtimeImports(source)).toEqual(['zod', './flows']);
  });

  it.each(sources)('%s imports only zod, pure workspace packages and its own modules', (file) => {
    const imports = runtimeImports(fs.readFileSync(path.join(__dirname, file), 'utf8'));
    expect(imports.filter((s) => !s.startsWith('./') && !BROWSER_SAFE.has(s))).toEqual([]);
  });

  it('depends, through the pure packages it loads, on browser-safe code only', () => {
    for (const name of ['@tandem/flow', '@tandem/contracts']) {
      const manifest = JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { dependencies?: Record<string, string> };
      expect({ name, unsafe: Object.keys(manifest.dependencies ?? {}).filter((d) => !BROWSER_SAFE.has(d)) }).toEqual({ name, unsafe: [] });
    }
  });
});
