/**
 * docs/runtime.md's "Node by node" table, generated from the executors' `doc` (src/nodes): run
 * `npm run docs -w @tandem/worker` after changing an executor; test/docs.test.ts fails while the file
 * is out of date.
 */
import fs from 'node:fs';
import path from 'node:path';
import { executors } from '../src/nodes/executors';

export const RUNTIME_DOCS = path.resolve(__dirname, '../../../docs/runtime.md');
const START = '<!-- generated: node executors (npm run docs -w @tandem/worker) -->';
const END = '<!-- end of generated node table -->';

/** The table: one row per node type@version, in the manifest's order. */
export function nodeTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = executors.all().map((e) => `| \`${e.type}\` v${e.version} | [\`src/nodes/${e.type}\`](../apps/worker/src/nodes/${e.type}) | ${cell(e.doc)} |`);
  return ['| node | executor | at run time |', '|---|---|---|', ...rows].join('\n');
}

/** docs/runtime.md with the generated table in place. */
export function runtimeDocs(current = fs.readFileSync(RUNTIME_DOCS, 'utf8')): string {
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${RUNTIME_DOCS} lacks the markers ${START} … ${END}`);
  return `${current.slice(0, start + START.length)}\n${nodeTable()}\n${current.slice(end)}`;
}

if (require.main === module) {
  fs.writeFileSync(RUNTIME_DOCS, runtimeDocs());
  process.stdout.write(`wrote ${path.relative(process.cwd(), RUNTIME_DOCS)}\n`);
}
