import { waitFor } from '@tandem/testkit';
import { ROUTING_NOTIFY_CHANNEL, RoutingNotifications, type RoutingNotification } from '../src';
import { routingTestContext, type RoutingTestContext } from './helpers';

describe('notification stream', () => {
  let ctx: RoutingTestContext;
  beforeAll(async () => {
    ctx = await routingTestContext('routing_notify');
  });
  afterAll(() => ctx?.close());

  it('reconnects after losing its connection and keeps delivering', async () => {
    const stream = await RoutingNotifications.listen({ connection: ctx.db.url, reconnectDelayMs: 20 });
    const seen: RoutingNotification[] = [];
    let reconnected = 0;
    stream.on('notification', (n: RoutingNotification) => seen.push(n));
    stream.on('reconnected', () => reconnected++);
    const notify = (agentId: string) => ctx.dataSource.query(`SELECT pg_notify($1, $2)`, [ROUTING_NOTIFY_CHANNEL, JSON.stringify({ type: 'offered', agentId })]);
    try {
      await notify('before');
      await waitFor(() => seen.some((n) => n.agentId === 'before'), { what: 'first notification' });
      // The server drops the LISTEN connection (failover, restart, idle killer…).
      await ctx.dataSource.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`,
      );
      await waitFor(() => reconnected > 0, { what: 'reconnect' });
      await notify('after');
      await waitFor(() => seen.some((n) => n.agentId === 'after'), { what: 'notification after reconnecting' });
    } finally {
      await stream.close();
    }
    // Iterators end when the stream closes.
    const items: RoutingNotification[] = [];
    for await (const n of stream) items.push(n);
    expect(items).toEqual([]);
  });
});
