import { Global, Module } from '@nestjs/common';
import { AgentDeskService } from '../agent-desk/agent-desk.service';
import { CatalogModule } from '../catalog/catalog.module';
import { ContactsModule } from '../contacts/contacts.module';
import { FlowsModule } from '../flows/flows.module';
import { FlowTestRunner } from './flow-test-runner.service';
import { FlowTestsController } from './flow-tests.controller';
import { FlowTestsService } from './flow-tests.service';
import { SandboxContactsService } from './sandbox-contacts.service';
import { SimulatedAgentService } from './simulated-agent.service';

/**
 * Flow tests: running a flow's test conversations as sandbox contacts on the real worker, with a
 * simulated agent acting through the agents' desk. Global, so that publishing (the flows module, which
 * this module needs for the resolver) can run a flow's tests before it publishes.
 */
@Global()
@Module({
  imports: [FlowsModule, ContactsModule, CatalogModule],
  controllers: [FlowTestsController],
  // The agents' desk, as agents use it: its own instance here (its module does not export it).
  providers: [FlowTestRunner, FlowTestsService, SandboxContactsService, SimulatedAgentService, AgentDeskService],
  exports: [FlowTestRunner],
})
export class FlowTestsModule {}
