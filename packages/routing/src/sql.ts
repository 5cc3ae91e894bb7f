import { ROUTING_NOTIFY_CHANNEL, type Statement } from './db';

// The statements on hot paths have names: node-pg prepares them once per connection, and PostgreSQL
// then reuses their plans instead of planning a large CTE on every claim.

/** Effective priority of work item `w` in queue `q` at time $now: base priority plus capped aging. */
const effectivePriority = (item: string, now: string) =>
  `(${item}.priority + LEAST(q.aging_cap, q.aging_per_minute * EXTRACT(EPOCH FROM (${now} - ${item}.queued_at))::float8 / 60))`;

/** A work item's columns as the services return them (without the derived skill tokens). */
export const WORK_ITEM_COLUMNS = (alias: string): string =>
  [
    'id', 'workflow_id', 'step_id', 'visit', 'contact_id', 'queue_name', 'channel', 'priority', 'requested_skills', 'required_skills',
    'handoff', 'notes', 'status', 'agent_id', 'attempts', 'outcome', 'reason_tags', 'resolution_note', 'created_at', 'queued_at',
    'answered_at', 'assigned_at', 'wrapping_at', 'ended_at', 'updated_at',
  ]
    .map((c) => `${alias}.${c}`)
    .join(', ');

const waited = (now: string) => `EXTRACT(EPOCH FROM (${now} - w.queued_at))::float8`;

/**
 * Claim: the best queued item the agent may take, assigned atomically, with its history row.
 *
 * Within one queue and one base priority, aging never reorders items (same rate, same cap), so the
 * best item overall is the oldest eligible item of some (queue, base priority) pair. `heads` walks the
 * distinct base priorities of the agent's aging queues through the index (a loose index scan); a queue
 * without aging needs one head (`flat`), as its index order is the order. `candidates` takes each
 * head's first eligible item (an index scan that stops at the first match).
 * The one with the highest aged priority that no other transaction holds is locked
 * (`FOR UPDATE SKIP LOCKED`) and assigned. The cost follows the number of heads, not the queue depth.
 *
 * The agent row is locked first: it serializes one agent's claims, and its `load` counters (read from
 * the locked, latest row version) decide which channels still have capacity.
 *
 * Two variants share this shape. The fast one reads the candidates (a few per head) without locking
 * and locks only the winner; when concurrent claimers hold every candidate it returns none
 * (`candidates > 0`, no item)
 * and the caller runs the thorough one, which locks each head's first *unlocked* eligible item, so it
 * always finds an item if one is free.
 *
 * The claim's history row and the contact's `workItemAssigned` signal (its outbox row) are written by
 * the same statement.
 *
 * $1 agent id, $2 now, $3 only these queues (null: all of the agent's), $4 only these channels (null: any).
 */
/**
 * How many of each head's oldest eligible items the fast claim considers, so a concurrent claimer
 * taking the first is not fatal. Each costs an index tuple and a row lookup per head (about ten heads
 * per claim in the benchmark); with claims limited to a few at once (`maxConcurrentClaims`) two are
 * plenty — the benchmark never needed the thorough pass with one, two or three.
 */
const FAST_CANDIDATES_PER_HEAD = 2;

