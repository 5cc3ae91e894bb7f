/**
 * The conversation-level figures of issue 19 over labelled conversations: false containment, human
 * requests honoured within one turn, escalations with the right cause (and in time), turns to
 * escalation, and the texts the product must or must not say — overall and per flow.
 */
import { type LabelledConversation } from './format';
import { simulate, type SimulatedConversation } from './simulate';

/** Counts over a set of conversations. */
export interface ConversationFigures {
  conversations: number;
  /** Contained by the bot although a person should have taken it (the failure that matters most). */
  falseContainments: number;
  /** Sent to a person although the bot should have resolved it. */
  missedContainments: number;
  humanRequests: number;
  /** Escalated at or before the turn the customer asked for a person. */
  humanRequestsHonoured: number;
  /** Conversations whose label names an escalation cause. */
  escalations: number;
  escalationsRightCause: number;
  /** Right cause, and no later than the labelled turn. */
  escalationsInTime: number;
  /** Sum of the turns at which escalations with the right cause happened. */
  turnsToEscalation: number;
  /** mustSay / mustNotSay expectations broken. */
  wordingFailures: number;
}

export interface ConversationFailure {
  id: string;
  problems: string[];
  trace: string[];
}

export interface ConversationReport {
  overall: ConversationFigures;
  byFlow: Record<string, ConversationFigures>;
  failures: ConversationFailure[];
}

function emptyFigures(): ConversationFigures {
  return {
    conversations: 0,
    falseContainments: 0,
    missedContainments: 0,
    humanRequests: 0,
    humanRequestsHonoured: 0,
    escalations: 0,
    escalationsRightCause: 0,
    escalationsInTime: 0,
    turnsToEscalation: 0,
    wordingFailures: 0,
  };
}

/** What is wrong with one simulated conversation against its label (empty when it passes), adding to the figures. */
function judge(c: LabelledConversation, sim: SimulatedConversation, figures: ConversationFigures[]): string[] {
  const problems: string[] = [];
  const add = (key: keyof ConversationFigures, by = 1) => figures.forEach((f) => (f[key] += by));
  add('conversations');
  if (sim.contained && !c.expect.contained) {
    add('falseContainments');
    problems.push('contained by the bot, but a person should have taken it');
  }
  if (!sim.contained && c.expect.contained) {
    add('missedContainments');
    problems.push(`not contained (${sim.escalation ? `escalated at turn ${sim.escalation.turn}: ${sim.escalation.cause}` : 'still open'})`);
  }
  const asked = c.expect.humanRequestTurn;
  if (asked !== null) {
    add('humanRequests');
    if (sim.escalation && sim.escalation.turn <= asked) add('humanRequestsHonoured');
    else problems.push(`asked for a person at turn ${asked}, ${sim.escalation ? `escalated only at turn ${sim.escalation.turn}` : 'never escalated'}`);
  }
  const expected = c.expect.escalation;
  if (expected) {
    add('escalations');
    if (sim.escalation?.cause === expected.cause) {
      add('escalationsRightCause');
      add('turnsToEscalation', sim.escalation.turn);
      if (sim.escalation.turn <= expected.byTurn) add('escalationsInTime');
      else problems.push(`escalated as ${expected.cause} at turn ${sim.escalation.turn}, expected by turn ${expected.byTurn}`);
    } else {
      problems.push(`expected escalation ${expected.cause} by turn ${expected.byTurn}, got ${sim.escalation ? `${sim.escalation.cause} at turn ${sim.escalation.turn}` : 'none'}`);
    }
  } else if (sim.escalation && sim.escalation.cause !== 'routed') {
    problems.push(`unexpected escalation ${sim.escalation.cause} at turn ${sim.escalation.turn}`);
  }
  const text = sim.said.join('\n').toLowerCase();
  for (const phrase of c.expect.mustSay ?? []) {
    if (!text.includes(phrase.toLowerCase())) {
      add('wordingFailures');
      problems.push(`never said "${phrase}"`);
    }
  }
  for (const phrase of c.expect.mustNotSay ?? []) {
    if (text.includes(phrase.toLowerCase())) {
      add('wordingFailures');
      problems.push(`said "${phrase}"`);
    }
  }
  return problems;
}

/** Simulates every conversation (one at a time: the bot is deterministic, and the machine has two cores) and judges it. */
export async function evaluateConversations(conversations: readonly LabelledConversation[]): Promise<ConversationReport> {
  const overall = emptyFigures();
  const byFlow: Record<string, ConversationFigures> = {};
  const failures: ConversationFailure[] = [];
  for (const c of conversations) {
    const sim = await simulate(c);
    const problems = judge(c, sim, [overall, (byFlow[c.flow] ??= emptyFigures())]);
    if (problems.length > 0) failures.push({ id: c.id, problems, trace: sim.trace });
  }
  return { overall, byFlow, failures };
}

/** Share as a percentage string; "–" when there is nothing to count. */
export function share(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`;
}
