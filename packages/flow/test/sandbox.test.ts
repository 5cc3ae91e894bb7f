import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@tandem/config';
import { uniqueName } from '@tandem/testkit';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { compileFlow, exampleResolver, exampleSupportHours, type Plan } from '../src';
import { sandboxProbe } from './fixtures/workflows/runtime-workflows';

Runtime.install({ logger: new DefaultLogger('WARN') });

const workflowsPath = require.resolve('./fixtures/workflows/runtime-workflows');

function overflowPlan(): Plan {
  const document: unknown = JSON.parse(readFileSync(path.join(__dirname, '../examples/overflow-on-queue-wait.json'), 'utf8'));
  const result = compileFlow(document, exampleResolver);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.plan;
}

describe('the runtime entry in the Temporal workflow sandbox', () => {
  let code: string;

  beforeAll(async () => {
    code = (await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') })).code;
  }, 120_000);

  it('bundles with bundleWorkflowCode (no Node built-ins, no Buffer)', () => {
    expect(code).toContain('sandboxProbe');
    expect(code.length).toBeGreaterThan(10_000);
  });

  it('evaluates CEL, renders templates and reads business hours inside a real workflow', async () => {
    const config = loadConfig();
    const taskQueue = uniqueName('flow-sandbox');
    const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      const worker = await Worker.create({ connection: nativeConnection, namespace: config.temporal.namespace, taskQueue, workflowBundle: { code } });
      const client = new Client({ connection, namespace: config.temporal.namespace });
      const plan = overflowPlan();
      const busy = plan.nodes.busy!.expressions['/rules/0/condition']!;
      const result = await worker.runUntil(
        client.workflow.execute(sandboxProbe, {
          taskQueue,
          workflowId: uniqueName('flow-sandbox-wf'),
          args: [
            {
              plan,
              conditions: [busy.source, 'customer.tier == "vip" && nlu.sentiment < -0.5'],
              assignment: plan.nodes.estimate!.expressions['/assignments/0/value']!.source,
              template: 'Thanks {{customer.name}}, about {{int(queue.ewt("billing") / 60.0)}} minutes',
              activation: { customer: { id: 'c1', name: 'Ada', tier: 'vip' }, nlu: { sentiment: -0.8 }, live: { queues: { billing: 420 } } },
              calendar: exampleSupportHours,
              // Saturday 14:00 in London (after the Saturday morning hours) → opens Monday 08:00.
              instant: '2025-06-07T13:00:00Z',
            },
          ],
        }),
      );
      expect(busy.refs.queues).toEqual(['billing']);
      expect(result).toEqual({
        planValid: true,
        hashVerified: true,
        conditions: [true, true],
        assigned: 7,
        rendered: 'Thanks Ada, about 7 minutes',
        open: false,
        nextOpening: '2025-06-09T07:00:00.000Z',
      });
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});