function claimStatement(name: string, thorough: boolean): Statement {
  return {
    name,
    text: `
WITH RECURSIVE
me AS (
  SELECT a.id, a.skills, a.skill_tokens,
    ARRAY(SELECT qn FROM unnest(a.queues) qn WHERE $3::text[] IS NULL OR qn = ANY ($3::text[])) AS queues,
    ARRAY(SELECT c.key FROM jsonb_each_text(a.capacity) c
          WHERE c.value::int > COALESCE((a.load ->> c.key)::int, 0) AND ($4::text[] IS NULL OR c.key = ANY ($4::text[]))) AS open_channels
  FROM routing.agent a
  WHERE a.id = $1 AND a.status = 'available'
  FOR UPDATE
),
heads AS (
  -- Aging queues: one head per distinct base priority (a loose index scan).
  SELECT q.name AS queue_name,
    (SELECT max(w.priority) FROM routing.work_item w WHERE w.status = 'queued' AND w.queue_name = q.name) AS priority
  FROM routing.queue q JOIN me ON q.name = ANY (me.queues)
  WHERE q.aging_per_minute > 0 AND q.aging_cap > 0 AND cardinality(me.open_channels) > 0
    -- A queue whose own skills the agent lacks, even fully relaxed, has nothing for it.
    AND q.floor_tokens <@ me.skill_tokens
  UNION ALL
  SELECT h.queue_name,
    (SELECT max(w.priority) FROM routing.work_item w WHERE w.status = 'queued' AND w.queue_name = h.queue_name AND w.priority < h.priority)
  FROM heads h WHERE h.priority IS NOT NULL
),
flat AS (
  -- Queues without aging: their index order (priority, then age) is the order, one head each.
  SELECT q.name AS queue_name
  FROM routing.queue q JOIN me ON q.name = ANY (me.queues)
  WHERE NOT (q.aging_per_minute > 0 AND q.aging_cap > 0) AND cardinality(me.open_channels) > 0
    AND q.floor_tokens <@ me.skill_tokens
),
candidates AS (
  SELECT c.id, c.queued_at, ${effectivePriority('c', '$2::timestamptz')} AS effective_priority
  FROM heads h
  JOIN routing.queue q ON q.name = h.queue_name
  CROSS JOIN me
  CROSS JOIN LATERAL (
    SELECT w.id, w.priority, w.queued_at FROM routing.work_item w
    WHERE w.status = 'queued' AND w.queue_name = h.queue_name AND w.priority = h.priority
      AND w.channel = ANY (me.open_channels)
      AND (w.required_tokens <@ me.skill_tokens
           OR (q.relaxation <> '[]'::jsonb AND routing.skills_met(w.required_skills, q.relaxation, ${waited('$2::timestamptz')}, me.skills)))
    ORDER BY w.queued_at, w.id
    LIMIT ${thorough ? '1 FOR UPDATE SKIP LOCKED' : String(FAST_CANDIDATES_PER_HEAD)}
  ) c
  WHERE h.priority IS NOT NULL
  UNION ALL
  SELECT c.id, c.queued_at, c.priority::float8 AS effective_priority
  FROM flat f
  JOIN routing.queue q ON q.name = f.queue_name
  CROSS JOIN me
  CROSS JOIN LATERAL (
    SELECT w.id, w.priority, w.queued_at FROM routing.work_item w
    WHERE w.status = 'queued' AND w.queue_name = f.queue_name
      AND w.channel = ANY (me.open_channels)
      AND (w.required_tokens <@ me.skill_tokens
           OR (q.relaxation <> '[]'::jsonb AND routing.skills_met(w.required_skills, q.relaxation, ${waited('$2::timestamptz')}, me.skills)))
    ORDER BY w.priority DESC, w.queued_at, w.id
    LIMIT ${thorough ? '1 FOR UPDATE SKIP LOCKED' : String(FAST_CANDIDATES_PER_HEAD)}
  ) c
),
chosen AS (${
      thorough
        ? `
  SELECT id FROM candidates ORDER BY effective_priority DESC, queued_at, id LIMIT 1`
        : `
  SELECT w.id FROM candidates c JOIN routing.work_item w ON w.id = c.id
  WHERE w.status = 'queued'
  ORDER BY c.effective_priority DESC, c.queued_at, c.id
  LIMIT 1
  FOR UPDATE OF w SKIP LOCKED`
    }
),
claimed AS (
  UPDATE routing.work_item w
  SET status = 'assigned', agent_id = $1, assigned_at = $2, answered_at = COALESCE(w.answered_at, $2), updated_at = $2
  FROM chosen WHERE w.id = chosen.id
  RETURNING ${WORK_ITEM_COLUMNS('w')}
),
load AS (
  UPDATE routing.agent a
  SET load = jsonb_set(a.load, ARRAY[claimed.channel], to_jsonb(COALESCE((a.load ->> claimed.channel)::int, 0) + 1)),
      last_idle_since = NULL, updated_at = $2
  FROM claimed WHERE a.id = $1
),
history AS (
  INSERT INTO routing.work_item_history (work_item_id, type, from_status, to_status, queue_name, agent_id, actor, reason, at)
  SELECT claimed.id, 'assigned', 'queued', 'assigned', claimed.queue_name, $1, 'agent:' || $1, 'claimed', $2 FROM claimed
  RETURNING *
),
assignment AS (
  -- The workItemAssigned signal to the contact, committed with the claim (delivered by AssignmentOutbox).
  INSERT INTO routing.assignment_delivery (event_id, work_item_id, workflow_id, agent_id, assigned_at, status, next_attempt_at, created_at)
  SELECT history.event_id, claimed.id, claimed.workflow_id, $1, $2, 'pending', $2, $2 FROM claimed, history
)
SELECT claimed.*, history.seq AS history_seq, history.event_id AS history_event_id, n.candidates
FROM (SELECT count(*)::int AS candidates FROM candidates) n
LEFT JOIN claimed ON true LEFT JOIN history ON true`,
  };
}

