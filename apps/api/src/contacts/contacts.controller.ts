import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGatewayTimeoutResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorators';
import { Access, type Principal } from '../auth/roles';
import { type Cancelled, type ContactList, type ContactView, type CsatRecorded, maxCustomerMessageLength, type MessageReply, type StartedContact, type TranscriptView } from '@tandem/api-contract';
import { ContactLauncher } from './contact-launcher.service';
import { ContactsService } from './contacts.service';
import {
  CancelContactDto,
  CancelledDto,
  ContactListDto,
  ContactParamsDto,
  ContactStateDto,
  CsatDto,
  CsatRecordedDto,
  CustomerMessageDto,
  ListContactsQueryDto,
  MessageReplyDto,
  StartContactDto,
  StartedContactDto,
  TranscriptDto,
} from './dto/contacts.dto';

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('v1/contacts')
export class ContactsController {
  constructor(
    private readonly launcher: ContactLauncher,
    private readonly contacts: ContactsService,
  ) {}

  @Post()
  @Roles(...Access.startContacts)
  @ApiOperation({
    summary:
      'Start a contact: the newest published version of the flow (or a pinned version, or — designers — the draft), on a channel, for a customer. 201 with the contact id; 200 with created: false when the contactId exists already.',
  })
  @ApiCreatedResponse({ type: StartedContactDto.Output, description: 'started' })
  @ApiBadRequestResponse({ description: `\`message_too_long\`: \`firstMessage\` is over ${maxCustomerMessageLength} characters; or \`validation_failed\`, naming each field in \`errors\`.` })
  @ApiOkResponse({ type: StartedContactDto.Output, description: 'a contact with this `contactId` exists already (`created: false`); nothing was started' })
  @ApiNotFoundResponse({ description: '`not_found`: the flow, or the pinned version, does not exist.' })
  @ApiConflictResponse({
    description:
      'The flow cannot start this contact: `flow_not_published`, `flow_invalid` (a draft that does not compile), `channel_not_accepted`, `subflow_not_published`, `calendar_missing`.',
  })
  @ApiServiceUnavailableResponse({ description: '`temporal_unavailable`: Temporal did not answer in time; retry (nothing was lost).' })
  async start(@Body() body: StartContactDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<StartedContact> {
    if (body.draft && !principal.roles.some((r) => r === 'designer' || r === 'admin')) {
      throw new ForbiddenException('only designers (and admins) may run drafts; integrations start published versions');
    }
    const started = await this.launcher.start({ ...body, origin: { kind: 'api' } });
    res.status(started.created ? 201 : 200);
    return started;
  }

  @Get()
  @Roles(...Access.readContacts)
  @ApiOperation({ summary: 'List contacts by flow, version, channel, step, queue, outcome or status (Temporal visibility), newest first; page with nextPageToken.' })
  @ApiOkResponse({ type: ContactListDto.Output })
  @ApiServiceUnavailableResponse({ description: '`temporal_unavailable`: Temporal did not answer in time; retry (nothing was lost).' })
  list(@Query() query: ListContactsQueryDto): Promise<ContactList> {
    return this.contacts.list(query);
  }

  @Get(':contactId')
  @Roles(...Access.readContacts)
  @ApiOperation({ summary: 'The contact\'s state: where it is (steps), the path it took, who has it, the transcript, the handoff package, its work item, its outcome.' })
  @ApiOkResponse({ type: ContactStateDto.Output })
  @ApiServiceUnavailableResponse({ description: '`contact_unavailable`: no worker answered the state query in time; or `temporal_unavailable`.' })
  get(@Param() params: ContactParamsDto): Promise<ContactView> {
    return this.contacts.state(params.contactId);
  }

  @Get(':contactId/transcript')
  @Roles(...Access.readContacts)
  @ApiOperation({ summary: 'The complete conversation, whoever answered (customer, bot, agent, system).' })
  @ApiOkResponse({ type: TranscriptDto.Output })
  @ApiServiceUnavailableResponse({ description: '`contact_unavailable`: no worker answered the state query in time; or `temporal_unavailable`.' })
  transcript(@Param() params: ContactParamsDto): Promise<TranscriptView> {
    return this.contacts.transcript(params.contactId);
  }

  @Post(':contactId/messages')
  @HttpCode(200)
  @Roles(...Access.messageContacts)
  @ApiOperation({
    summary:
      "Send the customer's message; answers with what the flow replied to it. messageId makes it idempotent. 409 contact_ended once the contact ended; 504 when the flow does not answer in time (the message is kept).",
  })
  @ApiOkResponse({ type: MessageReplyDto.Output })
  @ApiBadRequestResponse({
    description: `\`message_too_long\`: the text is over ${maxCustomerMessageLength} characters (UTF-16 code units, after trimming); or \`validation_failed\` (an empty text, text that cannot be stored: NUL, unpaired surrogates).`,
  })
  @ApiConflictResponse({ description: '`contact_ended`, or `message_refused` by the flow.' })
  @ApiServiceUnavailableResponse({ description: '`temporal_unavailable`: Temporal did not answer in time; retry (nothing was lost).' })
  @ApiGatewayTimeoutResponse({ description: '`contact_unresponsive`: the flow did not answer in time; the message is kept and answered when it runs again.' })
  message(@Param() params: ContactParamsDto, @Body() body: CustomerMessageDto): Promise<MessageReply> {
    return this.contacts.message(params.contactId, body);
  }

  @Post(':contactId/cancel')
  @HttpCode(202)
  @Roles(...Access.cancelContacts)
  @ApiOperation({ summary: 'End a running contact: the customer left, or an operator stops it. Its waiting work item is withdrawn.' })
  @ApiAcceptedResponse({ type: CancelledDto.Output })
  @ApiConflictResponse({ description: '`contact_ended`: the contact is not running.' })
  @ApiServiceUnavailableResponse({ description: '`temporal_unavailable`: Temporal did not answer in time; retry (nothing was lost).' })
  cancel(@Param() params: ContactParamsDto, @Body() body: CancelContactDto): Promise<Cancelled> {
    return this.contacts.cancel(params.contactId, body);
  }

  @Post(':contactId/csat')
  @HttpCode(202)
  @Roles(...Access.reportCsat)
  @ApiOperation({ summary: 'Record a satisfaction score (1–5) collected outside Tandem; published as feedback.csat, attributed to the node that handled the contact. One per contact.' })
  @ApiAcceptedResponse({ type: CsatRecordedDto.Output })
  @ApiConflictResponse({ description: '`csat_already_recorded`, `draft_contact` (a simulation), or `contact_not_started`.' })
  @ApiServiceUnavailableResponse({ description: '`contact_unavailable`: no worker answered the state query in time; or `temporal_unavailable`.' })
  csat(@Param() params: ContactParamsDto, @Body() body: CsatDto): Promise<CsatRecorded> {
    return this.contacts.csat(params.contactId, body);
  }
}
