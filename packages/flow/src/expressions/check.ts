/**
 * Compile-time checking of one CEL expression or template: syntax, types, the expected result type,
 * and the live data it references. Results are cached per environment and source, because the
 * designer recompiles the same flow on every edit.
 */
import { type Environment } from '@marcbachmann/cel-js';
import { describeType, type ExpectedType, isAssignable } from './types';
import { parseTemplate } from './template';

export interface ExpressionProblem {
  code: 'FLOW_EXPR_SYNTAX' | 'FLOW_EXPR_TYPE' | 'FLOW_EXPR_RESULT_TYPE' | 'FLOW_EXPR_LIVE_DATA_ARG' | 'FLOW_EXPR_UNSUPPORTED' | 'FLOW_TEMPLATE_SYNTAX' | 'FLOW_EXPR_MAY_FAIL';
  message: string;
  /** Offsets in the source (the template for templates). */
  range: { start: number; end: number };
}

export interface ExpressionCheck {
  /** Inferred CEL type (`string` for templates); undefined when the expression is invalid. */
  type?: string;
  problems: ExpressionProblem[];
  refs: { queues: string[]; calendars: string[] };
}

/** Methods the workflow sandbox cannot run (`btoa` is missing there). */
const UNSUPPORTED_METHODS = new Set(['base64', 'json']);

const LIVE_FUNCTIONS: Record<string, { receiver: string; method: string; what: string; ref: 'queues' | 'calendars' }> = {
  'queue.ewt': { receiver: 'queue', method: 'ewt', what: 'queue name', ref: 'queues' },
  'hours.open': { receiver: 'hours', method: 'open', what: 'calendar name', ref: 'calendars' },
};

interface AstLike {
  op: string;
  args: unknown;
  range?: { start: number; end: number };
  start?: number;
  end?: number;
}

function isAst(value: unknown): value is AstLike {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
}

function rangeOf(node: AstLike, offset: number): { start: number; end: number } {
  const start = node.range?.start ?? node.start ?? 0;
  const end = node.range?.end ?? node.end ?? start;
  return { start: start + offset, end: end + offset };
}

/** Calls `visit` on every node of the AST, depth first. */
function walk(root: unknown, visit: (node: AstLike) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    if (!isAst(value)) continue;
    visit(value);
    stack.push(value.args);
  }
}

/** Walks the AST: collects live-data names and rejects what cannot run in the workflow. */
function inspect(root: unknown, offset: number, refs: ExpressionCheck['refs'], problems: ExpressionProblem[]): void {
  walk(root, (value) => {
    if (value.op === 'rcall' && Array.isArray(value.args)) {
      const [method, receiver, callArgs] = value.args as [string, unknown, unknown[]];
      if (UNSUPPORTED_METHODS.has(method)) {
        problems.push({ code: 'FLOW_EXPR_UNSUPPORTED', message: `.${method}() is not available in flows`, range: rangeOf(value, offset) });
      }
      if (isAst(receiver) && receiver.op === 'id' && typeof receiver.args === 'string') {
        const live = LIVE_FUNCTIONS[`${receiver.args}.${method}`];
        if (live) {
          const arg = callArgs[0];
          if (isAst(arg) && arg.op === 'value' && typeof arg.args === 'string') {
            refs[live.ref].push(arg.args);
          } else {
            problems.push({
              code: 'FLOW_EXPR_LIVE_DATA_ARG',
              message: `${live.receiver}.${live.method}() needs the ${live.what} written in quotes, e.g. ${live.receiver}.${live.method}("billing"), so the data can be fetched before the flow decides`,
              range: rangeOf(isAst(arg) ? arg : value, offset),
            });
          }
        }
      }
    }
  });
}

/** Conversions that fail at run time on some values of their argument, and what the argument must be. */
const CONVERSIONS: Record<string, string> = {
  int: 'a whole number written in digits',
  uint: 'a non-negative whole number written in digits',
  double: 'a number written in digits',
  timestamp: 'a date and time such as "2026-12-07T09:00:00Z"',
  duration: 'a duration such as "90s"',
};