export const CLAIM = claimStatement('routing_claim_fast_v4', false);
export const CLAIM_THOROUGH = claimStatement('routing_claim_thorough_v4', true);

/** Queued items of push queues that some available agent could hold, best first. $1 now, $2 queues (null: all), $3 limit. */
export const DISPATCH_CANDIDATES: Statement = {
  name: 'routing_dispatch_candidates_v1',
  text: `
WITH open AS (
  SELECT DISTINCT qn AS queue_name, c.key AS channel
  FROM routing.agent a CROSS JOIN LATERAL unnest(a.queues) qn CROSS JOIN LATERAL jsonb_each_text(a.capacity) c
  WHERE a.status = 'available' AND c.value::int > COALESCE((a.load ->> c.key)::int, 0)
)
SELECT w.id FROM routing.work_item w
JOIN routing.queue q ON q.name = w.queue_name
JOIN open o ON o.queue_name = w.queue_name AND o.channel = w.channel
WHERE w.status = 'queued' AND q.distribution = 'push' AND ($2::text[] IS NULL OR w.queue_name = ANY ($2::text[]))
ORDER BY ${effectivePriority('w', '$1::timestamptz')} DESC, w.queued_at, w.id
LIMIT $3`,
};

/**
 * The agent to offer an item to: available, serving the queue, with capacity on the channel and the
 * skills (after relaxation); first those not yet offered this item, then the least loaded, then the
 * longest idle. Skips agents another transaction holds.
 * $1 queue, $2 channel, $3 required skills, $4 relaxation, $5 seconds waited, $6 work item id,
 * $7 required skill tokens.
 */
export const PICK_AGENT_FOR_OFFER: Statement = {
  name: 'routing_pick_agent_v2',
  text: `
SELECT a.* FROM routing.agent a
WHERE a.status = 'available' AND $1 = ANY (a.queues)
  AND COALESCE((a.capacity ->> $2)::int, 0) > COALESCE((a.load ->> $2)::int, 0)
  AND ($7::text[] <@ a.skill_tokens OR ($4::jsonb <> '[]'::jsonb AND routing.skills_met($3::jsonb, $4::jsonb, $5::float8, a.skills)))
ORDER BY EXISTS (SELECT 1 FROM routing.offer o WHERE o.work_item_id = $6 AND o.agent_id = a.id),
  (SELECT COALESCE(sum(v::int), 0) FROM jsonb_each_text(a.load) AS l(k, v)),
  a.last_idle_since NULLS LAST, a.status_changed_at, a.id
LIMIT 1
FOR UPDATE SKIP LOCKED`,
};

export const INSERT_HISTORY: Statement = {
  name: 'routing_insert_history_v1',
  text: `
INSERT INTO routing.work_item_history (work_item_id, type, from_status, to_status, queue_name, agent_id, actor, reason, details, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING *`,
};

export const LOCK_AGENT: Statement = {
  name: 'routing_lock_agent_v1',
  text: `SELECT * FROM routing.agent WHERE id = $1 FOR UPDATE`,
};

export const LOCK_ITEM: Statement = {
  name: 'routing_lock_item_v1',
  text: `SELECT * FROM routing.work_item WHERE id = $1 FOR UPDATE`,
};

export const PEEK_ITEM_AGENT: Statement = {
  name: 'routing_peek_item_agent_v1',
  text: `SELECT agent_id FROM routing.work_item WHERE id = $1`,
};

/** Adds $2 (±1) to the agent's load on channel $3; marks it idle since $4 when nothing is left. */
export const ADJUST_LOAD: Statement = {
  name: 'routing_adjust_load_v1',
  text: `
UPDATE routing.agent a
SET load = l.load,
    last_idle_since = CASE
      WHEN a.status <> 'available' THEN a.last_idle_since
      WHEN NOT EXISTS (SELECT 1 FROM jsonb_each_text(l.load) e WHERE e.value::int > 0) THEN COALESCE(a.last_idle_since, $4)
      ELSE NULL END,
    updated_at = $4
FROM (SELECT jsonb_set(load, ARRAY[$3::text], to_jsonb(GREATEST(COALESCE((load ->> $3::text)::int, 0) + $2::int, 0))) AS load
      FROM routing.agent WHERE id = $1) l
WHERE a.id = $1
RETURNING a.*`,
};

