import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorators';
import { Access, type Principal } from '../auth/roles';
import { ContactLauncher, type StartedContact } from './contact-launcher.service';
import { type ContactSummary, ContactsService, type ContactView } from './contacts.service';
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
  @ApiCreatedResponse({ type: StartedContactDto.Output })
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
  list(@Query() query: ListContactsQueryDto): Promise<{ items: ContactSummary[]; nextPageToken: string | null }> {
    return this.contacts.list(query);
  }

  @Get(':contactId')
  @Roles(...Access.readContacts)
  @ApiOperation({ summary: 'The contact\'s state: where it is (steps), the path it took, who has it, the transcript, the handoff package, its work item, its outcome.' })
  @ApiOkResponse({ type: ContactStateDto.Output })
  get(@Param() params: ContactParamsDto): Promise<ContactView> {
    return this.contacts.state(params.contactId);
  }

  @Get(':contactId/transcript')
  @Roles(...Access.readContacts)
  @ApiOperation({ summary: 'The complete conversation, whoever answered (customer, bot, agent, system).' })
  @ApiOkResponse({ type: TranscriptDto.Output })
  transcript(@Param() params: ContactParamsDto) {
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
  message(@Param() params: ContactParamsDto, @Body() body: CustomerMessageDto) {
    return this.contacts.message(params.contactId, body);
  }

  @Post(':contactId/cancel')
  @HttpCode(202)
  @Roles(...Access.cancelContacts)
  @ApiOperation({ summary: 'End a running contact: the customer left, or an operator stops it. Its waiting work item is withdrawn.' })
  @ApiAcceptedResponse({ type: CancelledDto.Output })
  cancel(@Param() params: ContactParamsDto, @Body() body: CancelContactDto) {
    return this.contacts.cancel(params.contactId, body);
  }

  @Post(':contactId/csat')
  @HttpCode(202)
  @Roles(...Access.reportCsat)
  @ApiOperation({ summary: 'Record a satisfaction score (1–5) collected outside Tandem; published as feedback.csat, attributed to the node that handled the contact. One per contact.' })
  @ApiAcceptedResponse({ type: CsatRecordedDto.Output })
  csat(@Param() params: ContactParamsDto, @Body() body: CsatDto) {
    return this.contacts.csat(params.contactId, body);
  }
}