/** A warning, not an error: the expression type-checks but can fail on some values at run time. */
const WARNINGS = new Set<ExpressionProblem['code']>(['FLOW_EXPR_MAY_FAIL']);

/** The type the checker infers for a part of the expression, or undefined when it cannot tell. */
function typeOfPart(env: Environment, source: string): string | undefined {
  try {
    const checked = env.parse(source).check();
    return checked.valid ? checked.type : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds what type-checks but can fail on some values at run time: a conversion of text or of a value of
 * unknown type (`double(ctx.amount)` when the amount is not a number), a whole-number division or
 * remainder by something that may be 0. Literals are left alone: the checker already knows them.
 */
function mayFail(root: unknown, env: Environment, source: string, offset: number, problems: ExpressionProblem[]): void {
  walk(root, (value) => {
    const part = (node: AstLike) => source.slice(node.range?.start ?? node.start ?? 0, node.range?.end ?? node.end ?? source.length);
    if (value.op === 'call' && Array.isArray(value.args)) {
      const [name, callArgs] = value.args as [string, unknown[]];
      const arg = callArgs?.[0];
      const needs = CONVERSIONS[name];
      if (needs && callArgs.length === 1 && isAst(arg) && arg.op !== 'value') {
        const type = typeOfPart(env, part(arg));
        if (type === 'string' || type === 'dyn') {
          problems.push({
            code: 'FLOW_EXPR_MAY_FAIL',
            message: `can fail at run time: ${name}(${part(arg)}) needs ${needs}, and ${part(arg)} may hold something else — then the expression fails and the step records the error (a decision takes its default path)`,
            range: rangeOf(value, offset),
          });
        }
      }
    }
    if ((value.op === '/' || value.op === '%') && Array.isArray(value.args)) {
      const divisor = (value.args as unknown[])[1];
      if (isAst(divisor) && divisor.op !== 'value') {
        const type = typeOfPart(env, part(divisor));
        if (type === 'int' || type === 'uint' || type === 'dyn') {
          problems.push({
            code: 'FLOW_EXPR_MAY_FAIL',
            message: `can fail at run time: ${part(value)} divides by ${part(divisor)}, which may be 0 — then the expression fails and the step records the error (a decision takes its default path)`,
            range: rangeOf(value, offset),
          });
        }
      }
    }
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Rephrases the CEL checker's messages for CX designers. */
function explainTypeError(message: string): string {
  const line = firstLine(message);
  let match = /^No such key: (.+)$/.exec(line);
  if (match) return `refers to "${match[1]}", which does not exist there`;
  match = /^Unknown variable: (.+)$/.exec(line);
  if (match) return `refers to "${match[1]}", which flows do not know (use contact, customer, ctx, nlu, bot, queue or hours)`;
  match = /^no such overload: (\w+) (\S+) (\w+)$/i.exec(line);
  if (match) {
    const [, left = '', op = '', right = ''] = match;
    const verb = ['<', '<=', '>', '>=', '==', '!='].includes(op) ? 'compares' : 'combines';
    return `${verb} ${kindInWords(left)} with ${kindInWords(right)} (${left} ${op} ${right}): make both the same kind — e.g. compare a number with a number (\`double(ctx.amount) > 100.0\`, \`ctx.count > 2\`), text with text in quotes`;
  }
  match = /^no such overload: (.+)$/i.exec(line);
  if (match) return `combines values that do not go together (${match[1]})`;
  return `has an error: ${line}`;
}

/** A CEL type as a CX lead says it. */
function kindInWords(type: string): string {
  const words: Record<string, string> = { string: 'text', int: 'a whole number', uint: 'a whole number', double: 'a number', bool: 'yes/no', list: 'a list', map: 'a record', null_type: 'nothing' };
  return words[type] ?? type;
}

/** The parser's message in words: what is unfinished or out of place, with the parser's own words after. */
function explainSyntaxError(message: string): string {
  const line = firstLine(message);
  if (/got EOF$|token: EOF$/.test(line)) return `is unfinished: something is missing at its end (${line})`;
  if (/^Unterminated string/.test(line)) return `has text in quotes that is never closed: add the closing " (${line})`;
  if (/^Unexpected token/.test(line)) return `has something out of place (${line})`;
  return `is not a valid expression: ${line}`;
}

function checkOne(env: Environment, source: string, offset: number, refs: ExpressionCheck['refs'], problems: ExpressionProblem[]): string | undefined {
  let parsed;
  try {
    parsed = env.parse(source);
  } catch (error) {
    const range = (error as { range?: { start: number; end: number } }).range ?? { start: 0, end: source.length };
    problems.push({
      code: 'FLOW_EXPR_SYNTAX',
      message: explainSyntaxError((error as Error).message),
      range: { start: range.start + offset, end: Math.max(range.end, range.start) + offset },
    });
    return undefined;
  }
  inspect(parsed.ast, offset, refs, problems);
  const result = parsed.check();
  if (!result.valid) {
    const error = result.error as { message: string; range?: { start: number; end: number } } | undefined;
    const range = error?.range ?? { start: 0, end: source.length };
    problems.push({
      code: 'FLOW_EXPR_TYPE',
      message: explainTypeError(error?.message ?? 'does not type-check'),
      range: { start: range.start + offset, end: range.end + offset },
    });
    return undefined;
  }
  mayFail(parsed.ast, env, source, offset, problems);
  return result.type;
}

/** Whether the problems leave the expression usable (warnings only). */
function onlyWarnings(problems: readonly ExpressionProblem[]): boolean {
  return problems.every((p) => WARNINGS.has(p.code));
}

// Environments themselves are cached (and bounded) by environmentFor, so this map stays small.
const cache = new Map<Environment, Map<string, ExpressionCheck>>();

/** Forgets cached checks (the benchmark measures cold compiles with it). */
export function clearExpressionCache(): void {
  cache.clear();
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * Checks an expression (`kind: 'expression'`) or a `{{ }}` template against an environment and an
 * expected result type.
 */
export function checkExpression(env: Environment, source: string, kind: 'expression' | 'template', expect: ExpectedType): ExpressionCheck {
  const key = `${kind}\u0000${expect}\u0000${source}`;
  let perEnv = cache.get(env);
  const hit = perEnv?.get(key);
  if (hit) return hit;

  const refs: ExpressionCheck['refs'] = { queues: [], calendars: [] };
  const problems: ExpressionProblem[] = [];
  let type: string | undefined;
  if (kind === 'template') {
    const template = parseTemplate(source);
    if ('error' in template) {
      problems.push({ code: 'FLOW_TEMPLATE_SYNTAX', message: template.error.message, range: { start: template.error.start, end: template.error.end } });
    } else {
      for (const part of template.parts) {
        if (part.kind === 'expression') checkOne(env, part.source, part.start, refs, problems);
      }
      if (onlyWarnings(problems)) type = 'string';
    }
  } else {
    type = checkOne(env, source, 0, refs, problems);
    if (type !== undefined && !isAssignable(type, expect)) {
      problems.push({
        code: 'FLOW_EXPR_RESULT_TYPE',
        message: `must give ${describeType(expect)} but gives ${describeType(type)}`,
        range: { start: 0, end: source.length },
      });
      type = undefined;
    }
  }
  const result: ExpressionCheck = {
    ...(type !== undefined && onlyWarnings(problems) ? { type } : {}),
    problems,
    refs: { queues: uniqueSorted(refs.queues), calendars: uniqueSorted(refs.calendars) },
  };
  if (!perEnv) {
    perEnv = new Map();
    if (cache.size >= 200) cache.clear();
    cache.set(env, perEnv);
  }
  if (perEnv.size >= 20_000) perEnv.clear();
  perEnv.set(key, result);
  return result;
}
