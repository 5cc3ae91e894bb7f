/**
 * The built-in activities node types bring (worker side; never imported by workflow code): one line
 * per node type that needs any. Each node's executor proxies its own (`builtinActivities<…>()`).
 */
import type { ActivityDependencies } from '../activities/dependencies';
import { createBotActivities } from './bot/activities';
import { createClassifyActivities } from './classify/activities';
import { createEscalateActivities } from './escalate/activities';
import { createSubflowActivities } from './subflow/activities';
import { createTicketActivities } from './ticket/activities';

export function createNodeActivities(deps: ActivityDependencies) {
  return {
    ...createBotActivities(deps),
    ...createClassifyActivities(),
    ...createEscalateActivities(deps),
    ...createTicketActivities(deps),
    ...createSubflowActivities(deps),
  };
}
