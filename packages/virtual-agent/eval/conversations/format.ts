/**
 * The labelled conversations of the conversation-level evaluation (`eval/conversations/*.jsonl`), one
 * JSON object per line. The same lines are read by the flow-level runner on the real worker; this
 * package's bot-level runner (`simulate.ts`) reads them for fast iteration. Labelling rules: LABELS.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { channelSchema, escalationTriggerKindSchema } from '@tandem/contracts';
import { z } from 'zod';

/** One step of the conversation: the customer says something, stays quiet (the flow's quiet period passes), or the simulated agent acts. */
export const conversationTurnSchema = z.union([
  z.strictObject({ say: z.string().min(1).max(10_000) }),
  z.strictObject({ quiet: z.literal(true) }),
  z.strictObject({ agent: z.enum(['accept', 'resolve']) }),
]);
export type ConversationTurn = z.infer<typeof conversationTurnSchema>;

export const labelledConversationSchema = z.strictObject({
  id: z.string().min(1),
  /** The example flow (packages/flow/examples/<flow>.json). */
  flow: z.enum(['ai-first-human-backup', 'after-hours', 'overflow-on-queue-wait', 'human-first-ai-assist', 'parallel-ai-and-human']),
  split: z.enum(['dev', 'heldout']),
  channel: channelSchema,
  customer: z.strictObject({ id: z.string().min(1), name: z.string().min(1), tier: z.string().optional(), attributes: z.record(z.string(), z.unknown()).optional() }),
  turns: z.array(conversationTurnSchema).min(1),
  expect: z.strictObject({
    /** The contact ends resolved by the bot, no person involved. */
    contained: z.boolean(),
    /** The first escalation towards a person and its exact cause, by the 1-based index of the turn that must cause it; null when none is expected or the flow routes every contact to a person. */
    escalation: z.strictObject({ cause: escalationTriggerKindSchema, byTurn: z.number().int().min(1) }).nullable(),
    /** The turn (1-based) where the customer asks for a person, if they do. */
    humanRequestTurn: z.number().int().min(1).nullable(),
    mustNotSay: z.array(z.string().min(1)).optional(),
    mustSay: z.array(z.string().min(1)).optional(),
  }),
});
export type LabelledConversation = z.infer<typeof labelledConversationSchema>;

/** Reads and validates a conversation file of this folder; a bad line names its number and problem. */
export function loadConversations(file: 'dev.jsonl' | 'heldout.jsonl'): LabelledConversation[] {
  const lines = readFileSync(join(__dirname, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.map((line, i) => {
    const parsed = labelledConversationSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    const c = parsed.data;
    const bad = [c.expect.escalation?.byTurn, c.expect.humanRequestTurn].find((t) => t != null && t > c.turns.length);
    if (bad !== undefined) throw new Error(`${file}:${i + 1} (${c.id}): turn ${bad} is past the last of ${c.turns.length} turns`);
    return c;
  });
}
