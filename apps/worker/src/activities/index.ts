/**
 * The built-in activities, from a factory with injected dependencies (Temporal samples' style):
 * `createActivities(deps)` returns the object the worker registers. Activities are retried, so each is
 * idempotent or keyed by its call site (workflow id + node + visit).
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityRegistry } from '@tandem/activity-kit';
import { ActivityContractError } from '@tandem/activity-kit';
import type { HandoffPackage } from '@tandem/contracts';
import {
  assist,
  buildHandoffPackage,
  classifyMessage,
  runBotTurn,
  VirtualAgentInputError,
  type BotOptionsInput,
  type ConversationState,
  type EntityType,
} from '@tandem/virtual-agent';
import type { Logger } from '../logger';
import {
  customActivityType,
  type AssistSuggestions,
  type BuiltinActivities,
  type CallSite,
  type LiveDataResponse,
} from './contract';
import type { CalendarDirectory, ContactEventSink, MessageChannel, PlanStore, TicketStore, WorkItemGateway } from './ports';

export interface ActivityDependencies {
  workItems: WorkItemGateway;
  calendars: CalendarDirectory;
  tickets: TicketStore;
  plans: PlanStore;
  channel: MessageChannel;
  events: ContactEventSink;
  customActivities?: ActivityRegistry;
  logger: Logger;
}

const ENTITY_TYPES = new Set<EntityType>(['order_number', 'date', 'amount', 'email', 'phone']);

/** Input errors are bugs in the flow or the caller, never worth a retry. */
function nonRetryable(error: unknown): never {
  if (error instanceof VirtualAgentInputError || error instanceof ActivityContractError) {
    throw ApplicationFailure.nonRetryable(error.message, error.name);
  }
  throw error;
}

interface FlowBotConfig {
  intents?: { name: string; phrases: string[]; answer?: string; resolves?: boolean }[];
  knowledgeBase?: { enabled: boolean; answerThreshold: number };
  maxTurns?: number;
  confidenceThreshold?: number;
  lowConfidenceLimit?: number;
  escalateOn?: string[];
  fallbackMessage?: string;
  slots?: { name: string; entity: string; prompt: string; required?: boolean; saveAs?: string; intents?: string[] }[];
}

/**
 * Maps a flow's bot node config (packages/flow `botConfigSchema`) onto the virtual agent's options.
 * Texts stay templates: the workflow renders the reply after the turn.
 */
export function botOptionsFor(nodeId: string, label: string | undefined, config: Record<string, unknown>): BotOptionsInput {
  const c = config as FlowBotConfig;
  const fallback = c.fallbackMessage;
  return {
    nodeId,
    ...(label ? { nodeLabel: label } : {}),
    intents: (c.intents ?? []).map((i) => ({
      name: i.name.replace(/\./g, '_'),
      phrases: i.phrases,
      ...(i.answer?.trim() ? { reply: i.answer } : {}),
    })),
    knowledge: { enabled: c.knowledgeBase?.enabled ?? true, answerThreshold: c.knowledgeBase?.answerThreshold ?? 0.5 },
    ...(c.maxTurns !== undefined ? { maxTurns: c.maxTurns } : {}),
    ...(c.confidenceThreshold !== undefined ? { confidenceThreshold: c.confidenceThreshold } : {}),
    ...(c.lowConfidenceLimit !== undefined ? { lowConfidenceLimit: c.lowConfidenceLimit } : {}),
    ...(c.escalateOn !== undefined ? { escalateOn: c.escalateOn as BotOptionsInput['escalateOn'] } : {}),
    ...(fallback?.trim() ? { texts: { fallback } } : {}),
    slots: (c.slots ?? [])
      .filter((s) => ENTITY_TYPES.has(s.entity as EntityType))
      .map((s) => ({
        name: s.name,
        entity: s.entity as EntityType,
        prompt: s.prompt,
        // An optional slot is asked once; a required one is asked again (twice) when the answer lacks it.
        maxReprompts: s.required === false ? 0 : 2,
        ...(s.intents?.length ? { intents: s.intents.map((i) => i.replace(/\./g, '_')) } : {}),
      })),
  };
}

