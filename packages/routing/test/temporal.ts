/** Real Temporal for the tests of the signal outboxes (kept apart from helpers.ts, which every test loads). */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '@tandem/config';
import { uniqueName } from '@tandem/testkit';

/** A real Temporal client and a worker running the fixture contact workflows on a task queue of its own. */
export interface FixtureTemporal {
  client: Client;
  taskQueue: string;
  close(): Promise<void>;
}

/** Connects to the local Temporal and runs `test/fixtures/resolution-workflows` on a fresh task queue. */
export async function fixtureTemporal(prefix: string): Promise<FixtureTemporal> {
  const config = loadConfig();
  const taskQueue = uniqueName(prefix);
  const connection = await Connection.connect({ address: config.temporal.address });
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const worker = await Worker.create({ connection: nativeConnection, namespace: config.temporal.namespace, taskQueue, workflowsPath: require.resolve('./fixtures/resolution-workflows') });
  const running = worker.run();
  return {
    client,
    taskQueue,
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
    },
  };
}
