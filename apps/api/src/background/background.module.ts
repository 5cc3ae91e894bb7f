import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { BackgroundService } from './background.service';

/** The outbox relay, the event consumers and routing's maintenance loop (see {@link BackgroundService}). */
@Module({ imports: [ContactsModule], providers: [BackgroundService], exports: [BackgroundService] })
export class BackgroundModule {}