export function createActivities(deps: ActivityDependencies) {
  const { logger } = deps;
  const log = (site: CallSite) => logger.child({ contactId: site.contactId, nodeId: site.nodeId, visit: site.visit });

  const builtins: BuiltinActivities = {
    async botTurn(request) {
      const options = botOptionsFor(request.nodeId, undefined, request.config);
      if (!request.message) return emptyBotTurn(request.conversation);
      try {
        const turn = await runBotTurn({
          options,
          state: (request.conversation as ConversationState | null) ?? null,
          message: request.message.text,
          messageIndex: request.message.index,
          now: request.now,
          customer: request.customer,
          repeatContact: request.customer.attributes.repeatContact === true,
        });
        const resolvingIntents = new Set(((request.config as FlowBotConfig).intents ?? []).filter((i) => i.resolves).map((i) => i.name.replace(/\./g, '_')));
        const outcome = turn.outcome === 'continue' && resolvingIntents.has(turn.nlu.intent) ? 'resolved' : turn.outcome;
        const slots = (request.config as FlowBotConfig).slots ?? [];
        const variables: Record<string, string> = {};
        for (const slot of slots) {
          const value = turn.slots[slot.name];
          if (slot.saveAs && value !== undefined) variables[slot.saveAs] = value;
        }
        log(request).debug({ intent: turn.nlu.intent, outcome }, 'bot turn');
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
        };
      } catch (e) {
        nonRetryable(e);
      }
    },

    async classify(request) {
      try {
        const { nlu, analysis } = await classifyMessage({ message: request.text, now: request.now, messageIndex: request.index, customer: request.customer });
        const wanted = new Set(((request.config.detect as string[] | undefined) ?? ['intent', 'sentiment', 'topics', 'triggers']));
        const limited = (request.config.intents as string[] | undefined) ?? [];
        const snapshot = {
          intent: wanted.has('intent') && (limited.length === 0 || limited.includes(nlu.intent)) ? nlu.intent : 'none',
          confidence: wanted.has('intent') ? nlu.confidence : 0,
          sentiment: wanted.has('sentiment') ? nlu.sentiment : 0,
          topics: wanted.has('topics') ? nlu.topics : [],
          triggers: wanted.has('triggers') ? nlu.triggers : [],
        };
        const trigger = wanted.has('triggers') ? (analysis.triggers[0] ?? null) : null;
        return { nlu: snapshot, trigger };
      } catch (e) {
        nonRetryable(e);
      }
    },

    async buildHandoff(request) {
      const conversations = Object.entries(request.conversations).filter(([, c]) => c !== null && c !== undefined);
      // The bot the contact talked with last is the one whose state explains the handoff.
      const last = conversations.sort(([, a], [, b]) => ((b as ConversationState).nextMessageIndex ?? 0) - ((a as ConversationState).nextMessageIndex ?? 0))[0];
      try {
        const pkg = await buildHandoffPackage({
          contactId: request.contactId,
          channel: request.channel,
          customer: request.customer,
          state: (last?.[1] as ConversationState | undefined) ?? null,
          transcript: request.transcript,
          now: request.now,
          ...(request.trigger ? { trigger: request.trigger } : {}),
          ...(last ? { node: { nodeId: last[0] } } : {}),
        });
        return applyHandoffSelection(pkg, request.include);
      } catch (e) {
        nonRetryable(e);
      }
    },

    async createWorkItem(request) {
      const result = await deps.workItems.create(request);
      log(request).info({ workItemId: result.workItemId, queue: request.queue }, 'work item created');
      return result;
    },

    async raiseWorkItemPriority({ workItemId, by, reason }) {
      await deps.workItems.raisePriority(workItemId, by, reason);
    },

    async moveWorkItem({ workItemId, queue, reason }) {
      await deps.workItems.move(workItemId, queue, reason);
    },

    async withdrawWorkItem({ workItemId, reason }) {
      await deps.workItems.withdraw(workItemId, reason);
    },

    async withdrawWorkItemsOf({ contactId, workflowId, reason }) {
      return { withdrawn: await deps.workItems.withdrawOpenOf(contactId, workflowId, reason) };
    },

    async assistAgent(request) {
      const lastCustomer = request.transcript.map((t) => t.from).lastIndexOf('customer');
      const suggestions = await assist({ channel: request.channel, transcript: request.transcript, now: new Date().toISOString() });
      const result: AssistSuggestions = {
        basedOnMessage: lastCustomer,
        articles: request.options.knowledge === false ? [] : suggestions.articles.slice(0, 3).map((h) => ({ id: h.article.id, title: h.article.title, score: Number(h.confidence.toFixed(3)) })),
        draftReply: request.options.drafts === false ? null : suggestions.draft.text,
        complianceFlags: request.options.compliance === false ? [] : suggestions.complianceFlags.map((f) => ({ kind: f.kind, message: f.message })),
      };
      return result;
    },

    async deliverMessage(request) {
      await deps.channel.deliver(request);
    },

    async createTicket(request) {
      const key = `${request.workflowId}/${request.nodeId}/${request.visit}`;
      return deps.tickets.create(key, request);
    },

    async fetchLiveData({ queues, calendars }) {
      const result: LiveDataResponse = { queues: {}, calendars: {} };
      for (const q of queues) result.queues[q] = await deps.workItems.estimatedWaitSeconds(q);
      for (const name of calendars) {
        const cal = await deps.calendars.get(name);
        if (!cal) throw ApplicationFailure.nonRetryable(`the calendar "${name}" does not exist`, 'UnknownCalendar');
        result.calendars[name] = cal;
      }
      return result;
    },

    async loadSubflowPlan({ flowId }) {
      const found = await deps.plans.latestPublished(flowId);
      if (!found) throw ApplicationFailure.nonRetryable(`the flow "${flowId}" has no published version`, 'UnknownFlow');
      return found;
    },

    async emitEvents({ events }) {
      await deps.events.publish(events);
    },
  };

  const custom: Record<string, (request: { input: unknown; site: CallSite }) => Promise<unknown>> = {};
  for (const descriptor of deps.customActivities?.descriptors() ?? []) {
    const activity = deps.customActivities?.get(descriptor.name);
    if (!activity) continue;
    custom[customActivityType(descriptor.name)] = async ({ input, site }) => {
      const ctx = Context.current();
      try {
        return await activity.invoke(input, { attempt: ctx.info.attempt, contactId: site.contactId, nodeId: site.nodeId, signal: ctx.cancellationSignal });
      } catch (e) {
        nonRetryable(e);
      }
    };
  }

  return { ...builtins, ...custom };
}

function emptyBotTurn(conversation: unknown) {
  return {
    outcome: 'continue' as const,
    replies: [],
    conversation,
    nlu: { intent: 'none', confidence: 0, sentiment: 0, topics: [], triggers: [] },
    bot: {},
    escalation: null,
    variables: {},
  };
}

/** Drops the parts of the handoff package the escalate node chose not to show. */
function applyHandoffSelection(pkg: HandoffPackage, include: Record<string, boolean>): HandoffPackage {
  return {
    ...pkg,
    ...(include.transcript === false ? { transcript: [] } : {}),
    ...(include.summary === false ? { summary: '' } : {}),
    ...(include.entities === false ? { entities: [] } : {}),
    ...(include.sentiment === false ? { sentiment: { history: [], current: 0, direction: 'stable' as const } } : {}),
    ...(include.intent === false ? { intent: null } : {}),
    ...(include.trigger === false ? { trigger: null } : {}),
    ...(include.tried === false ? { tried: [] } : {}),
  };
}

export type TandemActivities = ReturnType<typeof createActivities>;
