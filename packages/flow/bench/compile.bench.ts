/**
 * Compile-time benchmark: generated flows of 100, 1,000 and 5,000 nodes, median of several runs, cold
 * (expression cache cleared before every run, as for a flow never seen) and warm (the designer
 * recompiling after an edit). Prints numbers; it is not a test. Goal: < 50 ms for 1,000 nodes.
 *
 *   npm run bench -w @tandem/flow
 */
import os from 'node:os';
import { clearExpressionCache, compileFlow, createStaticResolver } from '../src';
import { generatedFlowResolverData, generateFlow } from '../test/fixtures/generate-flow';

const resolver = createStaticResolver(generatedFlowResolverData);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function time(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const sizes = [100, 1_000, 5_000];
const runs: Record<number, number> = { 100: 41, 1_000: 21, 5_000: 9 };

console.log(`@tandem/flow compile benchmark — node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

// Baseline measured in the same run: JSON.stringify + JSON.parse of the same document, the least any
// compiler must do to read it. The ratio shows what validation costs on this machine, today.
console.log('nodes  edges  exprs   cold median   warm median   JSON round-trip   cold/JSON   plan hash');
for (const size of sizes) {
  const document = generateFlow(size, 2026);
  const nodes = document.nodes.length;
  const edges = document.edges?.length ?? 0;
  const check = compileFlow(document, resolver);
  if (!check.ok) throw new Error(`generated flow of ${size} nodes does not compile: ${JSON.stringify(check.diagnostics.slice(0, 3))}`);
  const expressions = Object.values(check.plan.nodes).reduce((n, node) => n + Object.keys(node.expressions).length, 0);

  for (let i = 0; i < 3; i++) compileFlow(document, resolver); // JIT warm-up
  const cold: number[] = [];
  const warm: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs[size]!; i++) {
    clearExpressionCache();
    cold.push(time(() => compileFlow(document, resolver)));
    warm.push(time(() => compileFlow(document, resolver)));
    baseline.push(time(() => JSON.parse(JSON.stringify(document))));
  }
  const [c, w, b] = [median(cold), median(warm), median(baseline)];
  console.log(
    `${String(nodes).padStart(5)}  ${String(edges).padStart(5)}  ${String(expressions).padStart(5)}  ${c.toFixed(2).padStart(9)} ms  ${w.toFixed(2).padStart(9)} ms  ${b.toFixed(2).padStart(12)} ms  ${(c / b).toFixed(1).padStart(9)}x   ${check.plan.hash.slice(0, 12)}`,
  );
}
