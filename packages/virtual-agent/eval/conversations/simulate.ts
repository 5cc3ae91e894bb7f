/**
 * A bot-level stand-in for the five example flows, to iterate on the virtual agent quickly: the steps
 * around the bot (classify and the triage decision, the survey's escape hatch, escalations, tickets,
 * answers while queued) are reduced to what decides containment, the escalation's cause and its turn.
 * The flow-level runner on the real worker is the reference; where this one has to assume something
 * about the worker (which triggers the escape hatch honours, `greeted`, the quiet period), it says so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CustomerInput, EscalationTriggerKind } from '@tandem/contracts';
import {
  answerWhileWaiting,
  botGreeting,
  classifyMessage,
  runBotTurn,
  TRIGGER_PRIORITY,
  type BotOptionsInput,
  type BotTurnResult,
  type EntityType,
} from '../../src';
import { type LabelledConversation } from './format';

/** What happened in a simulated conversation. */
export interface SimulatedConversation {
  contained: boolean;
  /** The first escalation towards a person: its cause (`routed` when the flow sends every contact to a person) and 1-based turn. */
  escalation: { cause: EscalationTriggerKind | 'routed' | 'no_match'; turn: number } | null;
  /** Everything the bot and the flow said, in order. */
  said: string[];
  /** One line per turn, for `--verbose`. */
  trace: string[];
}

/** Triggers the escape hatch is assumed to honour at a survey: the flow's defaults plus frustration in words (issue 19, observation 3). */
const SURVEY_HATCH = new Set<EscalationTriggerKind>(['human_request', 'legal_threat', 'regulatory', 'vulnerable_customer', 'complaint', 'frustration']);
const SENSITIVE = new Set<EscalationTriggerKind>(['legal_threat', 'regulatory', 'vulnerable_customer', 'complaint']);

interface FlowNode {
  id: string;
  type: string;
  config: Record<string, unknown>;
}

interface BotNodeConfig {
  greeting?: string;
  intents?: { name: string; phrases: string[]; answer?: string; resolves?: boolean }[];
  knowledgeBase?: { enabled: boolean; answerThreshold: number };
  maxTurns?: number;
  confidenceThreshold?: number;
  lowConfidenceLimit?: number;
  escalateOn?: EscalationTriggerKind[];
  fallbackMessage?: string;
  slots?: { name: string; entity: string; prompt: string; required?: boolean; saveAs?: string; intents?: string[] }[];
}

/** A text field of a node's config (a template), or '' when the node or the field is absent. */
function nodeText(nodes: readonly FlowNode[], id: string, field: string): string {
  const value = nodes.find((n) => n.id === id)?.config[field];
  return typeof value === 'string' ? value : '';
}

function flowNodes(flow: string): FlowNode[] {
  const document = JSON.parse(readFileSync(join(__dirname, '../../../flow/examples', `${flow}.json`), 'utf8')) as { nodes: FlowNode[] };
  return document.nodes;
}

/** The bot node's config as BotOptions, the way the worker maps it (apps/worker/src/nodes/bot/activities.ts), plus `resolves` and `required`. */
function botOptions(node: FlowNode): BotOptionsInput {
  const config = node.config as BotNodeConfig;
  const intent = (name: string) => name.replace(/\./g, '_');
  return {
    nodeId: node.id,
    intents: (config.intents ?? []).map((i) => ({ name: intent(i.name), phrases: i.phrases, ...(i.answer ? { reply: i.answer } : {}), ...(i.resolves ? { resolves: true } : {}) })),
    knowledge: config.knowledgeBase ?? { enabled: true, answerThreshold: 0.6 },
    maxTurns: config.maxTurns ?? 6,
    confidenceThreshold: config.confidenceThreshold ?? 0.6,
    lowConfidenceLimit: config.lowConfidenceLimit ?? 2,
    ...(config.escalateOn ? { escalateOn: config.escalateOn } : {}),
    ...(config.fallbackMessage ? { texts: { fallback: config.fallbackMessage } } : {}),
    slots: (config.slots ?? []).map((s) => ({
      name: s.name,
      entity: s.entity as EntityType,
      prompt: s.prompt,
      maxReprompts: s.required === false ? 0 : 2,
      required: s.required !== false,
      ...(s.intents ? { intents: s.intents.map(intent) } : {}),
    })),
  };
}

/** `{{customer.name}}` and `{{ctx.x}}` the way the flow renders them after a turn. */
function render(template: string, name: string, ctx: Record<string, string>): string {
  return template.replace(/\{\{\s*customer\.name\s*\}\}/g, name).replace(/\{\{\s*ctx\.(\w+)\s*\}\}/g, (_, key: string) => ctx[key] ?? '');
}

type Phase = 'start' | 'bot' | 'survey' | 'queued' | 'agent' | 'done';

/**
 * Runs one labelled conversation through the stand-in of its flow. Times are a fixed weekday morning
 * (after-hours is taken as closed, the overflow flow's billing queue as busy: otherwise their bots
 * never run).
 */
