import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FlowDiff, FlowExport, FlowList, FlowMetricsView, FlowView, ImportResult, TestedFlowVersionSummary, TestedFlowVersionView, ValidationResult } from '@tandem/api-contract';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorators';
import { Access, type Principal } from '../auth/roles';
import {
  DiffQueryDto,
  ExportQueryDto,
  FlowDiffDto,
  FlowDocumentDto,
  FlowDto,
  FlowExportDto,
  FlowExportResponseDto,
  FlowListDto,
  FlowParamsDto,
  FlowMetricsDto,
  FlowVersionDto,
  FlowVersionParamsDto,
  FlowVersionSummaryDto,
  ImportQueryDto,
  ImportResultDto,
  ListFlowsQueryDto,
  PublishFlowDto,
  RollbackFlowDto,
  UpdateFlowDto,
  ValidateFlowDto,
  ValidationResultDto,
} from './dto/flows.dto';
import { FlowMetricsService } from './flow-metrics.service';
import { FlowsService } from './flows.service';

@ApiTags('flows')
@ApiBearerAuth()
@Controller('v1/flows')
export class FlowsController {
  constructor(
    private readonly flows: FlowsService,
    private readonly metricsService: FlowMetricsService,
  ) {}

  @Post()
  @Roles(...Access.design)
  @ApiOperation({ summary: 'Create a flow from a document (its draft). The document may be incomplete: validate tells what is missing.' })
  @ApiCreatedResponse({ type: FlowDto.Output })
  @ApiConflictResponse({ description: '`flow_exists`: a flow with this id exists.' })
  create(@Body() body: FlowDocumentDto, @CurrentPrincipal() principal: Principal): Promise<FlowView> {
    return this.flows.create(body, principal);
  }

  @Get()
  @Roles(...Access.readFlows)
  @ApiOperation({ summary: 'List flows, most recently edited first.' })
  @ApiOkResponse({ type: FlowListDto.Output })
  list(@Query() query: ListFlowsQueryDto): Promise<FlowList> {
    return this.flows.list(query);
  }

