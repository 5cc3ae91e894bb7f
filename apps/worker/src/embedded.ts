/**
 * The contact worker inside another process: the API's and the designer's end-to-end suites run it next
 * to the API, on their own task queue, Kafka topics and database. It is the production wiring
 * (`startWorkerRuntime`), not a copy, so those suites exercise what ships.
 */
import type { TandemConfig } from '@tandem/config';
import type { TandemTopics } from '@tandem/events';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createLogger } from './logger';
import { contactWorkflowBundle } from './worker';
import { loadWorkerSettings, startWorkerRuntime } from './wiring';

/** Configuration shared with the host process: addresses, database, task queue, and its topics. */
export interface EmbeddedWorkerConfig extends TandemConfig {
  events: { topics: TandemTopics; partitions: number };
}

export interface EmbeddedWorker {
  /** Stops polling, lets running tasks finish, closes connections; rejects if the worker had failed. */
  stop(): Promise<void>;
}

let runtimeInstalled = false;

export async function startEmbeddedWorker(config: EmbeddedWorkerConfig, options: { resolutionPollMs?: number } = {}): Promise<EmbeddedWorker> {
  if (!runtimeInstalled) {
    // The SDK's runtime is per process; the host's own logs stay readable (errors only from the core).
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const runtime = await startWorkerRuntime({
    config,
    settings: loadWorkerSettings({}),
    logger: createLogger('warn'),
    taskQueue: config.temporal.taskQueue,
    workflowBundle: await contactWorkflowBundle(),
    topics: config.events.topics,
    topicPartitions: config.events.partitions,
    resolutionPollMs: options.resolutionPollMs ?? 200,
  });
  // A failure is reported by stop() (which awaits the run); until then it must not surface as an
  // unhandled rejection in the host.
  runtime.run().catch(() => undefined);
  return { stop: () => runtime.stop() };
}
