/**
 * `true` when A and B are the same type. The contract ties its enums to types defined in Node-only
 * packages (routing, the workflow contract) with it: a type-only import costs the browser nothing,
 * and `tsc` fails the moment the two differ in either direction.
 *
 * @example
 * type _StatusIsRoutings = Assert<Same<z.output<typeof workItemStatusSchema>, WorkItemStatus>>;
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Compiles only with `true`. */
export type Assert<T extends true> = T;
