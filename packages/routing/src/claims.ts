/** Pull: an agent claims the best item it may take (one statement; see `CLAIM` in sql.ts). */
import { channelSchema, type Channel } from '@tandem/contracts';
import { z } from 'zod';
import { RoutingNotFoundError } from './errors';
import { type AgentStatus, type WorkItem } from './model';
import { type RouterCore } from './router-core';
import { toEvent, toWorkItem, type HistoryRow, type WorkItemRow } from './rows';
import { CLAIM, CLAIM_THOROUGH } from './sql';

export interface ClaimOptions {
  /** Claim only from these of the agent's queues. */
  queues?: string[];
  /** Claim only items of these channels. */
  channels?: Channel[];
}

export const claimOptionsSchema = z.object({
  queues: z.array(z.string().min(1)).max(200).optional(),
  channels: z.array(channelSchema).max(10).optional(),
});

export async function claimNow(core: RouterCore, agentId: string, opts: z.infer<typeof claimOptionsSchema>): Promise<WorkItem | null> {
  const now = core.now();
  const values = [agentId, now, opts.queues ?? null, opts.channels ?? null];
  // A row comes back even when nothing was claimed: it carries how many candidates were seen.
  type ClaimRow = WorkItemRow & { history_seq: string; history_event_id: string; candidates: number };
  const toHistory = (r: ClaimRow): HistoryRow => ({
    seq: r.history_seq,
    event_id: r.history_event_id,
    work_item_id: r.id,
    type: 'assigned',
    from_status: 'queued',
    to_status: 'assigned',
    queue_name: r.queue_name,
    agent_id: agentId,
    actor: `agent:${agentId}`,
    reason: 'claimed',
    details: {},
    at: now,
  });
  const attempt = async (statement: typeof CLAIM): Promise<ClaimRow | undefined> => {
    if (core.db.sinkIsNoop) {
      // One statement, autocommit: the CTE already writes the item, the load and the history atomically.
      return (await core.db.run<ClaimRow>(statement, values))[0];
    }
    return core.db.transaction(async (tx) => {
      const [r] = await tx.query<ClaimRow>(statement, values);
      if (r?.id) tx.events.push(toEvent(toHistory(r), r));
      return r;
    });
  };
  core.counters.claims++;
  let row = await attempt(CLAIM);
  // Every candidate was held by a concurrent claimer: look past them.
  if (row && !row.id && row.candidates > 0) {
    core.counters.thoroughClaims++;
    row = await attempt(CLAIM_THOROUGH);
  }
  if (row?.id) {
    core.counters.claimsAssigned++;
    const { history_seq: _s, history_event_id: _e, candidates: _c, ...item } = row;
    return toWorkItem(item);
  }
  const [agent] = await core.db.run<{ status: AgentStatus }>(`SELECT status FROM routing.agent WHERE id = $1`, [agentId]);
  if (!agent) throw new RoutingNotFoundError('agent', agentId);
  return null;
}
