/**
 * Run-time evaluation of the expressions of a plan. Parses each source once and caches it; evaluation
 * is then sub-microsecond. Sandbox-safe: no I/O, no clock, no randomness — live data (queue wait
 * estimates, business hours) comes in the activation, fetched beforehand by an activity.
 */
import { type Environment, type ParseResult } from '@marcbachmann/cel-js';
import { type VariableType } from '../document';
import { activationSchemas, BusinessHours, celTypeOf, environmentFor, QueueStats } from './environment';
import { formatTemplateValue, parseTemplate, type TemplatePart } from './template';

/** A JSON value: what evaluation returns (CEL ints become numbers, maps become objects). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * What expressions see. Every part is optional: absent fields take their zero value ("" / 0 / false /
 * [] / {}), so a template `{{customer.name}}` renders empty rather than failing.
 */
export interface Activation {
  contact?: { id?: string; channel?: string; attributes?: Record<string, unknown> };
  customer?: Record<string, unknown>;
  /** The flow's variables (JSON values; ints as numbers). */
  ctx?: Record<string, unknown>;
  nlu?: Record<string, unknown>;
  bot?: Record<string, unknown>;
  /** Live data for the names the plan lists in each expression's `refs`. */
  live?: { queues?: Record<string, number>; calendars?: Record<string, boolean> };
}

const PREPARED = Symbol('tandem.flow.preparedActivation');

/** An activation converted once for CEL; reuse it for several evaluations on the same state. */
export interface PreparedActivation {
  readonly [PREPARED]: Record<string, unknown>;
}

/** An expression failed at run time (division by zero, missing live data, wrong type…). */
export class ExpressionEvaluationError extends Error {
  override readonly name = 'ExpressionEvaluationError';
  constructor(
    message: string,
    readonly source: string,
    readonly range?: { start: number; end: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface EvaluatorOptions {
  /** The flow's declared variables (a plan's `variables` fits). */
  variables?: readonly { name: string; type: VariableType }[];
}

/** Evaluates plan expressions for one flow (one set of declared variables). */
export interface Evaluator {
  /** Converts an activation once, for several evaluations on the same state. */
  prepare(activation: Activation): PreparedActivation;
  /** Evaluates a CEL expression; returns JSON (CEL ints as numbers). */
  evaluate(source: string, activation: Activation | PreparedActivation): JsonValue;
  /** Evaluates a condition; throws when the result is not true/false. */
  evaluateCondition(source: string, activation: Activation | PreparedActivation): boolean;
  /** Renders a `{{ }}` template. */
  renderTemplate(template: string, activation: Activation | PreparedActivation): string;
}

function coerce(value: unknown, type: string): unknown {
  if (value === undefined || value === null) return zeroValue(type);
  switch (type) {
    case 'int':
      return typeof value === 'number' && Number.isFinite(value) ? BigInt(Math.trunc(value)) : value;
    case 'double':
      return typeof value === 'bigint' ? Number(value) : value;
    case 'list<int>':
      return Array.isArray(value) ? value.map((v) => coerce(v, 'int')) : value;
    case 'list<double>':
      return Array.isArray(value) ? value.map((v) => coerce(v, 'double')) : value;
    default:
      return value;
  }
}

function zeroValue(type: string): unknown {
  switch (type) {
    case 'int':
      return 0n;
    case 'double':
      return 0;
    case 'bool':
      return false;
    case 'string':
      return '';
    default:
      return type.startsWith('list') ? [] : {};
  }
}

function normalize(value: Record<string, unknown> | undefined, schema: Record<string, string>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [field, type] of Object.entries(schema)) result[field] = coerce(value?.[field], type);
  return result;
}

/** Converts a CEL result to JSON. */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'bigint':
      return Number(value);
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'object': {
      if (Array.isArray(value)) return value.map(toJsonValue);
      if (value instanceof Date) return value.toISOString();
      if (value instanceof Map) return Object.fromEntries([...(value as Map<unknown, unknown>)].map(([k, v]) => [String(k), toJsonValue(v)]));
      if (value instanceof Uint8Array) return Array.from(value);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
    }
    default:
      // Functions and symbols have no JSON form (JSON.stringify drops them too).
      return null;
  }
}

