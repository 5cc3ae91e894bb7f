/**
 * The compiler: flow document + resolver → plan, or diagnostics. Pure and synchronous; it never throws
 * (an unexpected failure becomes FLOW_INTERNAL_ERROR) and its output does not depend on the order of
 * nodes and edges in the document.
 *
 * This file is the entry and the order of the passes; each pass is a module of its own and adds its
 * diagnostics to one shared `Compilation`.
 */
import { type z } from 'zod';
import { diagnostic, type Diagnostic, sortDiagnostics } from '../diagnostics';
import { type FlowDocument, flowDocumentSchema } from '../document';
import { type Plan } from '../plan';
import { type FlowResolver } from '../resolver';
import { buildPlan } from './assemble-plan';
import { Compilation, describePath, zodIssues } from './compilation';
import { checkEdges, checkPorts } from './connections';
import { checkGuarantees } from './guarantees';
import { checkCycles } from './loops';
import { checkNodes } from './node-checks';
import { checkParallels } from './parallels';
import { checkReachability, checkStart } from './reachability';
import { checkTests } from './tests';
import { checkVariables } from './variables';

export { jsonPointer } from './compilation';

/** What `compileFlow` returns: a plan (with warnings, if any) or the diagnostics that prevent one. */
export type CompileResult = { ok: true; plan: Plan; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** Runs the passes in order: later passes build on what the earlier ones accepted. */
function compileDocument(document: FlowDocument, resolver: FlowResolver): CompileResult {
  const compilation = new Compilation(document, resolver);
  const planVariables = checkVariables(compilation);
  checkNodes(compilation);
  checkEdges(compilation);
  const start = checkStart(compilation);
  checkPorts(compilation);
  const guarantees = checkGuarantees(compilation);
  const reachable = start ? checkReachability(compilation, start, guarantees) : new Set<string>();
  const loops = checkCycles(compilation, reachable);
  const parallels = checkParallels(compilation);
  checkTests(compilation);

  const diagnostics = sortDiagnostics(compilation.diagnostics);
  if (!start || diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  return { ok: true, plan: buildPlan(compilation, start, reachable, planVariables, parallels, loops, guarantees), diagnostics };
}

/**
 * Compiles a flow document into an executable plan.
 *
 * @param document - the document as saved (unknown input is validated; defaults are applied)
 * @param resolver - knows the queues, activities, subflows and calendars the flow may reference
 * @returns `{ ok: true, plan, diagnostics }` (diagnostics are warnings only) or `{ ok: false, diagnostics }`
 *
 * @example
 * ```ts
 * const result = compileFlow(document, createStaticResolver({ queues: ['billing'] }));
 * if (!result.ok) return showOnCanvas(result.diagnostics);
 * await publish(result.plan); // result.plan.hash identifies the version
 * ```
 */
export function compileFlow(document: unknown, resolver: FlowResolver): CompileResult {
  try {
    const parsed = flowDocumentSchema.safeParse(document);
    if (!parsed.success) return { ok: false, diagnostics: sortDiagnostics(documentDiagnostics(document, parsed.error)) };
    return compileDocument(parsed.data, resolver);
  } catch (error) {
    return {
      ok: false,
      diagnostics: [
        diagnostic('FLOW_INTERNAL_ERROR', `The flow could not be compiled because of an internal error: ${error instanceof Error ? error.message : String(error)}`),
      ],
    };
  }
}

/** Document-shape problems, pinned on the node or edge they are in when there is one. */
function documentDiagnostics(document: unknown, error: z.ZodError): Diagnostic[] {
  const record = typeof document === 'object' && document !== null ? (document as Record<string, unknown>) : {};
  return zodIssues(error).map((issue) => {
    const [collection, index, ...rest] = issue.path;
    const list = collection === 'nodes' || collection === 'edges' ? record[collection] : undefined;
    const item = Array.isArray(list) && typeof index === 'number' ? (list[index] as Record<string, unknown> | undefined) : undefined;
    const id = item && typeof item.id === 'string' ? item.id : undefined;
    const where = id === undefined ? {} : collection === 'nodes' ? { nodeId: id } : { edgeId: id };
    const label = id === undefined ? describePath(issue.path) : `${collection === 'nodes' ? 'node' : 'connection'} "${id}", ${describePath(rest)}`;
    return diagnostic('FLOW_DOCUMENT_INVALID', `The flow is malformed at ${label}: ${issue.message}`, { ...where, path: issue.path });
  });
}
