import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarEntity } from './calendar.entity';
import { CalendarsService } from './calendars.service';
import { CatalogService } from './catalog.service';
import { CatalogController } from './catalog.controller';
import { CustomActivitiesService } from './custom-activities.service';
import { CustomActivityEntity } from './custom-activity.entity';
import { QueuesService } from './queues.service';

/** What the designer needs to draw flows: node types, the expression environment, queues, activities, calendars. */
@Module({
  imports: [TypeOrmModule.forFeature([CustomActivityEntity, CalendarEntity])],
  controllers: [CatalogController],
  providers: [CatalogService, CustomActivitiesService, QueuesService, CalendarsService],
  exports: [CustomActivitiesService, QueuesService, CalendarsService],
})
export class CatalogModule {}
