import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { API_CONFIG, type ApiConfig } from '../config/api-config';

/**
 * The API's Temporal connection and client. Lazy: the API starts (and reports Temporal down on
 * `/health`) while Temporal is unavailable, and connects on first use. Contacts use `client`.
 */
@Injectable()
export class TemporalService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;
  /**
   * A second connection without the SDK's retry interceptor, for the health check: a probe must
   * fail fast, and retry timers must not outlive the application.
   */
  private readonly probe: Connection;

  constructor(@Inject(API_CONFIG) readonly config: ApiConfig) {
    this.connection = Connection.lazy({ address: config.temporal.address, connectTimeout: config.api.healthTimeoutMs });
    this.client = new Client({ connection: this.connection, namespace: config.temporal.namespace });
    this.probe = Connection.lazy({ address: config.temporal.address, connectTimeout: config.api.healthTimeoutMs, interceptors: [] });
  }

  /** Temporal's gRPC health check, bounded by `timeoutMs`. */
  async check(timeoutMs: number): Promise<void> {
    await this.probe.withDeadline(Date.now() + timeoutMs, async () => {
      const response = await this.probe.healthService.check({});
      // SERVING in grpc.health.v1.HealthCheckResponse.ServingStatus
      const serving = 1 as number;
      if ((response.status as number) !== serving) throw new Error(`Temporal reports status ${String(response.status)}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const connection of [this.connection, this.probe]) {
      try {
        await connection.close();
      } catch {
        // A lazy connection that never connected (Temporal was down) has nothing to close.
      }
    }
  }
}
