import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorators';
import { Access, type Principal } from '../auth/roles';
import { RequestValidationError } from '../common/errors';
import { z } from 'zod';
import { type CustomActivityView, CustomActivitiesService, type RegistrationResult } from './custom-activities.service';
import {
  ActivityParamsDto,
  CustomActivityDescriptorDto,
  CustomActivityDto,
  PutQueueDto,
  QueueDto,
  QueueParamsDto,
  RegisterActivitiesDto,
  RegistrationResultDto,
  RegistrationResultsDto,
} from './dto/catalog.dto';
import { type QueueView, QueuesService } from './queues.service';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('v1/catalog')
export class CatalogController {
  constructor(
    private readonly activities: CustomActivitiesService,
    private readonly queues: QueuesService,
  ) {}

  @Get('activities')
  @Roles(...Access.readCatalog)
  @ApiOperation({ summary: 'Custom activities registered by workers (newest version of each), for the palette.' })
  @ApiOkResponse({ type: [CustomActivityDto.Output] })
  listActivities(): Promise<CustomActivityView[]> {
    return this.activities.list();
  }

  @Get('activities/:name')
  @Roles(...Access.readCatalog)
  @ApiOperation({ summary: 'One custom activity: its newest version and the versions registered.' })
  @ApiOkResponse({ type: CustomActivityDto.Output })
  getActivity(@Param() params: ActivityParamsDto): Promise<CustomActivityView> {
    return this.activities.get(params.name);
  }

  @Put('activities/:name')
  @Roles(...Access.registerActivities)
  @ApiOperation({ summary: 'Register (upsert) one custom activity descriptor. Changing the input or output schema of a registered version is a 409.' })
  @ApiOkResponse({ type: RegistrationResultDto.Output })
  async putActivity(@Param() params: ActivityParamsDto, @Body() body: CustomActivityDescriptorDto, @CurrentPrincipal() principal: Principal): Promise<RegistrationResult> {
    if (body.name !== params.name) {
      throw new RequestValidationError('body', new z.ZodError([{ code: 'custom', path: ['name'], message: `must equal the name in the path ("${params.name}")`, input: body.name }]));
    }
    const [result] = await this.activities.register([body], principal.subject);
    return result!;
  }

  @Post('activities/register')
  @HttpCode(200)
  @Roles(...Access.registerActivities)
  @ApiOperation({ summary: 'Register a worker\'s custom activities at once (all or none); idempotent, so workers call it at every start.' })
  @ApiOkResponse({ type: RegistrationResultsDto.Output })
  async registerActivities(@Body() body: RegisterActivitiesDto, @CurrentPrincipal() principal: Principal): Promise<{ results: RegistrationResult[] }> {
    return { results: await this.activities.register(body.activities, principal.subject) };
  }

  @Get('queues')
  @Roles(...Access.readCatalog)
  @ApiOperation({ summary: 'Human queues flows may escalate to.' })
  @ApiOkResponse({ type: [QueueDto.Output] })
  listQueues(): Promise<QueueView[]> {
    return this.queues.list();
  }

  @Get('queues/:name')
  @Roles(...Access.readCatalog)
  @ApiOkResponse({ type: QueueDto.Output })
  getQueue(@Param() params: QueueParamsDto): Promise<QueueView> {
    return this.queues.get(params.name);
  }

  @Put('queues/:name')
  @Roles(...Access.design)
  @ApiOperation({ summary: 'Create or update a queue (interim: routing owns queues once it lands).' })
  @ApiOkResponse({ type: QueueDto.Output, description: 'updated' })
  @ApiCreatedResponse({ type: QueueDto.Output, description: 'created' })
  async putQueue(@Param() params: QueueParamsDto, @Body() body: PutQueueDto, @Res({ passthrough: true }) res: Response): Promise<QueueView> {
    const { queue, created } = await this.queues.put(params.name, body);
    res.status(created ? 201 : 200);
    return queue;
  }
}
