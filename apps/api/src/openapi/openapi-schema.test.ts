import { customActivityDescriptorSchema, flowDiffSchema, queueSchema, startContactSchema, workItemDetailSchema } from '@tandem/api-contract';
import { z } from 'zod';
import { openApiSchemaOf } from './openapi-schema';

type Schema = Record<string, unknown> & { properties: Record<string, Record<string, unknown>>; required?: string[] };
const props = (s: z.ZodType, side: 'input' | 'output') => openApiSchemaOf(s, side) as Schema;

/** Every `type` in a schema tree, to find JSON Schema 2020-12's type arrays OpenAPI 3.0 does not have. */
function types(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(types);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'type' ? [v] : types(v)));
}

describe('zod schemas as OpenAPI 3.0 schema objects', () => {
  it('writes nullable as nullable, never as a type array or an array of the type', () => {
    const queue = props(queueSchema, 'output');
    expect(queue.properties.businessHours).toMatchObject({ type: 'string', nullable: true });
    expect(queue.properties.overflowQueue).toMatchObject({ type: 'string', nullable: true });
    expect(queue.required).toEqual(expect.arrayContaining(['businessHours', 'overflowQueue', 'maxWaitSeconds']));
    const detail = props(workItemDetailSchema, 'output');
    expect(detail.properties.contact).toMatchObject({ type: 'object', nullable: true });
    expect(types(detail).filter(Array.isArray)).toEqual([]);
  });

  it('lists null among the values of a nullable enum (OpenAPI 3.0.3)', () => {
    const s = openApiSchemaOf(z.object({ outcome: z.enum(['resolved', 'abandoned']).nullable() }), 'output') as Schema;
    expect(s.properties.outcome).toEqual({ type: 'string', enum: ['resolved', 'abandoned', null], nullable: true });
  });

  it('describes requests as clients send them and responses as the API sends them', () => {
    // A default makes a field optional to send, and always present in what comes back.
    expect(props(customActivityDescriptorSchema, 'input').required).not.toContain('category');
    expect(props(startContactSchema, 'input').additionalProperties).toBe(false);
    // Keys JSON drops when undefined are optional in the document too.
    const change = (props(flowDiffSchema, 'output').properties.flow as { items: Schema }).items;
    expect(change.required).toEqual(['path']);
    expect(props(queueSchema, 'output').additionalProperties).toBe(false);
  });
});
