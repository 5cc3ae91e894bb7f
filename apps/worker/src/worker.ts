/**
 * Builds the Temporal worker that runs contacts: the interpreter workflow bundle plus the built-in and
 * custom activities.
 */
import path from 'node:path';
import { bundleWorkflowCode, type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from './activities';

export interface ContactWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dependencies: ActivityDependencies;
  /** A prebuilt bundle (tests build one per process); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkflowBundleOption;
  /** Extra Temporal worker options (concurrency, sticky cache…). */
  tuning?: Partial<Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxCachedWorkflows' | 'shutdownGraceTime' | 'interceptors'>>;
}

/** A bundle of the workflow code: built in this process (`code`) or at build time (`codePath`). */
export type WorkflowBundleOption = { code: string } | { codePath: string };

/** The workflow entry the bundle is built from. */
export const workflowsPath = path.join(__dirname, 'workflows', 'index');

const noop = () => undefined;
/** The bundler's logger: errors only (webpack's progress is noise in worker and benchmark output). */
export const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => console.error(m), log: noop };

/**
 * Evaluated once per workflow thread and shared by every contact, rather than once per contact: zod,
 * the CEL library, the contracts and the flow runtime (see `workflows/shared-modules.ts` for why and
 * what may be shared). The SDK deep-freezes what they export.
 */
export const SHARED_WORKFLOW_MODULES = [require.resolve('./workflows/shared-modules')];

/** Bundler options for the contact workflows (also what the benchmark bundles with). */
export const contactBundlerOptions = { logger: quietBundlerLogger, preloadModules: SHARED_WORKFLOW_MODULES };

let bundle: Promise<{ code: string }> | undefined;

/**
 * Where `npm run build` writes the prebuilt bundle (`scripts/bundle-workflows.ts`): the worker process
 * starts from it in a second instead of running webpack for several.
 */
export const PREBUILT_BUNDLE = path.join(__dirname, 'workflow-bundle.js');

/** Bundles the workflow code once per process (webpack takes a few seconds). */
export function contactWorkflowBundle(): Promise<{ code: string }> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve(workflowsPath), ...contactBundlerOptions });
  return bundle;
}

export async function createContactWorker(options: ContactWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle ?? (await contactWorkflowBundle()),
    activities: createActivities(options.dependencies),
    ...options.tuning,
  });
}
