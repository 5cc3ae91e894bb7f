import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '@tandem/config';
import { uniqueName } from '../src';
import * as activities from './fixtures/smoke-activities';
import { smokeWorkflow } from './fixtures/smoke-workflows';

Runtime.install({ logger: new DefaultLogger('WARN') });

describe('smoke: Temporal dev server', () => {
  const config = loadConfig();

  it('runs a workflow and its activity on a real worker and returns the result', async () => {
    const taskQueue = uniqueName('smoke');
    const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace: config.temporal.namespace,
        taskQueue,
        workflowsPath: require.resolve('./fixtures/smoke-workflows'),
        activities,
      });
      const client = new Client({ connection, namespace: config.temporal.namespace });
      const result = await worker.runUntil(
        client.workflow.execute(smokeWorkflow, { taskQueue, workflowId: uniqueName('smoke-wf'), args: ['Tandem'] }),
      );
      expect(result).toBe('hello, Tandem (from a workflow)');
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });

  it('has the search attributes Tandem sets on contacts', async () => {
    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      const res = await connection.operatorService.listSearchAttributes({ namespace: config.temporal.namespace });
      expect(Object.keys(res.customAttributes)).toEqual(
        expect.arrayContaining(['TandemFlowId', 'TandemFlowVersion', 'TandemChannel', 'TandemStep', 'TandemQueue', 'TandemOutcome']),
      );
    } finally {
      await connection.close();
    }
  });
});
