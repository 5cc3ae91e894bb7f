/** Workflow definitions registered by the worker (the bundle's entry point). */
import { executors } from '../nodes/executors';
import { createContactFlow } from './contact-flow';

export const contactFlow = createContactFlow(executors);
