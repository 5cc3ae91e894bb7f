import type { TranscriptEntry } from '@tandem/contracts';
import { runBotTurn, type BotOptionsInput, type BotTurnInput, type BotTurnResult } from '../../src';

/**
 * Runs a scripted customer through the bot the way the worker does: one turn per message, the state
 * carried between turns, the transcript kept by the caller. Stops when the bot stops.
 */
export async function converse(
  options: BotOptionsInput,
  messages: string[],
  extra: Partial<Pick<BotTurnInput, 'customer' | 'repeatContact'>> = {},
): Promise<{ turns: BotTurnResult[]; transcript: TranscriptEntry[]; last: BotTurnResult }> {
  const transcript: TranscriptEntry[] = [];
  const turns: BotTurnResult[] = [];
  let state: BotTurnResult['state'] | null = null;
  let minute = 0;
  const at = () => new Date(Date.UTC(2026, 2, 4, 10, minute++)).toISOString();
  for (const message of messages) {
    const now = at();
    transcript.push({ at: now, from: 'customer', text: message, nodeId: 'bot-1' });
    const turn = await runBotTurn({ options, state, message, now, messageIndex: transcript.length - 1, ...extra });
    transcript.push({ at: at(), from: 'bot', text: turn.reply, nodeId: 'bot-1', ...(turn.articleId ? { articleId: turn.articleId } : {}) });
    turns.push(turn);
    state = turn.state;
    if (turn.outcome !== 'continue') break;
  }
  const last = turns.at(-1);
  if (!last) throw new Error('no messages');
  return { turns, transcript, last };
}
