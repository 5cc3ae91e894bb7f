/**
 * The contact worker of the end-to-end suites, in the test process: the worker's own production wiring
 * (the real interpreter workflow and activities: virtual agent, routing, tickets, events) on the suite's
 * task queue, Kafka topics and database, so test chats in the designer run on the real runtime.
 */
import type { TandemConfig } from '@tandem/config';
import type { TandemTopics } from '@tandem/events';
import { contactWorkflowBundle, createLogger, loadWorkerSettings, startWorkerRuntime } from '@tandem/worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';

/** The parts of the API's configuration the worker shares (addresses, database, task queue, topics). */
export interface SharedConfig extends TandemConfig {
  events: { topics: TandemTopics; partitions: number };
}

let runtimeInstalled = false;

export interface ContactWorker {
  stop(): Promise<void>;
}

export async function startContactWorker(config: SharedConfig): Promise<ContactWorker> {
  if (!runtimeInstalled) {
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
    resolutionPollMs: 200,
  });
  void runtime.run();
  return { stop: () => runtime.stop() };
}
