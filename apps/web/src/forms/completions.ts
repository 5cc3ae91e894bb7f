/**
 * What the expression editor offers as you type: the environment's variables (`contact`, `customer`,
 * `nlu`, `bot`, `queue`, `hours`), the flow's own variables under `ctx`, their fields after a dot, and
 * CEL's functions and literals. Pure, from the catalog's expression environment.
 */
import type { FlowVariable } from '@tandem/flow';
import type { ExpressionEnvironmentView } from '@tandem/api-contract';

export interface CompletionOption {
  label: string;
  kind: 'variable' | 'property' | 'function' | 'keyword';
  type?: string;
  description?: string;
  /** Text inserted instead of the label (e.g. `ewt("")` for a function). */
  apply?: string;
}

const CEL_FUNCTIONS: CompletionOption[] = [
  { label: 'size', kind: 'function', type: 'int', description: 'Length of a string or list: size(nlu.topics) > 0', apply: 'size(' },
  { label: 'has', kind: 'function', type: 'bool', description: 'Whether a field is set: has(customer.attributes.plan)', apply: 'has(' },
  { label: 'int', kind: 'function', type: 'int', description: 'Converts to a whole number', apply: 'int(' },
  { label: 'double', kind: 'function', type: 'double', description: 'Converts to a decimal number', apply: 'double(' },
  { label: 'string', kind: 'function', type: 'string', description: 'Converts to text', apply: 'string(' },
];

const KEYWORDS: CompletionOption[] = ['true', 'false', 'null', 'in'].map((k) => ({ label: k, kind: 'keyword' as const }));

/** Methods offered after a dot on a string value. */
const STRING_METHODS: CompletionOption[] = [
  { label: 'contains', kind: 'function', type: 'bool', apply: 'contains("")' },
  { label: 'startsWith', kind: 'function', type: 'bool', apply: 'startsWith("")' },
  { label: 'endsWith', kind: 'function', type: 'bool', apply: 'endsWith("")' },
  { label: 'matches', kind: 'function', type: 'bool', description: 'Regular expression', apply: 'matches("")' },
  { label: 'lowerAscii', kind: 'function', type: 'string', apply: 'lowerAscii()' },
];

/**
 * Options for the text typed so far (a dotted name, possibly ending with a dot).
 *
 * @example
 * ```ts
 * completionsFor('nlu.se', env, []);  // → [{ label: 'sentiment', type: 'double', … }]
 * completionsFor('ctx.', env, vars);  // → the flow's variables
 * ```
 */
export function completionsFor(text: string, environment: ExpressionEnvironmentView | null, variables: readonly FlowVariable[]): CompletionOption[] {
  const parts = text.split('.');
  const prefix = (parts[parts.length - 1] ?? '').toLowerCase();
  const matches = (o: CompletionOption) => o.label.toLowerCase().startsWith(prefix);
  if (parts.length === 1) {
    const roots: CompletionOption[] = [
      ...(environment?.variables ?? []).map((v) => ({ label: v.name, kind: 'variable' as const, description: v.description })),
      { label: 'ctx', kind: 'variable', description: environment?.flowVariables.description ?? "The flow's variables" },
      ...CEL_FUNCTIONS,
      ...KEYWORDS,
    ];
    return roots.filter(matches);
  }
  if (parts.length === 2) {
    const root = parts[0];
    if (root === 'ctx') return variables.map((v) => ({ label: v.name, kind: 'property' as const, type: v.type, ...(v.description ? { description: v.description } : {}) })).filter(matches);
    const variable = environment?.variables.find((v) => v.name === root);
    if (variable) {
      return variable.fields
        .map((f): CompletionOption => {
          const call = /^(\w+)\((\w+)\)$/.exec(f.name);
          return call ? { label: call[1] as string, kind: 'function', type: f.type, description: f.description, apply: `${call[1]}("")` } : { label: f.name, kind: 'property', type: f.type, description: f.description };
        })
        .filter(matches);
    }
  }
  // A string field followed by a dot: its methods.
  const root = parts[0];
  const field = parts[1];
  const type = root === 'ctx' ? variables.find((v) => v.name === field)?.type : environment?.variables.find((v) => v.name === root)?.fields.find((f) => f.name === field)?.type;
  if (parts.length === 3 && type === 'string') return STRING_METHODS.filter(matches);
  return [];
}
