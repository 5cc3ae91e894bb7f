import { contactWorkflowBundle, createLogger, loadWorkerSettings, startWorkerRuntime } from '@tandem/worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { ApiConfig } from '../../src/config/api-config';

let runtimeInstalled = false;

/** A contact worker in the test process: the worker's own production wiring on the suite's task queue, topics and database. */
export interface TestWorker {
  stop(): Promise<void>;
}

export async function startTestWorker(config: ApiConfig): Promise<TestWorker> {
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
