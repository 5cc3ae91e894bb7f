import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { AgentDeskController } from './agent-desk.controller';
import { AgentDeskService } from './agent-desk.service';
import { OffersStreamService } from './offers-stream.service';

/** The agents' queue API: an agent's own status, claims, offers (and their SSE stream) and work items. */
@Module({ imports: [ContactsModule], controllers: [AgentDeskController], providers: [AgentDeskService, OffersStreamService] })
export class AgentDeskModule {}
