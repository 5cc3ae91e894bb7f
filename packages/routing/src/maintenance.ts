import { type RoutingNotifications } from './notifications';
import { startLoop } from './resolutions';
import { type WorkRouter } from './router';

export interface MaintenanceTick {
  expiredOffers: number;
  overflowed: number;
  offersMade: number;
}

/**
 * The periodic side of routing, for one process (the API) to run: expire offers that timed out
 * (their items are re-offered), move items past their queue's max wait to the overflow queue, and
 * offer queued push-queue items to agents. Runs every `intervalMs` and, when a notification stream is
 * given, as soon as work or capacity appears. Correctness never depends on it running on time: claims
 * compute relaxation and aging from the clock, and an expired offer cannot be accepted.
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
  onError?: (e: unknown) => void;
}): () => Promise<void> {
  const { router } = options;
  const loop = startLoop(
    async () => {
      const expiredOffers = await router.expireOffers();
      const overflowed = await router.overflowWaitingItems();
      const offersMade = (await router.dispatchOffers()).length;
      options.onTick?.({ expiredOffers, overflowed, offersMade });
    },
    options.intervalMs ?? 1000,
    options.onError,
  );
  const onNotification = (n: { type: string }) => {
    if (n.type === 'created' || n.type === 'requeued' || n.type === 'agent_available' || n.type === 'capacity_freed') loop.wake();
  };
  options.notifications?.on('notification', onNotification);
  return async () => {
    options.notifications?.off('notification', onNotification);
    await loop();
  };
}
