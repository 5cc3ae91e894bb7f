import { Global, Module } from '@nestjs/common';
import { KafkaService } from './kafka.service';
import { TemporalService } from './temporal.service';

/** Clients of the services Tandem runs on (Temporal, Kafka); PostgreSQL comes through TypeORM. */
@Global()
@Module({ providers: [TemporalService, KafkaService], exports: [TemporalService, KafkaService] })
export class InfrastructureModule {}
