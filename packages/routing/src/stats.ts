import { channelSchema, type Channel } from '@tandem/contracts';
import { type DataSource } from 'typeorm';
import { RoutingDb } from './db';
import { RoutingNotFoundError, parseInput } from './errors';
import { noopEventSink } from './events';
import { systemClock, type Clock } from './model';

/** How statistics are computed; the defaults suit a contact centre with minutes-long contacts. */
export interface QueueStatisticsOptions {
  dataSource: DataSource;
  clock?: Clock;
  /** Service level, handle times and abandons look back this far (default 3600 s). */
  windowSeconds?: number;
  /** Handle time assumed before there is data (default 300 s). */
  defaultHandleSeconds?: number;
  /** Below this many completed items in the window, the measured handle time is blended with the default (default 10). */
  minHandleSamples?: number;
  /** At most this many recent items make the handle time (default 200). */
  maxHandleSamples?: number;
  /** The estimate when no agent serving the queue is available (default 3600 s): "long", as a number flows can compare. */
  noAgentsWaitSeconds?: number;
}

/** Why the estimate is what it is. */
export type EwtBasis = 'capacity_free' | 'measured' | 'cold_start' | 'no_agents';

export interface QueueStats {
  queue: string;
  at: Date;
  /** Items waiting for an agent: queued plus offered-not-yet-accepted. */
  waiting: number;
  queued: number;
  offered: number;
  /** Items being handled: assigned or in wrap-up. */
  inService: number;
  /** How long the oldest waiting item has waited, in seconds (0 when none waits). */
  oldestWaitSeconds: number;
  agents: {
    /** Serving the queue and available. */
    available: number;
    /** Available and holding nothing. */
    idle: number;
    /** Holding work (any status but offline). */
    busy: number;
    away: number;
    offline: number;
  };
  serviceLevel: {
    windowSeconds: number;
    targetSeconds: number;
    answered: number;
    answeredWithinTarget: number;
    /** Left while waiting (never answered in this queue). */
    abandonedWaiting: number;
    /** answeredWithinTarget / (answered + abandonedWaiting); null when nothing ended its wait in the window. */
    ratio: number | null;
  };
  /** Average handle time (assignment to completion) over the window's recent items; null without data. */
  averageHandleSeconds: number | null;
  handleSamples: number;
  estimatedWaitSeconds: number;
  ewtBasis: EwtBasis;
}

interface StatsRow {
  sla_target_seconds: number;
  queued: string;
  offered: string;
  in_service: string;
  oldest: Date | null;
  available: string;
  idle: string;
  busy: string;
  away: string;
  offline: string;
  slots: string;
  free_slots: string;
  answered: string;
  within_target: string;
  abandoned_waiting: string;
  aht: number | null;
  aht_samples: string;
}

/**
 * Live numbers per queue, and the estimated wait time (EWT) flows branch on (`queue.ewt("billing")`).
 *
 * EWT for an item joining now, position-based: with Q items already waiting, F free slots among the
 * available agents, S slots in total and average handle time AHT,
 *
 *     EWT = 0                        if Q + 1 ≤ F
 *     EWT = (Q + 1 − F) × AHT / S    otherwise
 *
 * A slot is one agent (or, for a given channel, one unit of that channel's capacity). AHT is the mean
 * handle time of recently completed items, blended with `defaultHandleSeconds` while there are fewer
 * than `minHandleSamples` of them (cold start). With no available agent the estimate is
 * `noAgentsWaitSeconds`.
 */
export class QueueStatistics {
  private readonly db: RoutingDb;
  private readonly now: Clock;
  private readonly windowSeconds: number;
  private readonly defaultHandleSeconds: number;
  private readonly minHandleSamples: number;
  private readonly maxHandleSamples: number;
  private readonly noAgentsWaitSeconds: number;

  constructor(options: QueueStatisticsOptions) {
    this.db = new RoutingDb(options.dataSource, noopEventSink, true);
    this.now = options.clock ?? systemClock;
    this.windowSeconds = options.windowSeconds ?? 3600;
    this.defaultHandleSeconds = options.defaultHandleSeconds ?? 300;
    this.minHandleSamples = options.minHandleSamples ?? 10;
    this.maxHandleSamples = options.maxHandleSamples ?? 200;
    this.noAgentsWaitSeconds = options.noAgentsWaitSeconds ?? 3600;
  }

