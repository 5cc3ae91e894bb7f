/**
 * `@tandem/flow` — the flow language: the document the designer saves, the node catalog, typed CEL
 * expressions, and the compiler from documents to executable plans. Pure TypeScript, no I/O.
 */
export * from './document';
export * from './tests';
export * from './nodes';
export * from './resolver';
export * from './plan';
export * from './hash';
export * from './runtime';
export { calendarRefSchema, openingIntervalSchema, WEEKDAYS } from './calendar/calendar';
export type { Weekday, OpeningInterval } from './calendar/calendar';
export { expressionEnvironment, environmentFor, celTypeOf } from './expressions/environment';
export type { EnvironmentVariable, EnvironmentField } from './expressions/environment';
export { isAssignable, describeType } from './expressions/types';
export type { ExpectedType } from './expressions/types';
export * from './diagnostics';
export { compileFlow, jsonPointer } from './compiler/compile';
export type { CompileResult } from './compiler/compile';
export { clearExpressionCache } from './expressions/check';
export * from './examples';
