import { OpenApiValidator, toJsonSchema } from './support/openapi-validator';

const errorBody = { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] };
const queue = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    businessHours: { type: 'string', nullable: true },
    distribution: { type: 'string', enum: ['push', 'pull'], nullable: true },
    overflow: { anyOf: [{ type: 'string' }, { type: 'integer' }], nullable: true },
    timeoutSeconds: { type: 'number', minimum: 0, exclusiveMinimum: true },
  },
  required: ['name', 'businessHours'],
  additionalProperties: false,
};
const document = {
  paths: {
    '/v1/queues/{name}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Queue' } } } },
          '404': { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } },
        },
      },
      delete: { responses: { '204': { description: 'deleted' } } },
    },
    '/v1/queues/stats': { get: { responses: { '200': { content: { 'application/json': { schema: { type: 'array', items: { type: 'integer' } } } } } } } },
    '/metrics': { get: { responses: { '200': { content: { 'text/plain': { schema: { type: 'string' } } } } } } },
  },
  components: { schemas: { Queue: queue, ErrorBody: errorBody } },
};

describe('checking responses against an OpenAPI 3.0 document', () => {
  const v = new OpenApiValidator(document);
  const json = 'application/json; charset=utf-8';

  it('understands nullable: null where nullable, a value of the type otherwise, never a wrong type', () => {
    expect(v.check('get', '/v1/queues/billing', 200, json, { name: 'billing', businessHours: null, distribution: null, overflow: null })).toEqual({ operation: 'GET /v1/queues/{name}' });
    expect(v.check('get', '/v1/queues/billing', 200, json, { name: 'billing', businessHours: 'support-hours', distribution: 'push', overflow: 3 }).problem).toBeUndefined();
    expect(v.check('get', '/v1/queues/billing', 200, json, { name: 'billing', businessHours: ['support-hours'] }).problem).toMatch(/\/businessHours must be string,null/);
    expect(v.check('get', '/v1/queues/billing', 200, json, { name: null, businessHours: null }).problem).toMatch(/\/name must be string/);
    expect(v.check('get', '/v1/queues/billing', 200, json, { name: 'billing', businessHours: null, distribution: 'fifo' }).problem).toMatch(/\/distribution must be equal to one of the allowed values/);
  });

  it('reads draft-04 exclusive bounds and refuses undocumented fields and missing required ones', () => {
    expect(v.check('get', '/v1/queues/b', 200, json, { name: 'b', businessHours: null, timeoutSeconds: 0 }).problem).toMatch(/timeoutSeconds must be > 0/);
    expect(v.check('get', '/v1/queues/b', 200, json, { name: 'b', businessHours: null, timeoutSeconds: 0.5 }).problem).toBeUndefined();
    expect(v.check('get', '/v1/queues/b', 200, json, { name: 'b', businessHours: null, extra: 1 }).problem).toMatch(/must NOT have additional properties/);
    expect(v.check('get', '/v1/queues/b', 200, json, { name: 'b' }).problem).toMatch(/must have required property 'businessHours'/);
  });

  it('fails a status the operation does not document, and names the operation', () => {
    expect(v.check('get', '/v1/queues/b?x=1', 409, json, { code: 'conflict', message: 'no' })).toEqual({
      operation: 'GET /v1/queues/{name}',
      problem: 'status 409 is not documented (documented: 200, 404)',
    });
    expect(v.check('get', '/v1/queues/b', 404, json, { code: 'not_found' }).problem).toMatch(/the 404 body does not match its documented schema: \(body\) must have required property 'message'/);
  });

  it('prefers a literal path to a template, and checks content types and empty bodies', () => {
    expect(v.check('get', '/v1/queues/stats', 200, json, [1, 2]).operation).toBe('GET /v1/queues/stats');
    expect(v.check('get', '/metrics', 200, 'text/plain; version=0.0.4', {}).problem).toBeUndefined();
    expect(v.check('get', '/metrics', 200, json, {}).problem).toMatch(/content type application\/json is not documented/);
    expect(v.check('delete', '/v1/queues/b', 204, undefined, {}).problem).toBeUndefined();
    expect(v.check('delete', '/v1/queues/b', 204, json, { deleted: true }).problem).toMatch(/documents no body/);
  });

  it('checks errors of paths the document does not describe against the error body only', () => {
    expect(v.check('get', '/v1/nowhere', 404, json, { code: 'not_found', message: 'no route GET /v1/nowhere' }).problem).toBeUndefined();
    expect(v.check('get', '/v1/nowhere', 404, json, { error: 'Not Found' }).problem).toMatch(/required property 'code'/);
    expect(v.check('get', '/docs/', 200, 'text/html', '<html>').problem).toBeUndefined();
  });

  it('turns OpenAPI 3.0 nullable into JSON Schema without touching properties that happen to be named like keywords', () => {
    expect(toJsonSchema({ type: 'object', properties: { nullable: { type: 'boolean' }, $ref: { type: 'string' } } })).toEqual({
      type: 'object',
      properties: { nullable: { type: 'boolean' }, $ref: { type: 'string' } },
    });
    expect(toJsonSchema({ $ref: '#/components/schemas/Queue', nullable: true })).toEqual({ anyOf: [{ $ref: 'openapi.json#/components/schemas/Queue' }, { type: 'null' }] });
  });
});
