import { z } from 'zod';
import { isoDateTime } from './common';

/** Durations in seconds (the projections count milliseconds). */
export const secondsStatsSchema = z.object({ count: z.number().int(), avg: z.number().nullable(), p50: z.number().nullable(), p90: z.number().nullable(), max: z.number().nullable() });
export type SecondsStats = z.output<typeof secondsStatsSchema>;

const csat = z.object({ count: z.number().int(), sum: z.number(), average: z.number().nullable(), distribution: z.record(z.string(), z.number().int()) });
const counts = z.record(z.string(), z.number().int());

/** What the projections know about one node of one flow version: the designer's Watch overlay. */
export const nodeMetricsSchema = z.object({
  nodeId: z.string(),
  nodeType: z.string().nullable(),
  entered: z.number().int(),
  exitedByPort: counts.describe('Exits by output port: the traffic on each outgoing edge.'),
  exited: z.number().int(),
  errors: z
    .object({ total: z.number().int(), byPort: counts })
    .describe('Visits on which the step could not do its work (an expression failed at run time, say) and took its defined way out instead, by the port it left by.'),
  containment: z.number().nullable().describe('Bot nodes: resolved / (resolved + escalate + no_match).'),
  bot: z
    .object({
      turns: z.number().int(),
      answered: z.number().int(),
      avgConfidence: z.number().nullable(),
      avgSentiment: z.number().nullable(),
      intents: counts,
      triggersDetected: counts,
      containment: z.object({ resolved: z.number().int(), escalated: z.number().int(), noMatch: z.number().int(), rate: z.number().nullable() }),
    })
    .nullable(),
  escalations: z.object({
    total: z.number().int().describe('Escalations this node caused.'),
    byTrigger: counts,
    byReasonTag: counts.describe("Agents' wrap-up reason tags for the escalations this node caused."),
    reasonTags: z.array(z.object({ trigger: z.string(), tag: z.string(), count: z.number().int() })),
    routedByQueue: counts.describe('Escalate nodes: contacts routed, by queue.'),
  }),
  workItems: z.object({ offered: z.number().int(), accepted: z.number().int(), completed: counts }),
  waitSeconds: secondsStatsSchema.describe('Queue wait, at escalate nodes.'),
  handleSeconds: secondsStatsSchema.describe("Agents' handle time, at escalate nodes."),
  stepSeconds: secondsStatsSchema.describe('Time in the node per visit.'),
  abandoned: z.number().int(),
  csat,
});
export type NodeMetricsView = z.output<typeof nodeMetricsSchema>;

/** `GET /v1/flows/:flowId/versions/:version/metrics`: how a published version performs, per node. */
export const flowMetricsSchema = z.object({
  flowId: z.string(),
  version: z.number().int(),
  lastEventAt: isoDateTime.nullable().describe('The newest event counted: how fresh the numbers are.'),
  totals: z.object({
    contacts: z.number().int().describe('Contacts started on this version.'),
    ended: z.number().int(),
    byOutcome: counts,
    contained: z.number().int().describe('Ended resolved by the bot, never escalated.'),
    containment: z.number().nullable(),
    escalations: z.number().int().describe('Contacts that ended after at least one escalation.'),
    abandoned: z.number().int(),
    abandonment: z.number().nullable(),
    avgDurationSeconds: z.number().nullable(),
    csat,
  }),
  nodes: z.array(nodeMetricsSchema),
});
export type FlowMetricsView = z.output<typeof flowMetricsSchema>;
