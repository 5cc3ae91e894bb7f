import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { maxCustomerMessageLength } from '@tandem/api-contract';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorators';
import { Access, type Principal } from '../auth/roles';
import { ApiError } from '../common/errors';
import { AgentDeskService } from './agent-desk.service';
import {
  AgentDto,
  AgentMessageDto,
  ClaimDto,
  ClaimResultDto,
  CompleteDto,
  ComplianceBlockedDto,
  EmptyBodyDto,
  MessageSentDto,
  OfferIdParamsDto,
  PendingOfferDto,
  RejectDto,
  SetStatusDto,
  StatusChangeDto,
  TransferDto,
  WorkItemDetailDto,
  WorkItemDto,
  WorkItemIdParamsDto,
} from './dto/agent-desk.dto';
import { OffersStreamService } from './offers-stream.service';

/** The calling agent's id (from its token); agents without one cannot use the desk. */
function agentOf(principal: Principal): string {
  if (!principal.agentId) throw new ApiError(403, 'forbidden', 'this credential names no agent (agentId); the agent desk acts for one agent only');
  return principal.agentId;
}

@ApiTags('agent desk')
@ApiBearerAuth()
@ApiNotFoundResponse({
  description: '`agent_not_defined`: the agent your token names is not defined in routing; `not_found`: the offer or work item is not yours (or does not exist).',
})
@Controller('v1/agent')
@Roles(...Access.agentDesk)
export class AgentDeskController {
  constructor(
    private readonly desk: AgentDeskService,
    private readonly offersStream: OffersStreamService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Me, as routing knows me: skills, capacity and load per channel, queues, status.' })
  @ApiOkResponse({ type: AgentDto.Output })
  me(@CurrentPrincipal() p: Principal) {
    return this.desk.me(agentOf(p));
  }

  @Put('status')
  @ApiOperation({ summary: 'Set my status. available: I receive work; away: I keep my work but get no new work; offline: my offers and assigned items go back to their queues.' })
  @ApiOkResponse({ type: StatusChangeDto.Output })
  setStatus(@CurrentPrincipal() p: Principal, @Body() body: SetStatusDto) {
    return this.desk.setStatus(agentOf(p), body.status);
  }

  @Post('claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Claim the best item I may take now (priority, then age; my skills, capacity and queues). workItem is null when there is none.' })
  @ApiOkResponse({ type: ClaimResultDto.Output })
  claim(@CurrentPrincipal() p: Principal, @Body() body: ClaimDto) {
    return this.desk.claim(agentOf(p), body);
  }

  @Get('offers')
  @ApiOperation({ summary: 'My pending offers (push queues), oldest first. The stream below delivers them as they come.' })
  @ApiOkResponse({ type: [PendingOfferDto.Output] })
  offers(@CurrentPrincipal() p: Principal) {
    return this.desk.offers(agentOf(p));
  }

  @Get('offers/stream')
  @ApiOperation({
    summary:
      'Server-Sent Events: `offer` (a pending offer with its work item; on connect, every offer still pending), `offer_closed`, `ready`, and `: ping` heartbeats. Reconnect freely: pending offers are sent again.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream', schema: { type: 'string' } })
  async stream(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.offersStream.open(agentOf(p), req, res);
  }

