import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module';
import { FlowMetricsService } from './flow-metrics.service';
import { FlowResolverService } from './flow-resolver.service';
import { FlowVersionEntity } from './flow-version.entity';
import { FlowEntity } from './flow.entity';
import { FlowsController } from './flows.controller';
import { FlowsService } from './flows.service';
import { OpenContactsService } from './open-contacts.service';

/** Flows: drafts, validation, publishing, versions, diff, rollback, import/export. */
@Module({
  imports: [TypeOrmModule.forFeature([FlowEntity, FlowVersionEntity]), CatalogModule],
  controllers: [FlowsController],
  providers: [FlowsService, FlowResolverService, OpenContactsService, FlowMetricsService],
  exports: [FlowsService, FlowResolverService],
})
export class FlowsModule {}
