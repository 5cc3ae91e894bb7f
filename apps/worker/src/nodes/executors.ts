/**
 * The node executors this worker runs: one line per node type@version (workflow side; the workflow
 * bundle imports this). A test keeps it equal to the flow catalog (packages/flow/src/nodes/index.ts),
 * and docs/runtime.md's "Node by node" table is generated from the executors' `doc`.
 */
import { ExecutorRegistry } from '../workflows/runtime/registry';
import { activityExecutor } from './activity/executor';
import { botExecutor } from './bot/executor';
import { classifyExecutor } from './classify/executor';
import { decisionExecutor } from './decision/executor';
import { distributeExecutor } from './distribute/executor';
import { endExecutor } from './end/executor';
import { escalateExecutor } from './escalate/executor';
import { joinExecutor } from './join/executor';
import { messageExecutor } from './message/executor';
import { parallelExecutor } from './parallel/executor';
import { scheduleExecutor } from './schedule/executor';
import { setExecutor } from './set/executor';
import { startExecutor } from './start/executor';
import { subflowExecutorV1 } from './subflow/executor.v1';
import { subflowExecutorV2 } from './subflow/executor.v2';
import { surveyExecutor } from './survey/executor';
import { ticketExecutor } from './ticket/executor';
import { waitExecutor } from './wait/executor';

export const executors = new ExecutorRegistry([
  startExecutor,
  botExecutor,
  classifyExecutor,
  decisionExecutor,
  distributeExecutor,
  setExecutor,
  escalateExecutor,
  parallelExecutor,
  joinExecutor,
  messageExecutor,
  waitExecutor,
  scheduleExecutor,
  ticketExecutor,
  surveyExecutor,
  activityExecutor,
  subflowExecutorV1,
  subflowExecutorV2,
  endExecutor,
]);