export async function simulate(conversation: LabelledConversation): Promise<SimulatedConversation> {
  const nodes = flowNodes(conversation.flow);
  const botNode = nodes.find((n) => n.type === 'bot');
  const options = botNode ? botOptions(botNode) : undefined;
  const config = (botNode?.config ?? {}) as BotNodeConfig;
  const customer: CustomerInput = { id: conversation.customer.id, name: conversation.customer.name, tier: conversation.customer.tier ?? 'standard', attributes: conversation.customer.attributes ?? {} };
  const name = conversation.customer.name;
  const ctx: Record<string, string> = {};
  const said: string[] = [];
  const trace: string[] = [];
  // Read through a function: the closures below change it, which narrowing cannot see.
  let current: Phase = 'start';
  const phase = () => current;
  let escalation: SimulatedConversation['escalation'] = null;
  let contained = false;
  let state: BotTurnResult['state'] | null = null;
  let awaiting = false;
  let messageIndex = 0;
  let minute = 0;
  const now = () => new Date(Date.UTC(2026, 2, 4, 9, minute++)).toISOString();
  const say = (text: string) => {
    if (text.trim()) said.push(text);
  };
  const escalate = (cause: NonNullable<SimulatedConversation['escalation']>['cause'], turn: number) => {
    escalation ??= { cause, turn };
    current = 'queued';
  };
  const botResolved = () => {
    if (conversation.flow === 'ai-first-human-backup') {
      say(render(nodeText(nodes, 'bot-survey', 'question'), name, ctx));
      current = 'survey';
    } else {
      say(render(nodeText(nodes, 'done-bot', 'message'), name, ctx));
      contained = true;
      current = 'done';
    }
  };
  const botTurn = async (text: string, turn: number) => {
    if (!options) throw new Error(`${conversation.flow} has no bot`);
    const result = await runBotTurn({ options, state, message: text, now: now(), messageIndex, customer, greeted: true });
    messageIndex += 2;
    state = result.state;
    for (const slot of config.slots ?? []) if (slot.saveAs && result.slots[slot.name]) ctx[slot.saveAs] = result.slots[slot.name]!;
    say(render(result.reply, name, ctx));
    awaiting = result.awaitingConfirmation;
    trace.push(`  ${turn}. bot ${result.outcome}${awaiting ? ' (awaiting confirmation)' : ''}${result.escalation ? ` ${result.escalation.kind}: ${result.escalation.reason}` : ''} — ${result.reply.slice(0, 90)}`);
    if (result.outcome === 'resolved') botResolved();
    else if (result.outcome === 'escalate') escalate(result.escalation?.kind ?? 'bot_failure', turn);
    else if (result.outcome === 'no_match') escalate('no_match', turn);
  };
  const start = async (text: string, turn: number) => {
    if (conversation.flow === 'human-first-ai-assist' || conversation.flow === 'parallel-ai-and-human') {
      if (conversation.flow === 'human-first-ai-assist') say(render(nodeText(nodes, 'welcome', 'text'), name, ctx));
      escalate('routed', turn);
      return;
    }
    if (conversation.flow === 'ai-first-human-backup') {
      const { nlu } = await classifyMessage({ message: text, now: now(), messageIndex, customer });
      const rule =
        nlu.triggers.some((t) => SENSITIVE.has(t)) || customer.tier === 'vip' || nlu.triggers.includes('high_value') || nlu.triggers.includes('repeat_contact');
      if (rule) {
        trace.push(`  ${turn}. triage rule (${nlu.triggers.join(', ') || customer.tier})`);
        escalate('flow_rule', turn);
        return;
      }
    }
    if (conversation.flow === 'overflow-on-queue-wait') say(render(nodeText(nodes, 'acknowledge', 'text'), name, ctx));
    if (config.greeting !== undefined) say(render(config.greeting, name, ctx));
    else if (options && conversation.flow !== 'overflow-on-queue-wait') say(botGreeting(options));
    current = 'bot';
    await botTurn(text, turn);
  };

  for (const [i, step] of conversation.turns.entries()) {
    const turn = i + 1;
    if ('agent' in step) {
      if (step.agent === 'accept' && phase() === 'queued') current = 'agent';
      if (step.agent === 'resolve' && (phase() === 'agent' || phase() === 'queued')) current = 'done';
      trace.push(`  ${turn}. agent ${step.agent}`);
      continue;
    }
    if ('quiet' in step) {
      trace.push(`  ${turn}. (quiet)`);
      if (phase() === 'bot' && awaiting) {
        awaiting = false;
        botResolved();
      } else if (phase() === 'survey') {
        contained = true;
        current = 'done';
      }
      continue;
    }
    const text = step.say;
    trace.push(`  ${turn}. customer: ${text.length > 90 ? `${text.slice(0, 87)}…` : text}`);
    if (phase() === 'start') await start(text, turn);
    else if (phase() === 'bot') await botTurn(text, turn);
    else if (phase() === 'survey') {
      const { analysis } = await classifyMessage({ message: text, now: now(), messageIndex, customer });
      const hatch = analysis.triggers.map((t) => t.kind).filter((k) => SURVEY_HATCH.has(k)).sort((a, b) => TRIGGER_PRIORITY.indexOf(a) - TRIGGER_PRIORITY.indexOf(b))[0];
      if (hatch) escalate(hatch, turn);
      else if (/^\s*[1-5]\s*$/.test(text)) {
        contained = true;
        current = 'done';
      } else say('Please answer with a number from 1 to 5.');
    } else if (phase() === 'queued') {
      const answer = await answerWhileWaiting({ message: text, channel: conversation.channel, now: now() });
      if (answer) say(answer.reply);
    }
    messageIndex += 1;
  }
  // A survey nobody answers times out ("skipped") and the contact ends resolved by the bot.
  if (phase() === 'survey') contained = true;
  return { contained, escalation, said, trace };
}
