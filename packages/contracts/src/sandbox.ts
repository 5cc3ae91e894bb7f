/**
 * The entry for the Temporal workflow sandbox (`@tandem/contracts/sandbox`): only what the contact
 * interpreter uses at run time. The sandbox re-runs the top level of every module a workflow imports
 * for each new contact, and building every contract schema cost each contact about 1.5 ms; types come
 * from the main entry (`import type`), which costs nothing at run time.
 */
export { customerSchema } from './customer';
export { emptyNluSnapshot } from './empty-nlu';
export { WORK_ITEM_RESOLVED_SIGNAL, workItemResolutionSchema } from './work-items';