  /** Statistics of one queue, optionally for one channel only. */
  async queueStats(queue: string, options: { channel?: Channel } = {}): Promise<QueueStats> {
    const channel = options.channel === undefined ? null : parseInput(channelSchema, options.channel, 'channel');
    const now = this.now();
    const [row] = await this.db.run<StatsRow>(STATS, [queue, now, this.windowSeconds, channel, this.maxHandleSamples]);
    if (!row) throw new RoutingNotFoundError('queue', queue);
    const n = (s: string) => Number(s);
    const queued = n(row.queued);
    const offered = n(row.offered);
    const waiting = queued + offered;
    const answered = n(row.answered);
    const withinTarget = n(row.within_target);
    const abandonedWaiting = n(row.abandoned_waiting);
    const samples = n(row.aht_samples);
    const measured = row.aht === null ? null : Number(row.aht);

    const slots = n(row.slots);
    const freeSlots = n(row.free_slots);
    let estimatedWaitSeconds: number;
    let ewtBasis: EwtBasis;
    const effectiveSamples = Math.max(samples, this.minHandleSamples);
    const aht = ((measured ?? 0) * samples + (effectiveSamples - samples) * this.defaultHandleSeconds) / effectiveSamples;
    if (slots === 0) {
      estimatedWaitSeconds = this.noAgentsWaitSeconds;
      ewtBasis = 'no_agents';
    } else if (waiting + 1 <= freeSlots) {
      estimatedWaitSeconds = 0;
      ewtBasis = 'capacity_free';
    } else {
      estimatedWaitSeconds = ((waiting + 1 - freeSlots) * aht) / slots;
      ewtBasis = samples >= this.minHandleSamples ? 'measured' : 'cold_start';
    }

    return {
      queue,
      at: now,
      waiting,
      queued,
      offered,
      inService: n(row.in_service),
      oldestWaitSeconds: row.oldest ? Math.max(0, (now.getTime() - row.oldest.getTime()) / 1000) : 0,
      agents: { available: n(row.available), idle: n(row.idle), busy: n(row.busy), away: n(row.away), offline: n(row.offline) },
      serviceLevel: {
        windowSeconds: this.windowSeconds,
        targetSeconds: row.sla_target_seconds,
        answered,
        answeredWithinTarget: withinTarget,
        abandonedWaiting,
        ratio: answered + abandonedWaiting === 0 ? null : withinTarget / (answered + abandonedWaiting),
      },
      averageHandleSeconds: measured,
      handleSamples: samples,
      estimatedWaitSeconds: Math.round(estimatedWaitSeconds * 10) / 10,
      ewtBasis,
    };
  }

  /** The estimated wait, in seconds, for an item joining the queue now (see the class doc for the formula). */
  async estimatedWaitSeconds(queue: string, options: { channel?: Channel } = {}): Promise<number> {
    return (await this.queueStats(queue, options)).estimatedWaitSeconds;
  }
}

// $1 queue, $2 now, $3 window seconds, $4 channel or null, $5 max handle samples.
const STATS = {
  name: 'routing_queue_stats_v1',
  text: `
WITH q AS (SELECT name, sla_target_seconds FROM routing.queue WHERE name = $1),
items AS (
  SELECT count(*) FILTER (WHERE status = 'queued') AS queued,
         count(*) FILTER (WHERE status = 'offered') AS offered,
         count(*) FILTER (WHERE status IN ('assigned', 'wrapping')) AS in_service,
         min(queued_at) FILTER (WHERE status IN ('queued', 'offered')) AS oldest
  FROM routing.work_item
  WHERE queue_name = $1 AND status IN ('queued', 'offered', 'assigned', 'wrapping') AND ($4::text IS NULL OR channel = $4)
),
members AS (
  SELECT a.status,
         EXISTS (SELECT 1 FROM jsonb_each_text(a.load) l WHERE l.value::int > 0) AS holding,
         CASE WHEN $4::text IS NULL
              THEN CASE WHEN EXISTS (SELECT 1 FROM jsonb_each_text(a.capacity) c WHERE c.value::int > 0) THEN 1 ELSE 0 END
              ELSE COALESCE((a.capacity ->> $4)::int, 0) END AS slots,
         CASE WHEN $4::text IS NULL
              THEN CASE WHEN EXISTS (SELECT 1 FROM jsonb_each_text(a.load) l WHERE l.value::int > 0) THEN 0
                        WHEN EXISTS (SELECT 1 FROM jsonb_each_text(a.capacity) c WHERE c.value::int > 0) THEN 1 ELSE 0 END
              ELSE GREATEST(COALESCE((a.capacity ->> $4)::int, 0) - COALESCE((a.load ->> $4)::int, 0), 0) END AS free_slots
  FROM routing.agent a WHERE $1 = ANY (a.queues)
),
agents AS (
  SELECT count(*) FILTER (WHERE status = 'available') AS available,
         count(*) FILTER (WHERE status = 'available' AND NOT holding) AS idle,
         count(*) FILTER (WHERE status <> 'offline' AND holding) AS busy,
         count(*) FILTER (WHERE status = 'away') AS away,
         count(*) FILTER (WHERE status = 'offline') AS offline,
         COALESCE(sum(slots) FILTER (WHERE status = 'available'), 0) AS slots,
         COALESCE(sum(free_slots) FILTER (WHERE status = 'available'), 0) AS free_slots
  FROM members
),
sl AS (
  SELECT count(*) AS answered,
         count(*) FILTER (WHERE w.answered_at - w.queued_at <= make_interval(secs => q.sla_target_seconds)) AS within_target
  FROM routing.work_item w, q
  WHERE w.queue_name = $1 AND w.answered_at > $2::timestamptz - make_interval(secs => $3) AND w.answered_at <= $2
    AND ($4::text IS NULL OR w.channel = $4)
),
abandoned AS (
  SELECT count(*) AS abandoned_waiting FROM routing.work_item
  WHERE queue_name = $1 AND status = 'abandoned' AND answered_at IS NULL
    AND ended_at > $2::timestamptz - make_interval(secs => $3) AND ended_at <= $2 AND ($4::text IS NULL OR channel = $4)
),
handled AS (
  SELECT EXTRACT(EPOCH FROM (ended_at - assigned_at))::float8 AS seconds FROM routing.work_item
  WHERE queue_name = $1 AND status IN ('completed', 'transferred') AND assigned_at IS NOT NULL
    AND ended_at > $2::timestamptz - make_interval(secs => $3) AND ended_at <= $2 AND ($4::text IS NULL OR channel = $4)
  ORDER BY ended_at DESC LIMIT $5
)
SELECT q.sla_target_seconds, items.*, agents.*, sl.*, abandoned.*,
       (SELECT avg(seconds) FROM handled) AS aht, (SELECT count(*) FROM handled) AS aht_samples
FROM q, items, agents, sl, abandoned`,
};
