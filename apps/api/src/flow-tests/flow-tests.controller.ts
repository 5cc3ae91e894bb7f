import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FlowTestRun } from '@tandem/api-contract';
import { Roles } from '../auth/access.decorators';
import { Access } from '../auth/roles';
import { FlowParamsDto } from '../flows/dto/flows.dto';
import { FlowTestRunDto, RunFlowTestsDto } from './dto/flow-tests.dto';
import { FlowTestsService } from './flow-tests.service';

/** Designers run tests from the designer; CI pipelines with a service key. */
const RUN_TESTS = [...Access.design, 'service'] as const;

@ApiTags('flows')
@ApiBearerAuth()
@Controller('v1/flows')
export class FlowTestsController {
  constructor(private readonly tests: FlowTestsService) {}

  @Post(':flowId/tests/run')
  @HttpCode(200)
  @Roles(...RUN_TESTS)
  @ApiOperation({
    summary:
      "Run the flow's tests (all, or those named) on the real worker as sandbox contacts — the draft's against the compiled draft, or a published version's against its plan — and return the result of each test and turn. 200 whether they pass or not: `passed` says.",
  })
  @ApiOkResponse({ type: FlowTestRunDto.Output })
  @ApiConflictResponse({ description: '`flow_invalid`: the draft does not compile (details carry the diagnostics); `calendar_missing` / `subflow_not_published`: what the flow uses is gone.' })
  @ApiNotFoundResponse({ description: '`not_found`: the flow, the version or a named test does not exist.' })
  run(@Param() params: FlowParamsDto, @Body() body: RunFlowTestsDto): Promise<FlowTestRun> {
    return this.tests.run(params.flowId, body);
  }
}
