import fc from 'fast-check';
import { canonicalJson, compileFlow, createStaticResolver, type FlowDocumentInput, planSchema, verifyPlanHash } from '../src';
import { generatedFlowResolverData, generateFlow, prng, shuffle } from './fixtures/generate-flow';
import { clone } from './helpers';

const resolver = createStaticResolver(generatedFlowResolverData);

function permuted(document: FlowDocumentInput, seed: number): FlowDocumentInput {
  const random = prng(seed);
  return { ...document, nodes: shuffle(document.nodes, random), edges: shuffle(document.edges ?? [], random) };
}

/** Breaks a valid document in random ways: drops or re-targets edges, renames ports, removes nodes, corrupts configs. */
function mutated(document: FlowDocumentInput, seed: number): FlowDocumentInput {
  const random = prng(seed);
  const doc = clone(document);
  const edges = doc.edges ?? [];
  const mutations = 1 + Math.floor(random() * 4);
  for (let i = 0; i < mutations; i++) {
    const edge = edges[Math.floor(random() * edges.length)];
    const node = doc.nodes[Math.floor(random() * doc.nodes.length)];
    switch (Math.floor(random() * 6)) {
      case 0:
        if (edge) edges.splice(edges.indexOf(edge), 1);
        break;
      case 1:
        if (edge && node) edge.target = node.id;
        break;
      case 2:
        if (edge) edge.sourcePort = 'nowhere';
        break;
      case 3:
        if (node) doc.nodes.splice(doc.nodes.indexOf(node), 1);
        break;
      case 4:
        if (node) node.config = { text: 42, rules: 'x', assignments: [{ variable: 'nope', value: '1 +' }] };
        break;
      case 5:
        if (node) node.type = 'teleport';
        break;
    }
  }
  return doc;
}

// Flows up to 50 nodes cover every construct of the generator (nested decisions, parallels, loops);
// bigger ones only cost time (the benchmark compiles 5,000-node flows).
const seedAndSize = fc.record({ seed: fc.nat(), size: fc.integer({ min: 2, max: 50 }) });

// Generous: the suite shares two cores with other work.
jest.setTimeout(180_000);

describe('compileFlow properties', () => {
  it('never throws on arbitrary input, and returns a plan or error diagnostics', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = compileFlow(input, resolver);
        expect(result.ok || result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random broken flows; a plan only comes without errors', () => {
    fc.assert(
      fc.property(seedAndSize, fc.nat(), ({ seed, size }, mutationSeed) => {
        const result = compileFlow(mutated(generateFlow(size, seed), mutationSeed), resolver);
        if (result.ok) {
          expect(result.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
          expect(planSchema.parse(result.plan)).toEqual(result.plan);
        } else {
          expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          expect(result.diagnostics.every((d) => d.code.startsWith('FLOW_') && d.message.length > 0)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('compiles generated valid flows into plans that round-trip through JSON unchanged', () => {
    fc.assert(
      fc.property(seedAndSize, ({ seed, size }) => {
        const result = compileFlow(generateFlow(size, seed), resolver);
        expect(result.diagnostics).toEqual([]);
        if (!result.ok) return;
        const roundTripped: unknown = JSON.parse(JSON.stringify(result.plan));
        expect(roundTripped).toEqual(result.plan);
        expect(canonicalJson(roundTripped)).toBe(canonicalJson(result.plan));
        expect(planSchema.parse(roundTripped)).toEqual(result.plan);
        expect(verifyPlanHash(result.plan)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same plan and hash whatever the order of nodes and edges', () => {
    fc.assert(
      fc.property(seedAndSize, fc.nat(), ({ seed, size }, order) => {
        const document = generateFlow(size, seed);
        const a = compileFlow(document, resolver);
        const b = compileFlow(permuted(document, order), resolver);
        expect(a.ok && b.ok).toBe(true);
        if (!a.ok || !b.ok) return;
        expect(b.plan.hash).toBe(a.plan.hash);
        expect(canonicalJson(b.plan)).toBe(canonicalJson(a.plan));
      }),
      { numRuns: 150 },
    );
  });

  it('reports the same diagnostics whatever the order: nested parallels met in edge order (found by the property below)', () => {
    // Parallels nested in each other's branches: the analysis resolves an inner parallel as the walk
    // meets it, and walked in edge order, so one order of this document also reported 'parallel 5'
    // meeting at two joins and the other did not.
    const broken = mutated(generateFlow(45, 2147483618), 1349026354);
    const diagnostics = compileFlow(broken, resolver).diagnostics;
    expect(diagnostics.filter((d) => d.code.startsWith('FLOW_PARALLEL_')).length).toBeGreaterThan(0);
    expect(compileFlow(permuted(broken, 0), resolver).diagnostics).toEqual(diagnostics);
  });

  it('reports the same diagnostics whatever the order of nodes and edges', () => {
    fc.assert(
      fc.property(seedAndSize, fc.nat(), fc.nat(), ({ seed, size }, mutationSeed, order) => {
        const broken = mutated(generateFlow(size, seed), mutationSeed);
        expect(compileFlow(permuted(broken, order), resolver).diagnostics).toEqual(compileFlow(broken, resolver).diagnostics);
      }),
      { numRuns: 150 },
    );
  });

  it('changes the hash when the behaviour changes, not when only the layout does', () => {
    const document = generateFlow(30, 7);
    const base = compileFlow(document, resolver);
    const moved = clone(document);
    for (const node of moved.nodes) node.position = { x: 1, y: 2 };
    moved.edges = moved.edges!.map((e, i) => ({ ...e, id: `renamed-${i}` }));
    const edited = clone(document);
    const msg = edited.nodes.find((n) => n.type === 'message')!;
    msg.config = { text: 'Something else' };
    const [a, b, c] = [base, compileFlow(moved, resolver), compileFlow(edited, resolver)];
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (a.ok && b.ok && c.ok) {
      expect(b.plan.hash).toBe(a.plan.hash);
      expect(c.plan.hash).not.toBe(a.plan.hash);
    }
  });
});
