import fc from 'fast-check';

/** The subset of OpenAPI 3.0 schema objects the generator reads. */
export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  nullable?: boolean;
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  allOf?: SchemaObject[];
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  items?: SchemaObject;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  default?: unknown;
}

const MAX_DEPTH = 6;

/**
 * Values that mostly satisfy an OpenAPI schema, so the fuzzer gets past validation into the
 * services; {@link fuzzValue} then breaks them in every way a client could.
 */
export function schemaArbitrary(schema: SchemaObject | undefined, components: Record<string, SchemaObject>, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > MAX_DEPTH) return fc.constant(null);
  if (schema.$ref) return schemaArbitrary(components[schema.$ref.replace('#/components/schemas/', '')], components, depth + 1);
  const inner = (s: SchemaObject | undefined) => schemaArbitrary(s, components, depth + 1);
  let arb: fc.Arbitrary<unknown>;
  if (schema.enum?.length) arb = fc.constantFrom(...schema.enum);
  else if (schema.const !== undefined) arb = fc.constant(schema.const);
  else if (schema.anyOf?.length || schema.oneOf?.length) arb = fc.oneof(...(schema.anyOf ?? schema.oneOf ?? []).map(inner));
  else if (schema.allOf?.length) arb = inner(schema.allOf[0]);
  else {
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
    switch (type) {
      case 'object': {
        const props = schema.properties ?? {};
        const model = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, inner(s)]));
        const record = fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in props) });
        arb = typeof schema.additionalProperties === 'object' && !Object.keys(props).length ? fc.dictionary(fc.string({ maxLength: 8 }), inner(schema.additionalProperties), { maxKeys: 3 }) : record;
        break;
      }
      case 'array':
        arb = fc.array(inner(schema.items), { minLength: Math.min(schema.minItems ?? 0, 3), maxLength: Math.min(Math.max(schema.maxItems ?? 3, schema.minItems ?? 0), 3) });
        break;
      case 'string':
        if (schema.format === 'date-time') arb = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
        else if (schema.format === 'uuid') arb = fc.uuid();
        else if (schema.pattern) arb = fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 200));
        else arb = fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 24, 24) });
        break;
      case 'integer':
        arb = fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
        break;
      case 'number':
        arb = fc.double({ noNaN: true, noDefaultInfinity: true, min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 });
        break;
      case 'boolean':
        arb = fc.boolean();
        break;
      default:
        arb = fc.jsonValue({ maxDepth: 2 });
    }
  }
  return schema.nullable ? fc.option(arb, { nil: null }) : arb;
}

/** A schema-shaped value most of the time; otherwise any JSON, or the value with a field added or removed. */
export function fuzzValue(schema: SchemaObject | undefined, components: Record<string, SchemaObject>): fc.Arbitrary<unknown> {
  const valid = schemaArbitrary(schema, components);
  const mutated = fc.tuple(valid, fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }), fc.boolean()).map(([v, key, extra, drop]) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return extra;
    const copy = { ...(v as Record<string, unknown>) };
    const first = Object.keys(copy)[0];
    if (drop && first !== undefined) delete copy[first];
    else copy[key] = extra;
    return copy;
  });
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 2, arbitrary: mutated }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
}