  @Post('offers/:offerId/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an offer made to me: the item is assigned to me. 409 once it expired.' })
  @ApiOkResponse({ type: WorkItemDto.Output })
  @ApiConflictResponse({ description: '`conflict`: the offer expired or was answered already.' })
  accept(@CurrentPrincipal() p: Principal, @Param() params: OfferIdParamsDto, @Body() _body: EmptyBodyDto) {
    return this.desk.accept(agentOf(p), params.offerId);
  }

  @Post('offers/:offerId/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline an offer made to me: the item goes back to its queue and is offered to the next agent.' })
  @ApiOkResponse({ type: WorkItemDto.Output })
  @ApiConflictResponse({ description: '`conflict`: the offer expired or was answered already.' })
  reject(@CurrentPrincipal() p: Principal, @Param() params: OfferIdParamsDto, @Body() body: RejectDto) {
    return this.desk.reject(agentOf(p), params.offerId, body.reason);
  }

  @Get('work-items')
  @ApiOperation({ summary: 'The items I hold: offered to me, assigned to me, in my wrap-up.' })
  @ApiOkResponse({ type: [WorkItemDto.Output] })
  myItems(@CurrentPrincipal() p: Principal) {
    return this.desk.myItems(agentOf(p));
  }

  @Get('work-items/:workItemId')
  @ApiOperation({ summary: 'One of my items with its full handoff package, the live conversation and the AI-assist suggestions. 404 for items that are not mine.' })
  @ApiOkResponse({ type: WorkItemDetailDto.Output })
  detail(@CurrentPrincipal() p: Principal, @Param() params: WorkItemIdParamsDto) {
    return this.desk.detail(agentOf(p), params.workItemId);
  }

  @Post('work-items/:workItemId/messages')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Send a message to the customer of an item assigned to me; it joins the transcript and goes out on the contact's channel. It is checked for compliance first: a `block` finding (a card number, a full IBAN) refuses it with 422 and nothing is sent; `warn` findings (an account number written out, a required disclosure not made yet) are sent with it, flagged, and returned.",
  })
  @ApiAcceptedResponse({ type: MessageSentDto.Output })
  @ApiBadRequestResponse({ description: `\`message_too_long\`: the text is over ${maxCustomerMessageLength} characters; or \`validation_failed\` (an empty text, unknown fields).` })
  @ApiUnprocessableEntityResponse({ type: ComplianceBlockedDto.Output, description: '`compliance_blocked`: nothing was sent; `details.findings` lists what the check found.' })
  @ApiConflictResponse({ description: '`not_in_conversation`: the item is not assigned to you now; `contact_ended`.' })
  @ApiServiceUnavailableResponse({ description: '`temporal_unavailable`: Temporal did not answer in time; send it again.' })
  message(@CurrentPrincipal() p: Principal, @Param() params: WorkItemIdParamsDto, @Body() body: AgentMessageDto) {
    return this.desk.message(agentOf(p), params.workItemId, body.text);
  }

  @Post('work-items/:workItemId/wrap-up')
  @HttpCode(200)
  @ApiOperation({ summary: 'The conversation is over; after-contact work begins (the item still counts against my capacity).' })
  @ApiOkResponse({ type: WorkItemDto.Output })
  @ApiConflictResponse({ description: '`conflict`: you do not hold the item, or it is not assigned.' })
  wrapUp(@CurrentPrincipal() p: Principal, @Param() params: WorkItemIdParamsDto, @Body() _body: EmptyBodyDto) {
    return this.desk.wrapUp(agentOf(p), params.workItemId);
  }

  @Post('work-items/:workItemId/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete an item with an outcome and reason tags. The contact\'s flow continues from its escalate node (resolved, transferred, abandoned).' })
  @ApiOkResponse({ type: WorkItemDto.Output })
  @ApiConflictResponse({ description: '`conflict`: you do not hold the item, or it is finished already.' })
  complete(@CurrentPrincipal() p: Principal, @Param() params: WorkItemIdParamsDto, @Body() body: CompleteDto) {
    return this.desk.complete(agentOf(p), params.workItemId, body);
  }

  @Post('work-items/:workItemId/transfer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Transfer an item I hold to another queue, or offer it to another agent; the handoff package stays and my note is added.' })
  @ApiOkResponse({ type: WorkItemDto.Output })
  @ApiConflictResponse({ description: '`conflict`: you do not hold the item, or the agent named cannot take it (status, capacity).' })
  transfer(@CurrentPrincipal() p: Principal, @Param() params: WorkItemIdParamsDto, @Body() body: TransferDto) {
    return this.desk.transfer(agentOf(p), params.workItemId, body);
  }

  @Post('release')
  @HttpCode(200)
  @ApiOperation({ summary: 'Release my work and go offline (end of shift): offers and assigned items go back to their queues; wrap-ups stay mine.' })
  @ApiOkResponse({ type: StatusChangeDto.Output })
  release(@CurrentPrincipal() p: Principal, @Body() _body: EmptyBodyDto) {
    return this.desk.release(agentOf(p));
  }
}
