import { flowDocumentJsonSchema, flowDocumentSchema } from '../src';
import { linear, message } from './helpers';

describe('flow document', () => {
  it('applies defaults the designer may omit', () => {
    const doc = flowDocumentSchema.parse(linear(message('m')));
    expect(doc).toMatchObject({ schemaVersion: 1, description: '', variables: [] });
    expect(doc.nodes[1]).toMatchObject({ typeVersion: 1, position: { x: 0, y: 0 } });
  });

  it('rejects malformed documents with the path of the problem', () => {
    const result = flowDocumentSchema.safeParse({ ...linear(), channels: ['fax'] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['channels', 0]);
    expect(flowDocumentSchema.safeParse({ ...linear(), variables: [{ name: 'order-id', type: 'string' }] }).success).toBe(false);
    expect(flowDocumentSchema.safeParse({ ...linear(), variables: [{ name: 'orderId', type: 'decimal' }] }).success).toBe(false);
  });

  it('exports a JSON Schema for other tools', () => {
    const schema = flowDocumentJsonSchema();
    expect(schema).toMatchObject({ type: 'object', properties: { nodes: { type: 'array' }, edges: { type: 'array' } } });
    expect((schema.required as string[]).sort()).toEqual(['channels', 'id', 'name', 'nodes']);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
