import { warnItemFailure, type ItemFailure, type ItemFailureHandler } from './item-failures';
import { type RoutingNotifications } from './notifications';
import { startLoop } from './resolutions';
import { type WorkRouter } from './router';

export interface MaintenanceTick {
  expiredOffers: number;
  overflowed: number;
  offersMade: number;
  /** Events of routers without a sink (the worker's offers, say) published through this one's. */
  deferredEventsPublished: number;
  /** Items this tick could not handle (each reported to `onItemFailure`); the others were served. */
  failedItems: number;
}

/**
 * The periodic side of routing, for one process (the API) to run: expire offers that timed out
 * (their items are re-offered), move items past their queue's max wait to the overflow queue,
 * offer queued push-queue items to agents, and publish the events routers without a sink deferred. Runs every `intervalMs` and, when a notification stream is
 * given, as soon as work or capacity appears. Correctness never depends on it running on time: claims
 * compute relaxation and aging from the clock, and an expired offer cannot be accepted.
 *
 * Items are handled one by one: an item that fails (say, its event cannot be built and the sink
 * throws) goes to `onItemFailure` with its id and is tried again later, while the tick serves every
 * other item. `onError` hears only of what stops a whole tick (the database is down); the next tick
 * starts over.
 *
 * @example
 * const stop = startRoutingMaintenance({ router, notifications, intervalMs: 1000 });
 * // on shutdown
 * await stop();
 */
export function startRoutingMaintenance(options: {
  router: WorkRouter;
  notifications?: RoutingNotifications;
  intervalMs?: number;
  onTick?: (tick: MaintenanceTick) => void;
  /** Hears of each item a tick could not handle (with its id and the error); default: a line on stderr. */
  onItemFailure?: ItemFailureHandler;
  onError?: (e: unknown) => void;
}): () => Promise<void> {
  const { router } = options;
  const loop = startLoop(
    async () => {
      let failedItems = 0;
      const onItemFailure = (failure: ItemFailure) => {
        failedItems++;
        (options.onItemFailure ?? warnItemFailure)(failure);
      };
      const expiredOffers = await router.expireOffers({ onItemFailure });
      const overflowed = await router.overflowWaitingItems({ onItemFailure });
      const offersMade = (await router.dispatchOffers({ onItemFailure })).length;
      const deferredEventsPublished = await router.publishDeferredEvents();
      options.onTick?.({ expiredOffers, overflowed, offersMade, deferredEventsPublished, failedItems });
    },
    options.intervalMs ?? 1000,
    options.onError,
  );
  const onNotification = (n: { type: string }) => {
    if (n.type === 'created' || n.type === 'requeued' || n.type === 'agent_available' || n.type === 'capacity_freed' || n.type === 'events_deferred') loop.wake();
  };
  options.notifications?.on('notification', onNotification);
  return async () => {
    options.notifications?.off('notification', onNotification);
    await loop();
  };
}