function describeError(error: unknown): { message: string; range?: { start: number; end: number } } {
  if (error instanceof Error) {
    const range = (error as { range?: { start: number; end: number } }).range;
    const summary = (error as { summary?: string }).summary;
    return { message: summary ?? error.message.split('\n')[0] ?? error.message, ...(range ? { range } : {}) };
  }
  return { message: String(error) };
}

/**
 * Creates an evaluator for a flow.
 *
 * @example
 * ```ts
 * const evaluator = createEvaluator(plan);
 * const state = evaluator.prepare({ customer, nlu, ctx, live: { queues: { billing: 420 } } });
 * if (evaluator.evaluateCondition('queue.ewt("billing") > 300', state)) { … }
 * evaluator.renderTemplate('Thanks {{customer.name}}', state);
 * ```
 */
export function createEvaluator(options: EvaluatorOptions = {}): Evaluator {
  const variables = options.variables ?? [];
  const env: Environment = environmentFor(variables);
  const ctxSchema = Object.fromEntries(variables.map((v) => [v.name, celTypeOf(v.type)]));
  const parsed = new Map<string, ParseResult>();
  const templates = new Map<string, TemplatePart[]>();

  const compiled = (source: string): ParseResult => {
    let fn = parsed.get(source);
    if (!fn) {
      try {
        fn = env.parse(source);
      } catch (error) {
        const { message, range } = describeError(error);
        throw new ExpressionEvaluationError(`Cannot parse "${source}": ${message}`, source, range, { cause: error });
      }
      if (parsed.size >= 10_000) parsed.clear();
      parsed.set(source, fn);
    }
    return fn;
  };

  const prepare = (activation: Activation): PreparedActivation => ({
    [PREPARED]: {
      contact: normalize(activation.contact, activationSchemas.contact),
      customer: normalize(activation.customer, activationSchemas.customer),
      nlu: normalize(activation.nlu, activationSchemas.nlu),
      bot: normalize(activation.bot, activationSchemas.bot),
      ctx: normalize(activation.ctx, ctxSchema),
      queue: new QueueStats(activation.live?.queues ?? {}),
      hours: new BusinessHours(activation.live?.calendars ?? {}),
    },
  });

  const contextOf = (activation: Activation | PreparedActivation): Record<string, unknown> =>
    PREPARED in activation ? activation[PREPARED] : prepare(activation)[PREPARED];

  const run = (source: string, context: Record<string, unknown>): unknown => {
    const fn = compiled(source);
    try {
      return fn(context) as unknown;
    } catch (error) {
      const { message, range } = describeError(error);
      throw new ExpressionEvaluationError(`"${source}" failed: ${message}`, source, range, { cause: error });
    }
  };

  return {
    prepare,
    evaluate: (source, activation) => toJsonValue(run(source, contextOf(activation))),
    evaluateCondition: (source, activation) => {
      const result = run(source, contextOf(activation));
      if (typeof result !== 'boolean') {
        throw new ExpressionEvaluationError(`"${source}" must be true or false but gave ${formatTemplateValue(result) || 'nothing'}`, source);
      }
      return result;
    },
    renderTemplate: (template, activation) => {
      let parts = templates.get(template);
      if (!parts) {
        const result = parseTemplate(template);
        if ('error' in result) {
          throw new ExpressionEvaluationError(`The template ${result.error.message}`, template, { start: result.error.start, end: result.error.end });
        }
        parts = result.parts;
        if (templates.size >= 10_000) templates.clear();
        templates.set(template, parts);
      }
      const context = contextOf(activation);
      return parts.map((part) => (part.kind === 'text' ? part.text : formatTemplateValue(run(part.source, context)))).join('');
    },
  };
}

const shared = new Map<string, Evaluator>();

/**
 * One-off evaluation. Prefer `createEvaluator` and `prepare` in loops; this keeps one evaluator per
 * set of variables, so repeated calls still parse each source once.
 */
export function evaluate(source: string, activation: Activation = {}, options: EvaluatorOptions = {}): JsonValue {
  const key = (options.variables ?? []).map((v) => `${v.name}:${v.type}`).join(',');
  let evaluator = shared.get(key);
  if (!evaluator) {
    evaluator = createEvaluator(options);
    if (shared.size >= 100) shared.clear();
    shared.set(key, evaluator);
  }
  return evaluator.evaluate(source, activation);
}
