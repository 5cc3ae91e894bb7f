import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { SupervisorController } from './supervisor.controller';
import { SupervisorService } from './supervisor.service';

/** Supervisors: queue statistics, work items, agents, tickets. */
@Module({ imports: [CatalogModule], controllers: [SupervisorController], providers: [SupervisorService] })
export class SupervisorModule {}
