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

/** What a turn must show: the outcome, the reply (text or pattern), whether it awaits confirmation, the escalation's trigger kind, the article. */
export interface TurnExpectation {
  outcome?: BotTurnResult['outcome'];
  reply?: string | RegExp;
  awaiting?: boolean;
  escalation?: string | null;
  articleId?: string;
}

/**
 * A conversation written turn by turn: what the customer says and what the bot must do in reply. Fails
 * naming the turn. Returns every turn's result for further checks.
 *
 * @example
 * await talk({}, [['what time do you open?', { outcome: 'continue', awaiting: true }], ['perfect, thanks', { outcome: 'resolved' }]]);
 */
export async function talk(
  options: BotOptionsInput,
  script: readonly (readonly [string, TurnExpectation])[],
  extra: Partial<Pick<BotTurnInput, 'customer' | 'repeatContact' | 'greeted'>> = {},
): Promise<BotTurnResult[]> {
  const turns: BotTurnResult[] = [];
  let state: BotTurnResult['state'] | null = null;
  for (const [i, [message, expected]] of script.entries()) {
    const now = new Date(Date.UTC(2026, 2, 4, 10, i)).toISOString();
    const turn = await runBotTurn({ options, state, message, now, messageIndex: 2 * i, ...extra });
    const seen = {
      turn: i + 1,
      customer: message,
      outcome: turn.outcome,
      reply: turn.reply,
      awaiting: turn.awaitingConfirmation,
      escalation: turn.escalation?.kind ?? null,
      articleId: turn.articleId,
    };
    const want: Record<string, unknown> = { turn: i + 1, customer: message };
    if (expected.outcome !== undefined) want.outcome = expected.outcome;
    if (expected.reply !== undefined) want.reply = typeof expected.reply === 'string' ? expected.reply : expect.stringMatching(expected.reply);
    if (expected.awaiting !== undefined) want.awaiting = expected.awaiting;
    if (expected.escalation !== undefined) want.escalation = expected.escalation;
    if (expected.articleId !== undefined) want.articleId = expected.articleId;
    expect(seen).toMatchObject(want);
    turns.push(turn);
    state = turn.state;
  }
  return turns;
}
