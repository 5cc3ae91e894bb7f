/**
 * @tandem/api-contract — the HTTP API's contract, defined once.
 *
 * Every response body, the shared error body, and the request bodies, queries and path parameters,
 * as zod schemas. The API validates requests with them and generates its OpenAPI document from them
 * (`/openapi.json`); the designer and any TypeScript client import their types (`z.output<…>`, named
 * here as `FlowView`, `CatalogView`, …) instead of restating them.
 *
 * Browser-safe: it imports zod and the pure packages (`@tandem/flow`, `@tandem/contracts`) only; types
 * owned by Node-only packages (routing, the workflow contract) are imported as types and tied to the
 * schemas at compile time (see `same-type.ts`).
 */
export * from './common';
export * from './auth';
export * from './flows';
export * from './flow-tests';
export * from './metrics';
export * from './catalog';
export * from './contacts';
export * from './agent-desk';
export * from './supervisor';
export * from './operations';
export type { Same, Assert } from './same-type';
