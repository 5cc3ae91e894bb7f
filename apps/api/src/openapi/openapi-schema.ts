import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DECORATORS, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/** Which side of a schema a document describes: what clients send (`input`) or what the API sends (`output`). */
export type SchemaSide = 'input' | 'output';

/**
 * A zod schema as an OpenAPI 3.0 schema object, written by zod's own `openapi-3.0` target: `nullable:
 * true` for null, never JSON Schema 2020-12's `type: ['string', 'null']` — which @nestjs/swagger reads
 * as "an array of strings" when nestjs-zod hands it over property by property (the `businessHours:
 * string[]` an outside fuzzer found). One thing the target leaves out is added: a nullable enum lists
 * `null` among its values, as OpenAPI 3.0.3 requires for null to be valid.
 */
export function openApiSchemaOf(schema: z.ZodType, side: SchemaSide): SchemaObject {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: side, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return withNullInNullableEnums(json) as SchemaObject;
}

function withNullInNullableEnums(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withNullInNullableEnums);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = key === 'enum' ? child : withNullInNullableEnums(child);
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
  return out;
}

interface ZodDtoClass {
  name: string;
  isZodDto: true;
  schema: z.ZodType;
}

const isZodDto = (v: unknown): v is ZodDtoClass => typeof v === 'function' && (v as Partial<ZodDtoClass>).isZodDto === true;

/**
 * Every zod DTO class the application's routes use — bodies, parameters, responses — by the name
 * @nestjs/swagger gives its component (`FlowDto`, `FlowDto_Output`), with the side it describes.
 */
export function zodDtosOf(app: INestApplication): Map<string, { schema: z.ZodType; side: SchemaSide }> {
  const found = new Map<string, { schema: z.ZodType; side: SchemaSide }>();
  const add = (type: unknown) => {
    for (const t of Array.isArray(type) ? type : [type]) {
      if (isZodDto(t)) found.set(t.name, { schema: t.schema, side: t.name.endsWith('_Output') ? 'output' : 'input' });
    }
  };
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
      if (!controller) continue;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const responses = (Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) ?? {}) as Record<string, { type?: unknown }>;
        for (const response of Object.values(responses)) add(response.type);
        for (const param of (Reflect.getMetadata('design:paramtypes', proto, name) ?? []) as unknown[]) add(param);
      }
    }
  }
  return found;
}
