import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { RoutingNotifications } from '@tandem/routing';
import { API_CONFIG, type ApiConfig } from '../config/api-config';

/**
 * One LISTEN connection per API process, shared by every agent's offer stream and the maintenance
 * loop. Opened on first use, so an API that serves no agent never holds it.
 */
@Injectable()
export class RoutingNotificationsService implements OnApplicationShutdown {
  private readonly logger = new Logger(RoutingNotificationsService.name);
  private stream?: Promise<RoutingNotifications>;

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  /** The stream, connecting it the first time. */
  get(): Promise<RoutingNotifications> {
    this.stream ??= RoutingNotifications.listen({ connection: this.config.database.url }).then(
      (stream) => {
        // One listener per open offers stream (and the maintenance loop): hundreds are expected.
        stream.setMaxListeners(0);
        stream.on('error', (err: unknown) => this.logger.warn({ err }, 'routing notification stream trouble; reconnecting'));
        return stream;
      },
      (e: unknown) => {
        this.stream = undefined;
        throw e;
      },
    );
    return this.stream;
  }

  async onApplicationShutdown(): Promise<void> {
    const stream = await this.stream?.catch(() => undefined);
    await stream?.close();
  }
}