export const COMPLETE_ITEM: Statement = {
  name: 'routing_complete_item_v1',
  text: `
UPDATE routing.work_item
SET status = $2, outcome = $3, reason_tags = $4, resolution_note = $5, ended_at = $6, updated_at = $6
WHERE id = $1
RETURNING *`,
};

/**
 * Completion by the holding agent in one statement (the most frequent write after the claim): locks
 * the agent then the item, ends the item, frees the agent's slot, appends the history row, writes the
 * resolution to the outbox, and notifies the dispatcher only if the agent serves a push queue.
 * Returns no row if the agent does not hold the item in `assigned` or `wrapping` (the caller says why).
 * $1 agent, $2 item, $3 status, $4 outcome, $5 reason tags, $6 note, $7 now, $8 resolution payload.
 */
export const COMPLETE_HELD_ITEM: Statement = {
  name: 'routing_complete_held_item_v1',
  text: `
WITH me AS (
  SELECT id, queues FROM routing.agent WHERE id = $1 FOR UPDATE
),
item AS (
  SELECT w.id, w.status FROM routing.work_item w JOIN me ON w.agent_id = me.id
  WHERE w.id = $2::uuid AND w.status IN ('assigned', 'wrapping')
  FOR UPDATE OF w
),
done AS (
  UPDATE routing.work_item w
  SET status = $3, outcome = $4, reason_tags = $5, resolution_note = $6, ended_at = $7, updated_at = $7
  FROM item WHERE w.id = item.id
  RETURNING w.*, item.status AS previous_status
),
freed AS (
  UPDATE routing.agent a
  SET load = l.load,
      last_idle_since = CASE
        WHEN a.status <> 'available' THEN a.last_idle_since
        WHEN NOT EXISTS (SELECT 1 FROM jsonb_each_text(l.load) e WHERE e.value::int > 0) THEN COALESCE(a.last_idle_since, $7)
        ELSE NULL END,
      updated_at = $7
  FROM (SELECT jsonb_set(a2.load, ARRAY[done.channel], to_jsonb(GREATEST(COALESCE((a2.load ->> done.channel)::int, 0) - 1, 0))) AS load
        FROM routing.agent a2, done WHERE a2.id = $1) l
  WHERE a.id = $1
),
history AS (
  INSERT INTO routing.work_item_history (work_item_id, type, from_status, to_status, queue_name, agent_id, actor, reason, details, at)
  SELECT done.id, 'completed', done.previous_status, $3, done.queue_name, $1, 'agent:' || $1, $4,
         jsonb_build_object('outcome', $4::text, 'reasonTags', to_jsonb($5::text[]),
                            'handleSeconds', EXTRACT(EPOCH FROM ($7::timestamptz - done.assigned_at))::float8),
         $7
  FROM done
  RETURNING *
),
outbox AS (
  INSERT INTO routing.resolution_delivery (work_item_id, workflow_id, payload, status, next_attempt_at, created_at)
  SELECT done.id, done.workflow_id, $8::jsonb, 'pending', $7, $7 FROM done
  ON CONFLICT (work_item_id) DO NOTHING
),
notified AS (
  SELECT pg_notify('${ROUTING_NOTIFY_CHANNEL}', json_build_object('type', 'capacity_freed', 'agentId', $1::text, 'workItemId', done.id, 'queue', done.queue_name)::text)
  FROM done, me
  WHERE EXISTS (SELECT 1 FROM routing.queue q WHERE q.distribution = 'push' AND q.name = ANY (me.queues))
)
SELECT done.*, history.seq AS history_seq, history.event_id AS history_event_id, history.details AS history_details,
       (SELECT count(*) FROM notified) AS notified
FROM done, history`,
};

export const INSERT_RESOLUTION: Statement = {
  name: 'routing_insert_resolution_v1',
  text: `
INSERT INTO routing.resolution_delivery (work_item_id, workflow_id, payload, status, next_attempt_at, created_at)
VALUES ($1, $2, $3, 'pending', $4, $4)
ON CONFLICT (work_item_id) DO NOTHING`,
};

/**
 * The `workItemAssigned` signal of one assignment into its outbox (`assignment_delivery`), in the
 * transaction that assigns: $1 the assignment's history event id, $2 item, $3 workflow, $4 agent, $5 now.
 */
export const INSERT_ASSIGNMENT: Statement = {
  name: 'routing_insert_assignment_v1',
  text: `
INSERT INTO routing.assignment_delivery (event_id, work_item_id, workflow_id, agent_id, assigned_at, status, next_attempt_at, created_at)
VALUES ($1, $2, $3, $4, $5, 'pending', $5, $5)
ON CONFLICT (event_id) DO NOTHING`,
};
