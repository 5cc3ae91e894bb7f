/**
 * Recorded histories of the example flows (test/histories, made by `npm run record-histories`) replay
 * against the current interpreter: a change that would break running contacts fails here and must go
 * behind `patched()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { contactWorkflowBundle } from '../src/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });

const dir = path.join(__dirname, 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('replay of recorded contact histories', () => {
  it('has recorded histories of the example flows to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s replays deterministically', async (file) => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: await contactWorkflowBundle(), replayName: file }, history);
  });
});
