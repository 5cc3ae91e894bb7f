/**
 * The workflow bundle shares zod, the CEL library and the plan evaluators across contacts
 * (`src/workflows/shared-modules.ts`). These tests pin what makes that work and that it stays
 * deterministic: the bundle preloads the module, shares the zod build the packages load, and one
 * replay worker running every recorded history in turn — each contact reusing what the previous ones
 * left in the shared caches — replays them all without a determinism error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { contactWorkflowBundle } from '../src/worker';
import { sharedLibraries } from '../src/workflows/shared-modules';

Runtime.install({ logger: new DefaultLogger('WARN') });

describe('modules shared by the contact workflows', () => {
  it('preloads the shared module in the bundle, and it shares the CommonJS zod the packages load', async () => {
    const { code } = await contactWorkflowBundle();
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code);
    expect(preload?.[1]).toMatch(/__webpack_require__\([^)]*shared-modules/);
    // The packages' compiled (CommonJS) code requires zod's .cjs build; sharing the ES build would
    // leave theirs to be initialized for every contact again.
    const definition = /\/\*\*\*\/ "\.\/(?:src|dist)\/workflows\/shared-modules\.[jt]s"\s/.exec(code);
    expect(definition).not.toBeNull();
    expect(code.slice(definition!.index, definition!.index + 6000)).toMatch(/__webpack_require__\([^)]*zod\/index\.cjs/);
    // The contracts' sandbox entry too: a contact no longer rebuilds the customer schema.
    expect(code.slice(definition!.index, definition!.index + 6000)).toMatch(/__webpack_require__\([^)]*contracts\/dist\/sandbox\.js/);
    expect(sharedLibraries).toEqual({ cel: true, contracts: true, zod: true });
  });

  it('replays every recorded history through one worker, the shared caches carried from contact to contact', async () => {
    const dir = path.join(__dirname, 'histories');
    const histories = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((file) => {
        const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { events: { workflowExecutionStartedEventAttributes?: { workflowId?: string } }[] };
        // The recorded id: a caller derives its subflow's workflow id from its own.
        return { workflowId: json.events[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? file, history: historyFromJSON(json) };
      });
    // Twice over: the second pass finds every plan's evaluator already built by the first.
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await contactWorkflowBundle(), replayName: 'shared-modules' }, [...histories, ...histories])) {
      results.push({ workflowId: result.workflowId, error: result.error?.message });
    }
    expect(results).toHaveLength(histories.length * 2);
    expect(results.filter((r) => r.error)).toEqual([]);
  });
});
