import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { isMessageTooLong, maxCustomerMessageLength } from '@tandem/api-contract';
import { z } from 'zod';
import { MessageTooLongError, type RequestLocation, RequestValidationError } from './errors';
import { unstorableText } from './storable-text';
import { strippedFields } from './unknown-fields';

interface ZodDtoClass {
  isZodDto: true;
  schema: z.ZodType;
}

function isZodDto(metatype: unknown): metatype is ZodDtoClass {
  return typeof metatype === 'function' && (metatype as Partial<ZodDtoClass>).isZodDto === true;
}

const LOCATIONS: Record<ArgumentMetadata['type'], RequestLocation | undefined> = {
  body: 'body',
  query: 'query',
  param: 'param',
  custom: undefined,
};

/**
 * Validates every `@Body()`, `@Query()` and `@Param()` typed with a zod DTO (`createZodDto`) against
 * its schema — the same schema the OpenAPI document is generated from — and replaces the raw value
 * with the parsed one (defaults applied). Unknown fields are rejected in bodies, at any depth, even
 * where the schema itself would strip them (see {@link strippedFields}); query strings and path
 * parameters use strict schemas. Text PostgreSQL cannot store (NUL, unpaired surrogates) is refused
 * too. A failure is a 400 naming each offending field and where it was; a message over the one limit
 * every entry point shares is a 400 `message_too_long` naming the limit.
 */
@Injectable()
export class ZodValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const location = LOCATIONS[metadata.type];
    if (!location || !isZodDto(metadata.metatype)) return value;
    const result = metadata.metatype.schema.safeParse(value);
    if (!result.success) {
      const tooLong = result.error.issues.find(isMessageTooLong);
      if (tooLong) throw new MessageTooLongError(location, result.error, maxCustomerMessageLength, lengthAt(value, tooLong.path));
      throw new RequestValidationError(location, result.error);
    }
    const unknown = location === 'body' ? strippedFields(value, result.data) : [];
    if (unknown.length) throw new RequestValidationError(location, new z.ZodError(unknown));
    const unstorable = unstorableText(result.data);
    if (unstorable.length) throw new RequestValidationError(location, new z.ZodError(unstorable));
    return result.data;
  }
}

/** The trimmed length of the text at `path` (what the limit is checked against). */
function lengthAt(value: unknown, path: readonly PropertyKey[]): number {
  let at: unknown = value;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return typeof at === 'string' ? at.trim().length : 0;
}
