import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarEntity } from './calendar.entity';
import { CatalogController } from './catalog.controller';
import { CustomActivitiesService } from './custom-activities.service';
import { CustomActivityEntity } from './custom-activity.entity';
import { QueueDirectoryEntity } from './queue.entity';
import { QueuesService } from './queues.service';

/** What the designer needs to draw flows: node types, the expression environment, queues, activities, calendars. */
@Module({
  imports: [TypeOrmModule.forFeature([CustomActivityEntity, QueueDirectoryEntity, CalendarEntity])],
  controllers: [CatalogController],
  providers: [CustomActivitiesService, QueuesService],
  exports: [CustomActivitiesService, QueuesService],
})
export class CatalogModule {}
