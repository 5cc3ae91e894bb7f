/**
 * Reading a node type's config JSON Schema (from the catalog) for the inspector's generated form:
 * which widget a field gets, its label and help, and immutable get / set of values by path. Pure, so
 * the form component stays a thin renderer.
 */
import { getNodeDefinition, type NodeContext, createStaticResolver, TEXT_KIND_KEYWORD } from '@tandem/flow';

/** The JSON Schema keywords the catalog's config schemas use. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  [keyword: string]: unknown;
}

export type Path = (string | number)[];

/** What kind of text a string field holds. */
export type TextKind = 'expression' | 'template' | 'text';

/** The widget a schema gets in the form. */
export type FieldWidget =
  | { kind: 'group' }
  | { kind: 'map' }
  | { kind: 'list' }
  | { kind: 'multi-choice'; options: string[] }
  | { kind: 'variant'; discriminator: string; options: { value: string; schema: JsonSchema }[] }
  | { kind: 'choice'; options: string[] }
  | { kind: 'fixed'; value: unknown }
  | { kind: 'text'; text: TextKind }
  | { kind: 'number'; integer: boolean }
  | { kind: 'toggle' }
  | { kind: 'json' };

const typeOf = (schema: JsonSchema): string | undefined => (Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type);

/** The discriminator of a `oneOf` whose variants each fix one property with `const` (wait `mode`, calendar `kind`). */
function discriminatorOf(variants: JsonSchema[]): string | undefined {
  const first = variants[0]?.properties;
  if (!first) return undefined;
  return Object.keys(first).find((key) => variants.every((v) => v.properties?.[key]?.const !== undefined));
}

/** The widget for a schema; `text` is the kind of a string field (see {@link textKindOf}). */
export function widgetFor(schema: JsonSchema, text: TextKind = 'text'): FieldWidget {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants?.length) {
    const discriminator = discriminatorOf(variants);
    if (discriminator) {
      return { kind: 'variant', discriminator, options: variants.map((v) => ({ value: String(v.properties?.[discriminator]?.const), schema: v })) };
    }
    return { kind: 'json' };
  }
  if (schema.const !== undefined) return { kind: 'fixed', value: schema.const };
  if (schema.enum) return { kind: 'choice', options: schema.enum.map(String) };
  switch (typeOf(schema)) {
    case 'object':
      if (schema.properties) return { kind: 'group' };
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') return { kind: 'map' };
      return { kind: 'json' };
    case 'array':
      if (schema.items?.enum) return { kind: 'multi-choice', options: schema.items.enum.map(String) };
      return { kind: 'list' };
    case 'string':
      return { kind: 'text', text };
    case 'integer':
      return { kind: 'number', integer: true };
    case 'number':
      return { kind: 'number', integer: false };
    case 'boolean':
      return { kind: 'toggle' };
    default:
      return { kind: 'json' };
  }
}

/** The variant of a `oneOf` the value is (by its discriminator), or the first. */
export function variantOf(widget: Extract<FieldWidget, { kind: 'variant' }>, value: unknown): { value: string; schema: JsonSchema } | undefined {
  const current = value && typeof value === 'object' ? (value as Record<string, unknown>)[widget.discriminator] : undefined;
  return widget.options.find((o) => o.value === current) ?? widget.options[0];
}

/**
 * Whether a string field is a CEL expression, a `{{ }}` template or plain text. The node definition
 * knows exactly (its expression sites for the current config); when the config does not parse yet,
 * the schema's description says so ("Value (CEL)", "(template)").
 */
