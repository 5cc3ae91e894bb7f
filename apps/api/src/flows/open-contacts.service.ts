import { Inject, Injectable, Logger } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { TemporalService } from '../infrastructure/temporal.service';

const COUNT_TIMEOUT_MS = 1_500;

/**
 * How many open contacts run each version of a flow. Each contact's workflow carries the search
 * attributes `TandemFlowId` and `TandemFlowVersion` (set by the worker), so Temporal's visibility
 * store answers it. `undefined` when Temporal cannot be asked: the versions list still works. Only
 * contacts on this deployment's task queue count (several deployments may share a namespace).
 */
@Injectable()
export class OpenContactsService {
  private readonly logger = new Logger(OpenContactsService.name);

  constructor(
    private readonly temporal: TemporalService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async byVersion(flowId: string, versions: number[]): Promise<Map<number, number> | undefined> {
    if (!versions.length) return new Map();
    try {
      const counts = await this.temporal.connection.withDeadline(Date.now() + COUNT_TIMEOUT_MS, () =>
        Promise.all(
          versions.map(async (version) => {
            // flowId matches the document id pattern (no quotes), so it is safe inside the query.
            const { count } = await this.temporal.client.workflow.count(
              `TaskQueue = "${this.config.temporal.taskQueue}" AND TandemFlowId = "${flowId}" AND TandemFlowVersion = ${version} AND ExecutionStatus = "Running"`,
            );
            return [version, count] as const;
          }),
        ),
      );
      return new Map(counts);
    } catch (e) {
      this.logger.warn({ err: e, flowId }, 'could not count open contacts per version');
      return undefined;
    }
  }
}
