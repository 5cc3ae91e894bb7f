import { subflowExecutor } from './executor';

export const subflowExecutorV2 = subflowExecutor(
  2,
  'as version 1, plus an `error` exit taken when the child fails, times out or is terminated, or its plan cannot be loaded; the caller first withdraws the work items the child left queued or with an agent (the child can no longer answer them)',
);