export function textKindOf(schema: JsonSchema, path: Path, sites: ReadonlyMap<string, TextKind>): TextKind {
  // Marked by the schema: the same editor whether the field is empty or not, so the first letter typed
  // never swaps the field under the cursor (which dropped focus and sent the next keys to the canvas).
  const marked = schema[TEXT_KIND_KEYWORD];
  if (marked === 'template' || marked === 'expression') return marked;
  const exact = sites.get(path.join('.'));
  if (exact) return exact;
  const d = schema.description ?? '';
  if (/template|\{\{/i.test(d)) return 'template';
  if (/\bCEL\b/.test(d)) return 'expression';
  return 'text';
}

/** The expression sites of a node's config, by dotted path, when the config parses. */
export function expressionSites(nodeType: string, typeVersion: number, config: Record<string, unknown>): Map<string, TextKind> {
  const definition = getNodeDefinition(nodeType, typeVersion);
  const sites = new Map<string, TextKind>();
  if (!definition?.expressions) return sites;
  const parsed = definition.configSchema.safeParse(config);
  if (!parsed.success) return sites;
  const context: NodeContext = { variables: new Map(), resolver: createStaticResolver(), nodeName: nodeType, flowId: 'flow' };
  try {
    for (const site of definition.expressions(parsed.data, context)) sites.set(site.path.join('.'), site.kind);
  } catch {
    // A definition that cannot list its sites for this config: the descriptions decide.
  }
  return sites;
}

/** Field names whose plain-words form would read oddly. */
const LABELS: Record<string, string> = {
  sla: 'Service level (SLA)',
  aiAssist: 'AI assist',
  flowId: 'Flow to call',
  onMaxVisits: 'Exit when max visits is reached',
  escalateOn: 'Escalate on',
  csat: 'CSAT',
  nps: 'NPS',
};

/** "targetSeconds" → "Target seconds", "maxVisits" → "Max visits". */
export function humanize(name: string): string {
  const known = LABELS[name];
  if (known) return known;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The value at a path, or undefined. */
export function getAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/**
 * A copy of `root` with `value` at `path`; `undefined` removes the key (an optional field emptied),
 * so the saved config carries no empty strings the schema would reject.
 */
export function setAt<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [key, ...rest] = path as [string | number, ...Path];
  const isIndex = typeof key === 'number';
  const container: Record<string | number, unknown> | unknown[] = Array.isArray(root) ? [...(root as unknown[])] : root && typeof root === 'object' ? { ...(root as Record<string, unknown>) } : isIndex ? [] : {};
  const next = setAt((container as Record<string | number, unknown>)[key], rest, value);
  if (next === undefined && !Array.isArray(container)) delete (container as Record<string, unknown>)[key];
  else (container as Record<string | number, unknown>)[key] = next;
  return container as T;
}

/** A new item for a list field: the defaults of its item schema, required strings empty. */
export function newItem(schema: JsonSchema | undefined): unknown {
  if (!schema) return '';
  if (schema.default !== undefined) return structuredClone(schema.default);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants?.[0]) return newItem(variants[0]);
  switch (typeOf(schema)) {
    case 'object': {
      const item: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (property.const !== undefined) item[key] = property.const;
        else if (schema.required?.includes(key)) item[key] = newItem(property);
      }
      return item;
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    default:
      return schema.enum?.[0] ?? '';
  }
}

/**
 * A new item for a list whose items have an id (a decision's rules, a parallel's branches, slots): the
 * next free id and a matching label, e.g. `rule2` / "Rule 2" — ids become exits, so each must be new.
 */
export function newListItem(listName: string, schema: JsonSchema | undefined, items: readonly unknown[]): unknown {
  const item = newItem(schema);
  const properties = schema?.properties ?? {};
  if (!item || typeof item !== 'object' || Array.isArray(item) || !properties.id) return item;
  const stem = singular(listName) || 'item';
  const taken = new Set(items.map((i) => (i && typeof i === 'object' ? (i as { id?: unknown }).id : undefined)));
  let n = items.length + 1;
  while (taken.has(`${stem}${n}`)) n++;
  const named: Record<string, unknown> = { ...(item as Record<string, unknown>), id: `${stem}${n}` };
  if (properties.label) named.label = `${humanize(stem)} ${n}`;
  return named;
}

/** "rules" → "rule", "branches" → "branch", "entries" → "entry". */
function singular(word: string): string {
  if (/(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  return word.replace(/s$/, '');
}

/** The value a new node of this type starts with: required fields that have an obvious start. */
export function initialConfig(nodeType: string, schema: JsonSchema): Record<string, unknown> {
  const starters: Record<string, Record<string, unknown>> = {
    // Incomplete, not `true` (which would make Otherwise unreachable): the step asks for its condition.
    decision: { rules: [{ id: 'rule1', label: 'Rule 1', condition: '' }] },
    set: { assignments: [] },
    parallel: { branches: [{ id: 'branch1', label: 'Branch 1' }, { id: 'branch2', label: 'Branch 2' }] },
    end: { outcome: 'resolved_by_bot' },
    message: { text: '' },
    wait: { mode: 'reply' },
    ticket: { subject: 'Follow up with {{customer.name}}' },
  };
  const base = starters[nodeType];
  if (base) return structuredClone(base);
  const item = newItem({ ...schema, default: undefined });
  return item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
}
