import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { FlowsModule } from '../flows/flows.module';
import { ContactLauncher } from './contact-launcher.service';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

/** Contacts: start (one workflow each), messages, state, transcript, cancel, list, CSAT. */
@Module({
  imports: [FlowsModule, CatalogModule],
  controllers: [ContactsController],
  providers: [ContactLauncher, ContactsService],
  exports: [ContactLauncher, ContactsService],
})
export class ContactsModule {}
