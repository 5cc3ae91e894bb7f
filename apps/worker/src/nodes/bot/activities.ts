/**
 * The bot node's activity: one virtual-agent turn (packages/virtual-agent), with the node's config
 * mapped onto the agent's options. Texts stay templates: the workflow renders the reply after the turn.
 */
import type { Channel, Customer, EscalationTrigger, EscalationTriggerKind, NluSnapshot } from '@tandem/contracts';
import type { BotConfig } from '@tandem/flow';
import { runBotTurn, type BotOptionsInput, type ConversationState, type EntityType } from '@tandem/virtual-agent';
import type { CallSite } from '../../activities/contract';
import { nonRetryableInputError, type ActivityDependencies } from '../../activities/dependencies';

export interface BotTurnRequest extends CallSite {
  /** The bot node's config (defaults applied). Its texts are templates the workflow renders after the turn. */
  config: BotConfig;
  /** The virtual agent's conversation state for this node (null on the first turn). */
  conversation: unknown;
  /** The customer's message and its transcript index. */
  message: { text: string; index: number };
  customer: Customer;
  channel: Channel;
  /** Workflow time (ISO): the virtual agent resolves relative dates against it. */
  now: string;
  /** The customer was greeted already (the node's greeting, a welcome message): a "hi" gets a short prompt. */
  greeted?: boolean;
  /** The flow's escape-hatch triggers, escalated on besides the node's own (absent when the node opted out). */
  escalateOnToo?: EscalationTriggerKind[];
  /**
   * The flow keeps the containment guarantee: an answer is not a resolution until the customer confirms
   * or stays quiet, so an intent that `resolves` answers and awaits confirmation too.
   */
  containment?: boolean;
}

export interface BotTurnResponse {
  outcome: 'continue' | 'resolved' | 'escalate' | 'no_match';
  replies: { text: string; articleId?: string }[];
  conversation: unknown;
  nlu: NluSnapshot;
  /** What expressions see as `bot`. */
  bot: Record<string, unknown>;
  /** The trigger that escalated (outcome `escalate`). */
  escalation: EscalationTrigger | null;
  /** Filled slots (`saveAs` variable → value). */
  variables: Record<string, string>;
  /** The reply answered; the conversation is resolved once the customer confirms, or stays quiet (the flow's quiet period). */
  awaitingConfirmation: boolean;
}

export interface BotActivities {
  botTurn(request: BotTurnRequest): Promise<BotTurnResponse>;
}

const ENTITY_TYPES = new Set<EntityType>(['order_number', 'date', 'amount', 'email', 'phone']);

/** Intent names of the flow (`order.status`) as the virtual agent knows them (`order_status`). */
const agentIntent = (name: string) => name.replace(/\./g, '_');

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Maps a bot node's config onto the virtual agent's options. */
export function botOptionsFor(nodeId: string, config: BotConfig, escalateOnToo: readonly EscalationTriggerKind[] = []): BotOptionsInput {
  const fallback = config.fallbackMessage;
  return {
    nodeId,
    intents: config.intents.map((i) => ({ name: agentIntent(i.name), phrases: i.phrases, ...(i.answer?.trim() ? { reply: i.answer } : {}), ...(i.resolves ? { resolves: true } : {}) })),
    knowledge: { enabled: config.knowledgeBase.enabled, answerThreshold: config.knowledgeBase.answerThreshold },
    maxTurns: config.maxTurns,
    confidenceThreshold: config.confidenceThreshold,
    lowConfidenceLimit: config.lowConfidenceLimit,
    // Absent in plans compiled before these settings existed: the virtual agent's defaults, the same values.
    ...definedOnly({ clarifyLimit: config.clarifyLimit, offerPerson: config.offerPerson, fallbackLimit: config.fallbackLimit, failureLimit: config.failureLimit }),
    escalateOn: [...new Set([...config.escalateOn, ...escalateOnToo])],
    texts: { ...Object.fromEntries(Object.entries(config.texts).filter(([, t]) => t !== undefined)), ...(fallback.trim() ? { fallback } : {}) },
    slots: config.slots
      .filter((s) => ENTITY_TYPES.has(s.entity as EntityType))
      .map((s) => ({
        name: s.name,
        entity: s.entity as EntityType,
        prompt: s.prompt,
        // An optional slot is asked once; a required one is asked again (twice) when the answer lacks it.
        maxReprompts: s.required === false ? 0 : 2,
        required: s.required !== false,
        ...(s.intents?.length ? { intents: s.intents.map(agentIntent) } : {}),
      })),
  };
}

export function createBotActivities(deps: Pick<ActivityDependencies, 'logger'>): BotActivities {
  return {
    async botTurn(request) {
      const { config } = request;
      try {
        const turn = await runBotTurn({
          options: botOptionsFor(request.nodeId, config, request.escalateOnToo),
          state: (request.conversation as ConversationState | null) ?? null,
          message: request.message.text,
          messageIndex: request.message.index,
          now: request.now,
          customer: request.customer,
          repeatContact: request.customer.attributes.repeatContact === true,
          ...(request.greeted !== undefined ? { greeted: request.greeted } : {}),
        });
        // A plan compiled before the containment guarantee resolves on a resolving intent's answer at once, as it did.
        const resolving = new Set(config.intents.filter((i) => i.resolves).map((i) => agentIntent(i.name)));
        const legacyResolve = !request.containment && turn.outcome === 'continue' && resolving.has(turn.nlu.intent);
        const outcome = legacyResolve ? 'resolved' : turn.outcome;
        const awaitingConfirmation = outcome === 'continue' && turn.awaitingConfirmation;
        const variables: Record<string, string> = {};
        for (const slot of config.slots) {
          const value = turn.slots[slot.name];
          if (slot.saveAs && value !== undefined) variables[slot.saveAs] = value;
        }
        deps.logger.child({ contactId: request.contactId, nodeId: request.nodeId, visit: request.visit }).debug({ intent: turn.nlu.intent, outcome }, 'bot turn');
        return {
          outcome,
          replies: turn.reply.trim() ? [{ text: turn.reply, ...(turn.articleId ? { articleId: turn.articleId } : {}) }] : [],
          conversation: turn.state,
          nlu: turn.nlu,
          bot: {
            outcome,
            intent: turn.nlu.intent,
            confidence: turn.nlu.confidence,
            turns: turn.state.turns,
            articleId: turn.articleId ?? '',
            trigger: turn.escalation?.kind ?? '',
          },
          escalation: turn.escalation,
          variables,
          awaitingConfirmation,
        };
      } catch (e) {
        nonRetryableInputError(e);
      }
    },
  };
}
