import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorators';
import { Access, type Principal } from '../auth/roles';
import { RequestValidationError } from '../common/errors';
import type { NodeCatalogEntry } from '@tandem/flow';
import { z } from 'zod';
import type { CalendarView, CatalogView, CustomActivityView, ExpressionEnvironmentView, QueueView, RegistrationResult } from '@tandem/api-contract';
import { CustomActivitiesService } from './custom-activities.service';
import { CalendarsService } from './calendars.service';
import { CatalogService } from './catalog.service';
import {
  ActivityParamsDto,
  CalendarDto,
  CalendarParamsDto,
  CatalogDto,
  ExpressionEnvironmentDto,
  NodeTypeDto,
  PutCalendarDto,
  CustomActivityDescriptorDto,
  CustomActivityDto,
  PutQueueDto,
  QueueDto,
  QueueParamsDto,
  RegisterActivitiesDto,
  RegistrationResultDto,
  RegistrationResultsDto,
} from './dto/catalog.dto';
import { QueuesService } from './queues.service';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('v1/catalog')
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly activities: CustomActivitiesService,
    private readonly queues: QueuesService,
    private readonly calendars: CalendarsService,
  ) {}

  @Get()
  @Roles(...Access.readCatalog)
  @ApiOperation({ summary: 'Everything the designer needs at once: node types, expression environment, queues, custom activities, calendars.' })
  @ApiOkResponse({ type: CatalogDto.Output })
  all(): Promise<CatalogView> {
    return this.catalog.all();
  }

  @Get('node-types')
  @Roles(...Access.readCatalog)
  @ApiOperation({ summary: 'Node types (every version) with their ports and config JSON Schemas.' })
  @ApiOkResponse({ type: [NodeTypeDto.Output] })
  nodeTypes(): NodeCatalogEntry[] {
    return this.catalog.nodeTypes();
  }

  @Get('expressions')
  @Roles(...Access.readCatalog)
  @ApiOperation({ summary: 'The CEL environment: variables and their typed fields, live-data functions, flow variable types.' })
  @ApiOkResponse({ type: ExpressionEnvironmentDto.Output })
  expressions(): ExpressionEnvironmentView {
    return this.catalog.expressions();
  }

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
  @ApiConflictResponse({ description: '`activity_contract_changed`: this version is registered with another input or output schema.' })
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
  @ApiConflictResponse({ description: '`duplicate_activity` (a name and version twice), or `activity_contract_changed`; nothing is registered.' })
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
  @Roles(...Access.manageQueues)
  @ApiOperation({ summary: 'Create or replace a human queue in routing: skills, distribution (push/pull), SLA target, business hours, overflow, relaxation, offer timeout, aging.' })
  @ApiOkResponse({ type: QueueDto.Output, description: 'updated' })
  @ApiCreatedResponse({ type: QueueDto.Output, description: 'created' })
  async putQueue(@Param() params: QueueParamsDto, @Body() body: PutQueueDto, @Res({ passthrough: true }) res: Response): Promise<QueueView> {
    const { queue, created } = await this.queues.put(params.name, body);
    res.status(created ? 201 : 200);
    return queue;
  }

  @Get('calendars')
  @Roles(...Access.readCatalog)
  @ApiOperation({ summary: 'Named business-hours calendars.' })
  @ApiOkResponse({ type: [CalendarDto.Output] })
  listCalendars(): Promise<CalendarView[]> {
    return this.calendars.list();
  }

  @Get('calendars/:name')
  @Roles(...Access.readCatalog)
  @ApiOkResponse({ type: CalendarDto.Output })
  getCalendar(@Param() params: CalendarParamsDto): Promise<CalendarView> {
    return this.calendars.get(params.name);
  }

  @Put('calendars/:name')
  @Roles(...Access.design)
  @ApiOperation({ summary: 'Create or update a business-hours calendar (IANA time zone, weekly hours, holidays).' })
  @ApiOkResponse({ type: CalendarDto.Output, description: 'updated' })
  @ApiCreatedResponse({ type: CalendarDto.Output, description: 'created' })
  async putCalendar(@Param() params: CalendarParamsDto, @Body() body: PutCalendarDto, @Res({ passthrough: true }) res: Response): Promise<CalendarView> {
    const { calendar, created } = await this.calendars.put(params.name, body);
    res.status(created ? 201 : 200);
    return calendar;
  }
}
