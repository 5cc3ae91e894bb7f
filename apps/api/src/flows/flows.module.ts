import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlowVersionEntity } from './flow-version.entity';
import { FlowEntity } from './flow.entity';

/** Flows: drafts, validation, publishing, versions, diff, rollback, import/export. */
@Module({
  imports: [TypeOrmModule.forFeature([FlowEntity, FlowVersionEntity])],
})
export class FlowsModule {}
