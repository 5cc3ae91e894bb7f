import type { DataSource, EntityManager } from 'typeorm';
import type { TandemEvent } from '../contracts/events';

/**
 * Tandem's own history of each customer's contacts (`events.customer_contacts`), projected from the
 * contact events: who the customer was (`contact.started`), what the contact was about (the last intent
 * and topics of `bot.turn`), how and when it ended (`contact.ended`). Simulations are not customers'
 * history and are left out. A contact start reads it ({@link CustomerContactHistory}) so flows and the
 * bot know the customer came back about the same thing (`repeat_contact`).
 */

/** The bot's "understood nothing": not what a contact was about. */
const NO_INTENT = 'none';

/** How long ended contacts are kept: longer than any repeat-contact window asks for. */
export const CUSTOMER_CONTACT_RETENTION_DAYS = 90;

interface Pending {
  contactId: string;
  flowId: string;
  flowVersion: number;
  customerId: string | null;
  startedAt: string | null;
  intent: string | null;
  topics: string[] | null;
  turnAt: string | null;
  outcome: string | null;
  endedAt: string | null;
}

/** What a batch of events changes, one row per contact (events of one contact arrive in order). */
function changesOf(events: readonly TandemEvent[]): Pending[] {
  const byContact = new Map<string, Pending>();
  const row = (e: { subject: string; flowid: string; flowversion: number }) => {
    let r = byContact.get(e.subject);
    if (!r) {
      r = { contactId: e.subject, flowId: e.flowid, flowVersion: e.flowversion, customerId: null, startedAt: null, intent: null, topics: null, turnAt: null, outcome: null, endedAt: null };
      byContact.set(e.subject, r);
    }
    return r;
  };
  for (const event of events) {
    if (event.type === 'tandem.contact.requested.v1' || event.simulation) continue;
    switch (event.type) {
      case 'tandem.contact.started.v1': {
        const r = row(event);
        r.customerId = event.data.customer.id;
        r.startedAt = event.time;
        break;
      }
      case 'tandem.bot.turn.v1': {
        const r = row(event);
        if (event.data.intent !== NO_INTENT) r.intent = event.data.intent;
        if (event.data.topics.length) r.topics = [...new Set(event.data.topics)].slice(0, 20);
        r.turnAt = event.time;
        break;
      }
      case 'tandem.contact.ended.v1': {
        const r = row(event);
        r.outcome = event.data.outcome;
        r.endedAt = event.time;
        break;
      }
      default:
        break;
    }
  }
  return [...byContact.values()].sort((a, b) => (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0));
}

/**
 * Projects a batch into `events.customer_contacts` (within the consumer's transaction). Upserts keep
 * what each event says and nothing it does not: a later bot turn replaces the intent only when it
 * understood one. A customer's contacts that ended longer ago than {@link CUSTOMER_CONTACT_RETENTION_DAYS}
 * are dropped as new ones come.
 */
