/**
 * @tandem/workflow-contract — how the world talks to a contact's workflow, defined once.
 *
 * The worker (apps/worker) implements it; the API, routing, the tests and the benchmarks import it.
 * Nothing here runs a contact: it is the workflow's input and result, its update, signals and query
 * with their payloads, its search attributes and the limits its entry points share.
 */
export * from './messages';
export * from './types';
export * from './search-attributes';
export * from './limits';
