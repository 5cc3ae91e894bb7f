import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { type RoutingNotification, WorkRouter } from '@tandem/routing';
import type { Request, Response } from 'express';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { RoutingNotificationsService } from '../routing/routing-notifications.service';
import { AgentDeskService } from './agent-desk.service';
import { toPendingOfferView } from './work-item.view';

/**
 * An agent's offers as a Server-Sent Events stream (`text/event-stream`):
 *
 * - `offer` (id: the offer id) — a pending offer with its work item, on connect for every offer still
 *   pending and then as routing makes them;
 * - `offer_closed` (id: the offer id) — accepted, rejected, expired or revoked;
 * - `ready` — after the offers pending at connect time were sent;
 * - a `: ping` comment every `TANDEM_API_SSE_HEARTBEAT_MS`.
 *
 * Routing's NOTIFY stream makes it immediate; re-reading `pendingOffersFor` on connect, after the
 * notification connection comes back and every `TANDEM_API_SSE_POLL_MS` makes it safe: a missed
 * notification delays an offer, never loses it. A client that reconnects simply receives the offers
 * still pending again (ids let it drop the ones it knows).
 */
@Injectable()
export class OffersStreamService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(OffersStreamService.name);
  /** Ends each open stream: the HTTP server cannot close while they are open. */
  private readonly openStreams = new Set<() => void>();

  constructor(
    private readonly desk: AgentDeskService,
    private readonly router: WorkRouter,
    private readonly notifications: RoutingNotificationsService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async open(agentId: string, req: Request, res: Response): Promise<void> {
    await this.desk.me(agentId); // 404 before the stream starts, while a status can still be sent
    const stream = await this.notifications.get();
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 2000\n\n');

    let closed = false;
    const send = (event: string, id: string | null, data: unknown) => {
      if (closed) return;
      res.write(`event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    };
    const known = new Map<string, string>(); // offer id → work item id
    const sync = async () => {
      const pending = await this.router.pendingOffersFor(agentId);
      const now = new Set(pending.map((p) => p.offer.id));
      for (const p of pending) {
        if (known.has(p.offer.id)) continue;
        known.set(p.offer.id, p.workItem.id);
        send('offer', p.offer.id, toPendingOfferView(p));
      }
      for (const [offerId, workItemId] of known) {
        if (now.has(offerId)) continue;
        known.delete(offerId);
        send('offer_closed', offerId, { offerId, workItemId });
      }
    };
    // One sync at a time, and at most one waiting behind it: bursts of notifications coalesce.
    let running: Promise<void> = Promise.resolve();
    let queued = false;
    const schedule = () => {
      if (queued || closed) return;
      queued = true;
      running = running.then(async () => {
        queued = false;
        if (closed) return;
        await sync().catch((err: unknown) => this.logger.warn({ err, agentId }, 'could not read pending offers for the stream'));
      });
    };
    const onNotification = (n: RoutingNotification) => {
      if (n.agentId === agentId && (n.type === 'offered' || n.type === 'offer_closed')) schedule();
    };
    stream.on('notification', onNotification);
    stream.on('reconnected', schedule);
    const heartbeat = setInterval(() => !closed && res.write(`: ping ${new Date().toISOString()}\n\n`), this.config.api.sseHeartbeatMs);
    const poll = setInterval(schedule, this.config.api.ssePollMs);
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      clearInterval(poll);
      stream.off('notification', onNotification);
      stream.off('reconnected', schedule);
    };
    const end = () => {
      close();
      res.end();
    };
    this.openStreams.add(end);
    req.on('close', close);
    res.on('close', () => {
      close();
      this.openStreams.delete(end);
    });
    schedule();
    await running;
    send('ready', null, { agentId, pendingOffers: known.size });
  }

  beforeApplicationShutdown(): void {
    for (const end of [...this.openStreams]) end();
    this.openStreams.clear();
  }
}