export async function applyCustomerContacts(events: readonly TandemEvent[], manager: EntityManager): Promise<void> {
  const rows = changesOf(events);
  if (!rows.length) return;
  const col = <K extends keyof Pending>(k: K) => rows.map((r) => r[k]);
  await manager.query(
    `INSERT INTO "events"."customer_contacts" AS c
       ("contact_id", "flow_id", "flow_version", "customer_id", "started_at", "intent", "topics", "turn_at", "outcome", "ended_at")
     SELECT r.contact_id, r.flow_id, r.flow_version, r.customer_id, r.started_at, r.intent,
            CASE WHEN r.topics IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(r.topics)) END, r.turn_at, r.outcome, r.ended_at
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[], $6::text[], $7::jsonb[], $8::timestamptz[], $9::text[], $10::timestamptz[])
         AS r(contact_id, flow_id, flow_version, customer_id, started_at, intent, topics, turn_at, outcome, ended_at)
     ON CONFLICT ("contact_id") DO UPDATE SET
       "customer_id" = COALESCE(EXCLUDED."customer_id", c."customer_id"),
       "started_at" = COALESCE(EXCLUDED."started_at", c."started_at"),
       "intent" = CASE WHEN EXCLUDED."turn_at" >= c."turn_at" OR c."turn_at" IS NULL THEN COALESCE(EXCLUDED."intent", c."intent") ELSE c."intent" END,
       "topics" = CASE WHEN EXCLUDED."turn_at" >= c."turn_at" OR c."turn_at" IS NULL THEN COALESCE(EXCLUDED."topics", c."topics") ELSE c."topics" END,
       "turn_at" = GREATEST(EXCLUDED."turn_at", c."turn_at"),
       "outcome" = COALESCE(EXCLUDED."outcome", c."outcome"),
       "ended_at" = COALESCE(EXCLUDED."ended_at", c."ended_at")`,
    [
      col('contactId'),
      col('flowId'),
      col('flowVersion'),
      col('customerId'),
      col('startedAt'),
      col('intent'),
      rows.map((r) => (r.topics ? JSON.stringify(r.topics) : null)),
      col('turnAt'),
      col('outcome'),
      col('endedAt'),
    ],
  );
  const ended = rows.filter((r) => r.endedAt);
  if (ended.length) {
    await manager.query(
      `DELETE FROM "events"."customer_contacts" c
        WHERE c."customer_id" IN (SELECT "customer_id" FROM "events"."customer_contacts" WHERE "contact_id" = ANY ($1::text[]))
          AND COALESCE(c."ended_at", c."started_at") < now() - make_interval(days => $2)`,
      [ended.map((r) => r.contactId), CUSTOMER_CONTACT_RETENTION_DAYS],
    );
  }
}

/** One earlier contact of a customer, as a new contact's `customer.attributes.recentContacts` lists it. */
export interface RecentContact {
  contactId: string;
  /** ISO-8601 time it ended. */
  endedAt: string;
  /** What it was about: the last intent the bot understood, if any. */
  intent?: string;
  topics?: string[];
  /** How it ended (`resolved_by_bot`, `resolved_by_human`, `ticketed`, `abandoned`, `failed`). */
  outcome: string;
}

/**
 * Reads a customer's recent contacts from the projection.
 *
 * @example
 * const history = new CustomerContactHistory(dataSource);
 * await history.recentContacts('cust-42', { windowDays: 7 });
 * // [{ contactId: '…', endedAt: '2026-12-06T10:02:00.000Z', intent: 'billing_dispute', topics: ['billing'], outcome: 'resolved_by_bot' }]
 */
export class CustomerContactHistory {
  constructor(private readonly dataSource: DataSource) {}

  /** The customer's contacts that ended within the last `windowDays` days, newest first, at most `limit` (default 10). */
  async recentContacts(customerId: string, options: { windowDays: number; limit?: number; now?: Date }): Promise<RecentContact[]> {
    const now = options.now ?? new Date();
    const since = new Date(now.getTime() - options.windowDays * 86_400_000);
    const rows = await this.dataSource.query<{ contact_id: string; ended_at: Date; intent: string | null; topics: string[] | null; outcome: string }[]>(
      `SELECT "contact_id", "ended_at", "intent", "topics", "outcome" FROM "events"."customer_contacts"
        WHERE "customer_id" = $1 AND "ended_at" >= $2 AND "outcome" IS NOT NULL
        ORDER BY "ended_at" DESC, "contact_id" LIMIT $3`,
      [customerId, since, options.limit ?? 10],
    );
    return rows.map((r) => ({
      contactId: r.contact_id,
      endedAt: r.ended_at.toISOString(),
      ...(r.intent ? { intent: r.intent } : {}),
      ...(r.topics?.length ? { topics: r.topics } : {}),
      outcome: r.outcome,
    }));
  }
}
