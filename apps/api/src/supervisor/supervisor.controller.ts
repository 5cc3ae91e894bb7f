import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { StatusChangeDto, SupervisorTransferDto, WorkItemDto, WorkItemIdParamsDto } from '../agent-desk/dto/agent-desk.dto';
import { CurrentPrincipal, Roles } from '../auth/access.decorators';
import { Access, type Principal } from '../auth/roles';
import {
  AgentParamsDto,
  CloseTicketDto,
  DefineAgentDto,
  ListAgentsQueryDto,
  ListTicketsQueryDto,
  ListWorkItemsQueryDto,
  QueueNameParamsDto,
  QueueStatsDto,
  QueueStatsQueryDto,
  QueueWithStatsDto,
  SetAgentStatusDto,
  SupervisorAgentDto,
  TicketDto,
  TicketParamsDto,
  WorkItemWithHistoryDto,
} from './dto/supervisor.dto';
import { SupervisorService } from './supervisor.service';

@ApiTags('supervisor')
@ApiBearerAuth()
@Controller('v1/supervisor')
@Roles(...Access.supervise)
export class SupervisorController {
  constructor(private readonly supervisor: SupervisorService) {}

  @Get('queues')
  @ApiOperation({ summary: 'Every queue with its live statistics: depth, oldest wait, agents, service level, average handle time, estimated wait.' })
  @ApiOkResponse({ type: [QueueWithStatsDto.Output] })
  queues() {
    return this.supervisor.queuesWithStats();
  }

  @Get('queues/:name/stats')
  @ApiOperation({ summary: 'One queue\'s live statistics, optionally for one channel.' })
  @ApiOkResponse({ type: QueueStatsDto.Output })
  queueStats(@Param() params: QueueNameParamsDto, @Query() query: QueueStatsQueryDto) {
    return this.supervisor.queueStats(params.name, query.channel);
  }

  @Get('work-items')
  @ApiOperation({ summary: 'Work items by queue, status, agent or contact (default: waiting and active), oldest in queue first.' })
  @ApiOkResponse({ type: [WorkItemDto.Output] })
  workItems(@Query() query: ListWorkItemsQueryDto) {
    return this.supervisor.workItems(query);
  }

  @Get('work-items/:workItemId')
  @ApiOperation({ summary: 'A work item with its history: every state change, who made it and why.' })
  @ApiOkResponse({ type: WorkItemWithHistoryDto.Output })
  workItem(@Param() params: WorkItemIdParamsDto) {
    return this.supervisor.workItem(params.workItemId);
  }

  @Post('work-items/:workItemId/transfer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move any waiting or active item to another queue, or offer it to an agent; optionally with a new priority.' })
  @ApiOkResponse({ type: WorkItemDto.Output })
  @ApiConflictResponse({ description: '`conflict`: the item is finished or wrapping up, or the agent named cannot take it (status, capacity).' })
  transfer(@Param() params: WorkItemIdParamsDto, @Body() body: SupervisorTransferDto, @CurrentPrincipal() p: Principal) {
    return this.supervisor.transfer(params.workItemId, p.subject, body);
  }

  @Get('agents')
  @ApiOperation({ summary: 'Agents (optionally those serving a queue) with status, load and capacity.' })
  @ApiOkResponse({ type: [SupervisorAgentDto.Output] })
  agents(@Query() query: ListAgentsQueryDto) {
    return this.supervisor.agents(query.queue);
  }

  @Get('agents/:agentId')
  @ApiOkResponse({ type: SupervisorAgentDto.Output })
  agent(@Param() params: AgentParamsDto) {
    return this.supervisor.agent(params.agentId);
  }

  @Put('agents/:agentId')
  @ApiOperation({ summary: 'Define (create or update) an agent: skills with levels, capacity per channel, the queues it serves. New agents start offline.' })
  @ApiOkResponse({ type: SupervisorAgentDto.Output, description: 'updated' })
  @ApiCreatedResponse({ type: SupervisorAgentDto.Output, description: 'created' })
  async defineAgent(@Param() params: AgentParamsDto, @Body() body: DefineAgentDto, @Res({ passthrough: true }) res: Response) {
    const { agent, created } = await this.supervisor.defineAgent(params.agentId, body);
    res.status(created ? 201 : 200);
    return agent;
  }

  @Put('agents/:agentId/status')
  @ApiOperation({ summary: 'Set an agent\'s status (e.g. offline at the end of a shift: its work goes back to the queues).' })
  @ApiOkResponse({ type: StatusChangeDto.Output })
  setAgentStatus(@Param() params: AgentParamsDto, @Body() body: SetAgentStatusDto) {
    return this.supervisor.setAgentStatus(params.agentId, body.status);
  }

  @Get('tickets')
  @ApiOperation({ summary: 'Follow-up and callback tickets flows logged (open first, by due time then priority).' })
  @ApiOkResponse({ type: [TicketDto.Output] })
  tickets(@Query() query: ListTicketsQueryDto) {
    return this.supervisor.listTickets(query);
  }

  @Get('tickets/:ticketId')
  @ApiOkResponse({ type: TicketDto.Output })
  ticket(@Param() params: TicketParamsDto) {
    return this.supervisor.ticket(params.ticketId);
  }

  @Post('tickets/:ticketId/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close an open ticket: done or cancelled, with a resolution. 409 if it is already closed.' })
  @ApiOkResponse({ type: TicketDto.Output })
  @ApiConflictResponse({ description: '`conflict`: the ticket is closed already.' })
  closeTicket(@Param() params: TicketParamsDto, @Body() body: CloseTicketDto, @CurrentPrincipal() p: Principal) {
    return this.supervisor.closeTicket(params.ticketId, p.subject, body);
  }
}
