import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FlowTestRun, RunFlowTestsRequest } from '@tandem/api-contract';
import { compileFlow, flowDocumentSchema, type Plan } from '@tandem/flow';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors';
import { FlowResolverService } from '../flows/flow-resolver.service';
import { FlowVersionEntity } from '../flows/flow-version.entity';
import { FlowEntity } from '../flows/flow.entity';
import { FlowTestRunner } from './flow-test-runner.service';

/** `POST /v1/flows/:flowId/tests/run`: the draft's tests against the compiled draft, or a version's against its plan. */
@Injectable()
export class FlowTestsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly resolver: FlowResolverService,
    private readonly runner: FlowTestRunner,
  ) {}

  async run(flowId: string, request: RunFlowTestsRequest): Promise<FlowTestRun> {
    const flow = await this.dataSource.getRepository(FlowEntity).findOneBy({ id: flowId });
    if (!flow) throw new NotFoundError('flow', flowId);
    let source: { document: unknown; plan: Plan };
    if (request.version === undefined) {
      const compiled = compileFlow(flow.document, await this.resolver.load());
      if (!compiled.ok) {
        const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
        throw new ConflictError('flow_invalid', `the draft of flow "${flowId}" does not compile, so its tests cannot run: ${errors.length} error(s), first: ${errors[0]?.message ?? 'unknown'}`, {
          diagnostics: compiled.diagnostics,
        });
      }
      source = { document: flow.document, plan: compiled.plan };
    } else {
      const version = await this.dataSource.getRepository(FlowVersionEntity).findOneBy({ flowId, version: request.version });
      if (!version) throw new NotFoundError('flow version', `${flowId}@${request.version}`);
      source = { document: version.document, plan: version.plan as Plan };
    }
    const document = flowDocumentSchema.parse(source.document);
    const wanted = request.tests ? new Set(request.tests) : null;
    for (const id of wanted ?? []) if (!document.tests.some((t) => t.id === id)) throw new NotFoundError('flow test', `${flowId}/${id}`);
    const tests = wanted ? document.tests.filter((t) => wanted.has(t.id)) : document.tests;
    return this.runner.run({ flowId, version: request.version ?? 'draft', document, plan: source.plan, tests });
  }
}
