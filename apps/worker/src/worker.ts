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
  workflowBundle?: { code: string };
  /** Extra Temporal worker options (concurrency, sticky cache…). */
  tuning?: Partial<Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxCachedWorkflows' | 'shutdownGraceTime' | 'interceptors'>>;
}

/** The workflow entry the bundle is built from. */
export const workflowsPath = path.join(__dirname, 'workflows', 'index');

let bundle: Promise<{ code: string }> | undefined;

/** Bundles the workflow code once per process (webpack takes a few seconds). */
export function contactWorkflowBundle(): Promise<{ code: string }> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve(workflowsPath), logger: quietBundlerLogger });
  return bundle;
}

const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => console.error(m), log: noop };

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
