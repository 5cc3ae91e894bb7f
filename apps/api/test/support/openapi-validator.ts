import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { description?: string; content?: Record<string, { schema?: Json }> }> }>>;
  components?: { schemas?: Record<string, Json> };
}

/** What a response is checked for; `problem` is undefined when it conforms. */
export interface ResponseCheck {
  /** `POST /v1/flows/{flowId}/publish`, or undefined for a path the document does not describe. */
  operation?: string;
  problem?: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const DOCUMENT_ID = 'openapi.json';

/**
 * OpenAPI 3.0's dialect as JSON Schema draft-07, which ajv validates: `nullable: true` becomes
 * `null` among the types (or `anyOf` with `{type: 'null'}` where there is no `type`, and `null` in a
 * nullable enum), the boolean `exclusiveMinimum`/`exclusiveMaximum` of draft-04 become numbers, and
 * component references point into the document registered as {@link DOCUMENT_ID}.
 */
export function toJsonSchema(schema: Json): Json {
  const s: Json = { ...schema };
  const map = (m: unknown) => Object.fromEntries(Object.entries(m as Record<string, Json>).map(([k, v]) => [k, toJsonSchema(v)]));
  if (s.properties) s.properties = map(s.properties);
  if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) s.additionalProperties = toJsonSchema(s.additionalProperties as Json);
  if (typeof s.items === 'object' && s.items !== null) s.items = toJsonSchema(s.items as Json);
  if (typeof s.not === 'object' && s.not !== null) s.not = toJsonSchema(s.not as Json);
  for (const key of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(s[key])) s[key] = (s[key] as Json[]).map(toJsonSchema);
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#/')) s.$ref = `${DOCUMENT_ID}${s.$ref}`;
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (s[flag] === true) {
      s[flag] = s[bound];
      delete s[bound];
    } else if (s[flag] === false) delete s[flag];
  }
  if (s.nullable !== true) {
    delete s.nullable;
    return s;
  }
  delete s.nullable;
  if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...(s.enum as unknown[]), null];
  if (typeof s.type === 'string') return { ...s, type: [s.type, 'null'] };
  return { anyOf: [s, { type: 'null' }] };
}

/** `/v1/flows/{flowId}` as a pattern; literal paths rank before templated ones (`/v1/flows/import`). */
function pathMatcher(template: string): { template: string; regex: RegExp; literals: number } {
  const segments = template.split('/');
  const regex = new RegExp(`^${segments.map((s) => (/^\{\w+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
  return { template, regex, literals: segments.filter((s) => !s.startsWith('{')).length };
}

const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('; ');

/**
 * Checks responses against the served OpenAPI document: the status must be documented for the
 * operation (success and error statuses alike), and a JSON body must validate against the schema
 * documented for that status. Paths outside the document (`/docs`, `/openapi.json`, unknown routes)
 * are checked only for the shared error body when they fail.
 */
export class OpenApiValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
  private readonly matchers: ReturnType<typeof pathMatcher>[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas: Object.fromEntries(Object.entries(document.components?.schemas ?? {}).map(([k, v]) => [k, toJsonSchema(v)])) } });
    this.matchers = Object.keys(document.paths)
      .map(pathMatcher)
      .sort((a, b) => b.literals - a.literals);
  }

  /** The documented operation a request reaches, as `METHOD /template`. */
  operationOf(method: string, path: string): { template: string; method: string } | undefined {
    const m = method.toLowerCase();
    const found = this.matchers.find((p) => p.regex.test(path) && this.document.paths[p.template]?.[m]);
    return found ? { template: found.template, method: m } : undefined;
  }

  check(method: string, url: string, status: number, contentType: string | undefined, body: unknown): ResponseCheck {
    const path = new URL(url, 'http://api.test').pathname;
    const m = method.toLowerCase();
    if (!METHODS.includes(m)) return {};
    const op = this.operationOf(m, path);
    if (!op) {
      if (status < 400 || path === '/openapi.json' || path.startsWith('/docs')) return {};
      return this.validateBody(`${m} <no operation>`, '#/components/schemas/ErrorBody', body, `the ${status} body`);
    }
    const operation = `${m.toUpperCase()} ${op.template}`;
    const responses = this.document.paths[op.template]![m]!.responses ?? {};
    const documented = responses[String(status)];
    if (!documented) return { operation, problem: `status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})` };
    const media = contentType?.split(';')[0]?.trim();
    const content = documented.content ?? {};
    if (!Object.keys(content).length) {
      return body === undefined || body === '' || (typeof body === 'object' && body !== null && !Object.keys(body).length) ? { operation } : { operation, problem: `status ${status} documents no body, got one` };
    }
    if (!media || !(media in content)) return { operation, problem: `content type ${media ?? 'none'} is not documented for ${status} (documented: ${Object.keys(content).join(', ')})` };
    if (media !== 'application/json') return { operation };
    const schema = content[media]!.schema;
    if (!schema) return { operation };
    return { operation, ...this.validateBody(`${operation} ${status}`, schema, body, `the ${status} body`) };
  }

  /** Checks a value against a component schema (an SSE event's data, say); the problem, if any. */
  checkComponent(name: string, value: unknown): string | undefined {
    return this.validateBody(`component ${name}`, `#/components/schemas/${name}`, value, name).problem;
  }

  private validateBody(key: string, schema: Json | string, body: unknown, what: string): ResponseCheck {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(typeof schema === 'string' ? { $ref: schema } : schema));
      this.compiled.set(key, validate);
    }
    if (validate(body)) return {};
    return { problem: `${what} does not match its documented schema: ${describeErrors(validate.errors)}` };
  }
}

/** One validator per served document: every suite of a worker shares the compiled schemas. */
const validators = new Map<string, OpenApiValidator>();

export function validatorFor(document: OpenApiDocument): OpenApiValidator {
  const key = JSON.stringify(document);
  let v = validators.get(key);
  if (!v) {
    v = new OpenApiValidator(document);
    validators.set(key, v);
  }
  return v;
}
