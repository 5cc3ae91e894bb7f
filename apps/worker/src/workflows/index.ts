/** Workflow definitions registered by the worker (the bundle's entry point). */
export { contactFlow } from './contact-flow';