  @Post('import')
  @Roles(...Access.design)
  @ApiOperation({ summary: 'Import an exported flow as a new flow (or, with ?overwrite=true, as the new draft of an existing one). Returns the compiler\'s diagnostics.' })
  @ApiCreatedResponse({ type: ImportResultDto.Output, description: 'a new flow' })
  @ApiOkResponse({ type: ImportResultDto.Output, description: "the new draft of an existing flow (`?overwrite=true`)" })
  @ApiConflictResponse({ description: '`flow_exists`: a flow with this id exists, and `overwrite` is not `true`.' })
  @ApiNotFoundResponse({ description: '`not_found`: the flow being overwritten was deleted meanwhile.' })
  async import(@Body() body: FlowExportDto, @Query() query: ImportQueryDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<ImportResult> {
    const result = await this.flows.import(body, query.overwrite ?? false, principal);
    res.status(result.created ? 201 : 200);
    return result;
  }

  @Get(':flowId')
  @Roles(...Access.readFlows)
  @ApiOperation({ summary: 'A flow with its draft document and revision.' })
  @ApiOkResponse({ type: FlowDto.Output })
  get(@Param() params: FlowParamsDto): Promise<FlowView> {
    return this.flows.get(params.flowId);
  }

  @Put(':flowId')
  @Roles(...Access.design)
  @ApiOperation({ summary: 'Save the draft. `revision` must be the current one (optimistic concurrency): a stale write is a 409.' })
  @ApiOkResponse({ type: FlowDto.Output })
  @ApiConflictResponse({ description: '`stale_revision`: the draft changed since `revision` (details give the current one).' })
  update(@Param() params: FlowParamsDto, @Body() body: UpdateFlowDto, @CurrentPrincipal() principal: Principal): Promise<FlowView> {
    return this.flows.update(params.flowId, body, principal);
  }

  @Delete(':flowId')
  @HttpCode(204)
  @Roles(...Access.design)
  @ApiOperation({ summary: 'Delete a flow that was never published. A published flow cannot be deleted (409): contacts may run it.' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiConflictResponse({ description: '`flow_published`: the flow has published versions.' })
  async delete(@Param() params: FlowParamsDto): Promise<void> {
    await this.flows.delete(params.flowId);
  }

  @Post(':flowId/validate')
  @HttpCode(200)
  @Roles(...Access.design)
  @ApiOperation({ summary: 'Compile the draft (or the document in the body) and return the diagnostics, pinned to nodes, edges and config paths.' })
  @ApiOkResponse({ type: ValidationResultDto.Output })
  validate(@Param() params: FlowParamsDto, @Body() body: ValidateFlowDto): Promise<ValidationResult> {
    return this.flows.validate(params.flowId, body.document);
  }

  @Post(':flowId/publish')
  @Roles(...Access.design)
  @ApiOperation({
    summary:
      "Publish the draft as a new immutable version (document, plan, hash, author, note), once the flow's tests pass: they run first, on the real worker as sandbox contacts. 409 with the diagnostics when it does not compile; 409 `flow_tests_failed` naming the failing test and turn, unless an admin publishes over it with `testOverride.reason` (kept on the version).",
  })
  @ApiCreatedResponse({ type: FlowVersionSummaryDto.Output })
  @ApiConflictResponse({
    description:
      '`flow_invalid` (details carry the diagnostics), `flow_tests_failed` (details: `run`, every test and turn, and `overridable`), `no_changes` since the newest version, or `stale_revision` (also when the draft changed while its tests ran).',
  })
  @ApiForbiddenResponse({ description: '`forbidden`: `testOverride` from someone who is not an admin, while tests fail.' })
  publish(@Param() params: FlowParamsDto, @Body() body: PublishFlowDto, @CurrentPrincipal() principal: Principal): Promise<TestedFlowVersionSummary> {
    return this.flows.publish(params.flowId, body, principal);
  }

  @Post(':flowId/rollback')
  @Roles(...Access.design)
  @ApiOperation({ summary: 'Publish an older version again as the newest. New contacts run it; running contacts keep their version.' })
  @ApiCreatedResponse({ type: FlowVersionSummaryDto.Output })
  @ApiConflictResponse({ description: '`already_latest`: the newest version already publishes that document.' })
  rollback(@Param() params: FlowParamsDto, @Body() body: RollbackFlowDto, @CurrentPrincipal() principal: Principal): Promise<TestedFlowVersionSummary> {
    return this.flows.rollback(params.flowId, body, principal);
  }

  @Get(':flowId/versions')
  @Roles(...Access.readFlows)
  @ApiOperation({ summary: 'Published versions, newest first, with how many open contacts run each and what their tests said (an override of failing tests with its reason).' })
  @ApiOkResponse({ type: [FlowVersionSummaryDto.Output] })
  versions(@Param() params: FlowParamsDto): Promise<TestedFlowVersionSummary[]> {
    return this.flows.versions(params.flowId);
  }

  @Get(':flowId/versions/:version')
  @Roles(...Access.readFlows)
  @ApiOperation({ summary: 'One published version: its document and compiled plan.' })
  @ApiOkResponse({ type: FlowVersionDto.Output })
  version(@Param() params: FlowVersionParamsDto): Promise<TestedFlowVersionView> {
    return this.flows.version(params.flowId, params.version);
  }

  @Get(':flowId/versions/:version/metrics')
  @Roles(...Access.readMetrics)
  @ApiOperation({
    summary:
      'How a published version performs, per node, from the event projections: entered, exits by port, containment, escalations by trigger and reason tag, queue wait and handle times, abandonment, CSAT.',
  })
  @ApiOkResponse({ type: FlowMetricsDto.Output })
  metrics(@Param() params: FlowVersionParamsDto): Promise<FlowMetricsView> {
    return this.metricsService.metrics(params.flowId, params.version);
  }

  @Get(':flowId/diff')
  @Roles(...Access.readFlows)
  @ApiOperation({ summary: 'What changed between two versions (or a version and the draft): flow settings, nodes, config paths, edges.' })
  @ApiOkResponse({ type: FlowDiffDto.Output })
  diff(@Param() params: FlowParamsDto, @Query() query: DiffQueryDto): Promise<FlowDiff> {
    return this.flows.diff(params.flowId, query.from, query.to);
  }

  @Get(':flowId/export')
  @Roles(...Access.readFlows)
  @ApiOperation({ summary: 'Export the draft (or a published version) as portable JSON, for import elsewhere.' })
  @ApiOkResponse({ type: FlowExportResponseDto.Output })
  async export(@Param() params: FlowParamsDto, @Query() query: ExportQueryDto, @Res({ passthrough: true }) res: Response): Promise<FlowExport> {
    const exported = await this.flows.export(params.flowId, query.version);
    const suffix = query.version === undefined ? 'draft' : `v${query.version}`;
    res.setHeader('Content-Disposition', `attachment; filename="${params.flowId}.${suffix}.tandem-flow.json"`);
    return exported;
  }
}
