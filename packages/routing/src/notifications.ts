import { EventEmitter } from 'node:events';
import { Client, type ClientConfig } from 'pg';
import { ROUTING_NOTIFY_CHANNEL, type RoutingNotification } from './db';

export interface RoutingNotificationsOptions {
  /** How to reach the database (a URL or a node-pg client config). */
  connection: string | ClientConfig;
  /** Delay before reconnecting after the connection drops; doubles up to 30 s (default 250 ms). */
  reconnectDelayMs?: number;
}

/**
 * Routing's NOTIFY stream: one dedicated connection LISTENing on `tandem_routing`, as an event
 * emitter and an async iterator. Notifications are hints: after `reconnected` (some may have been
 * missed) a consumer re-reads state, and should poll (`pendingOffersFor`) as a safety net anyway.
 *
 * Events: `notification` (RoutingNotification), `reconnected`, `error` (connection trouble; it keeps
 * reconnecting until closed).
 *
 * @example
 * const stream = await RoutingNotifications.listen({ connection: databaseUrl });
 * for await (const n of stream.forAgent('alice')) sse.send(n); // the API's SSE endpoint
 */
export class RoutingNotifications extends EventEmitter {
  private client: Client | null = null;
  private closed = false;
  private readonly baseDelay: number;

  private constructor(private readonly options: RoutingNotificationsOptions) {
    super();
    this.baseDelay = options.reconnectDelayMs ?? 250;
    // An EventEmitter without an 'error' listener throws; connection trouble is reported, not fatal.
    this.on('error', () => undefined);
  }

  /** Connects and starts listening; resolves once LISTEN is in place. */
  static async listen(options: RoutingNotificationsOptions): Promise<RoutingNotifications> {
    const stream = new RoutingNotifications(options);
    await stream.connect();
    return stream;
  }

  private async connect(): Promise<void> {
    const client = new Client(typeof this.options.connection === 'string' ? { connectionString: this.options.connection } : this.options.connection);
    client.on('notification', (msg) => {
      if (msg.channel !== ROUTING_NOTIFY_CHANNEL || !msg.payload) return;
      try {
        this.emit('notification', JSON.parse(msg.payload) as RoutingNotification);
      } catch (e) {
        this.emit('error', e);
      }
    });
    client.on('error', (e) => {
      this.emit('error', e);
      void this.reconnect(client);
    });
    client.on('end', () => void this.reconnect(client));
    await client.connect();
    await client.query(`LISTEN ${ROUTING_NOTIFY_CHANNEL}`);
    this.client = client;
  }

  private async reconnect(failed: Client): Promise<void> {
    if (this.closed || this.client !== failed) return;
    this.client = null;
    failed.removeAllListeners('end');
    await failed.end().catch(() => undefined);
    for (let delay = this.baseDelay; !this.closed; delay = Math.min(delay * 2, 30_000)) {
      await new Promise((r) => setTimeout(r, delay));
      if (this.closed) return;
      try {
        await this.connect();
        this.emit('reconnected');
        return;
      } catch (e) {
        this.emit('error', e);
      }
    }
  }

  /** Stops listening and closes the connection; iterators end. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    this.emit('close');
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }

  /** Every notification (optionally only those matching `filter`) until `close()`. */
  async *notifications(filter: (n: RoutingNotification) => boolean = () => true): AsyncGenerator<RoutingNotification> {
    const buffer: RoutingNotification[] = [];
    let wake: (() => void) | null = null;
    const onNotification = (n: RoutingNotification) => {
      if (!filter(n)) return;
      buffer.push(n);
      wake?.();
    };
    const onClose = () => wake?.();
    this.on('notification', onNotification);
    this.on('close', onClose);
    try {
      while (!this.closed || buffer.length > 0) {
        const next = buffer.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
    } finally {
      this.off('notification', onNotification);
      this.off('close', onClose);
    }
  }

  /** Notifications about one agent (offers made to it, offers closed, capacity freed). */
  forAgent(agentId: string): AsyncGenerator<RoutingNotification> {
    return this.notifications((n) => n.agentId === agentId);
  }

  [Symbol.asyncIterator](): AsyncGenerator<RoutingNotification> {
    return this.notifications();
  }
}
