/**
 * Running the flow's tests from the designer: the draft is saved first, then `POST
 * /v1/flows/:flowId/tests/run` plays them on the real worker. The results stay until the next run of
 * the same test; the path of the test looked at is painted on the canvas.
 */
import type { FlowTestResult, FlowTestRun } from '@tandem/api-contract';
import type { StoreApi } from 'zustand/vanilla';
import { createStore } from 'zustand/vanilla';
import { type ApiClient, describeError } from '../api/client';
import { pathOverlay } from '../graph/overlays';
import type { DesignerState } from '../store/designer-store';

export interface FlowTestsState {
  /** The latest result of each test, by test id. */
  results: Record<string, FlowTestResult>;
  /** Tests being run now (by id), or `all`. */
  running: ReadonlySet<string>;
  /** The last run's summary. */
  lastRun: Pick<FlowTestRun, 'summary' | 'passed' | 'startedAt' | 'durationMs'> | null;
  error: string | null;
  /** The test whose path the canvas shows. */
  shown: string | null;
}

export function createFlowTests(api: ApiClient, designer: StoreApi<DesignerState>, options: { beforeRun?: () => Promise<void> } = {}) {
  const store = createStore<FlowTestsState>()(() => ({ results: {}, running: new Set(), lastRun: null, error: null, shown: null }));

  const show = (testId: string | null) => {
    const result = testId ? store.getState().results[testId] : undefined;
    store.setState({ shown: result ? testId : null });
    if (result) designer.getState().setOverlay({ kind: 'simulation', path: pathOverlay(result.path, [], designer.getState().edges) });
    else if (designer.getState().overlay.kind === 'simulation') designer.getState().setOverlay({ kind: 'none' });
  };

  return {
    store,
    /** Runs the tests named (all when none), against the saved draft. */
    async run(flowId: string, testIds?: string[]) {
      const ids = testIds ?? (designer.getState().meta?.tests ?? []).map((t) => t.id);
      if (!ids.length) return;
      store.setState((s) => ({ running: new Set([...s.running, ...ids]), error: null }));
      try {
        await options.beforeRun?.();
        const run = await api.runTests(flowId, testIds ? { tests: testIds } : {});
        const results = { ...store.getState().results };
        for (const r of run.tests) results[r.testId] = r;
        store.setState({ results, lastRun: { summary: run.summary, passed: run.passed, startedAt: run.startedAt, durationMs: run.durationMs } });
        // Light the path of the test just run (the first failing one of several).
        const focus = run.tests.find((r) => r.status === 'failed' || r.status === 'error') ?? run.tests[0];
        if (focus) show(focus.testId);
      } catch (e) {
        store.setState({ error: describeError(e) });
      } finally {
        store.setState((s) => ({ running: new Set([...s.running].filter((id) => !ids.includes(id))) }));
      }
    },
    show,
    /** Forgets a deleted test's result. */
    forget(testId: string) {
      const { [testId]: _gone, ...results } = store.getState().results;
      store.setState({ results });
      if (store.getState().shown === testId) show(null);
    },
    dispose() {
      if (designer.getState().overlay.kind === 'simulation' && store.getState().shown) designer.getState().setOverlay({ kind: 'none' });
    },
  };
}

export type FlowTests = ReturnType<typeof createFlowTests>;
