/**
 * Numbers said in words for the people who read the designer's panels: a customer's mood instead of a
 * sentiment score, a bot's containment with what it counts, trigger names without internal codes.
 */
import type { NodeMetricsView } from '@tandem/api-contract';
import type { HandoffPackage } from '@tandem/contracts';

/** "unhappy, getting worse" for a sentiment of -0.4 that is worsening; scores run from -1 to 1. */
export function moodInWords(sentiment: HandoffPackage['sentiment']): string {
  const { current, direction } = sentiment;
  const mood = current <= -0.5 ? 'upset' : current < -0.15 ? 'unhappy' : current <= 0.15 ? 'calm' : current < 0.5 ? 'content' : 'happy';
  const trend = direction === 'improving' ? 'getting better' : direction === 'worsening' ? 'getting worse' : 'steady';
  return `${mood}, ${trend}`;
}

/**
 * What a bot step's containment counts: of the conversations that left the bot (resolved, escalated or
 * out of turns), how many it resolved — and how many are still with it, so the percentage is not read
 * against everything that entered. Null for steps that are not bots.
 */
export function containmentInWords(m: Pick<NodeMetricsView, 'entered' | 'exitedByPort' | 'containment'>): string | null {
  if (m.containment === null) return null;
  const resolved = m.exitedByPort['resolved'] ?? 0;
  const finished = resolved + (m.exitedByPort['escalate'] ?? 0) + (m.exitedByPort['no_match'] ?? 0);
  const open = Math.max(0, m.entered - finished);
  const share = finished > 0 ? ` (${Math.round((100 * resolved) / finished)} %)` : '';
  return `the bot resolved ${resolved} of the ${finished} conversations that left it${share}${open > 0 ? `; ${open} still with it` : ''}`;
}

/** A trigger or tag as a person reads it: `legal_threat` → "legal threat"; `none` → what it means. */
export function triggerInWords(key: string): string {
  if (key === 'none') return 'no trigger (the flow sent it on)';
  return key.replace(/_/g, ' ');
}
