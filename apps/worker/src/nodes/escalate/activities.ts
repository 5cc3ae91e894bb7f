/**
 * The escalate node's activities: the handoff package (virtual agent), the work item in routing and
 * its SLA breach actions, and agent assist on each customer message while a human has the contact.
 */
import type { Channel, Customer, EscalationTrigger, HandoffPackage, NluSnapshot, TranscriptEntry } from '@tandem/contracts';
import type { EscalateConfig } from '@tandem/flow';
import { assist, buildHandoffPackage, KnowledgeBase, type ConversationState } from '@tandem/virtual-agent';
import type { AssistSuggestions } from '@tandem/workflow-contract';
import type { CallSite } from '../../activities/contract';
import { nonRetryableInputError, type ActivityDependencies } from '../../activities/dependencies';

export interface HandoffRequest extends CallSite {
  channel: Channel;
  customer: Customer;
  transcript: TranscriptEntry[];
  /** Bot conversation states of the contact's bot nodes (what was tried, entities, sentiment). */
  conversations: Record<string, unknown>;
  nlu: NluSnapshot;
  trigger: EscalationTrigger | null;
  /** Which parts the escalate node wants the agent to see. */
  include: EscalateConfig['handoff'];
  /** The customer attributes the escalate node chose to show (picked by the workflow). */
  attributes?: Record<string, unknown>;
  now: string;
}

/** A customer's message while queued for a person. */
export interface WaitingQuestion extends CallSite {
  text: string;
  channel: Channel;
  now: string;
}

export interface CreateWorkItemRequest extends CallSite {
  queue: string;
  priority: number;
  requiredSkills: { skill: string; minLevel: number }[];
  channel: Channel;
  handoff: HandoffPackage;
  slaTargetSeconds: number;
  flowId: string;
  flowVersion: number;
}

export interface AssistRequest extends CallSite {
  workItemId: string;
  transcript: TranscriptEntry[];
  channel: Channel;
  options: EscalateConfig['aiAssist'];
}

export interface EscalateActivities {
  buildHandoff(request: HandoffRequest): Promise<HandoffPackage>;
  createWorkItem(request: CreateWorkItemRequest): Promise<{ workItemId: string }>;
  raiseWorkItemPriority(request: { workItemId: string; by: number; reason: string }): Promise<void>;
  moveWorkItem(request: { workItemId: string; queue: string; reason: string }): Promise<void>;
  assistAgent(request: AssistRequest): Promise<AssistSuggestions>;
  /** The bot's confident answer to a question asked while queued ("when do you open?"), else null. */
  answerWhileWaiting(request: WaitingQuestion): Promise<{ reply: string; articleId: string } | null>;
}

export function createEscalateActivities(deps: Pick<ActivityDependencies, 'workItems' | 'logger'>): EscalateActivities {
  return {
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
        return selectHandoff(withClassification(pkg, request), request.include, request.attributes);
      } catch (e) {
        nonRetryableInputError(e);
      }
    },

    async createWorkItem(request) {
      const result = await deps.workItems.create(request);
      deps.logger.child({ contactId: request.contactId, nodeId: request.nodeId, visit: request.visit }).info({ workItemId: result.workItemId, queue: request.queue }, 'work item created');
      return result;
    },

    async raiseWorkItemPriority({ workItemId, by, reason }) {
      await deps.workItems.raisePriority(workItemId, by, reason);
    },

    async moveWorkItem({ workItemId, queue, reason }) {
      await deps.workItems.move(workItemId, queue, reason);
    },

    async answerWhileWaiting({ text }) {
      // A question, answered by an article the knowledge base is sure of; anything else is acknowledged by the flow.
      if (!/\?|^\s*(when|what|where|how|why|which|who|do|does|can|is|are)\b/i.test(text)) return null;
      const [hit] = knowledge.search(text, { limit: 1 });
      return hit && hit.confidence >= WAITING_ANSWER_CONFIDENCE ? { reply: hit.article.body, articleId: hit.article.id } : null;
    },

    async assistAgent(request) {
      const lastCustomer = request.transcript.map((t) => t.from).lastIndexOf('customer');
      const suggestions = await assist({ channel: request.channel, transcript: request.transcript, now: new Date().toISOString() });
      return {
        basedOnMessage: lastCustomer,
        articles: request.options.knowledge ? suggestions.articles.slice(0, 3).map((h) => ({ id: h.article.id, title: h.article.title, score: Number(h.confidence.toFixed(3)) })) : [],
        draftReply: request.options.drafts ? suggestions.draft.text : null,
        complianceFlags: request.options.compliance ? suggestions.complianceFlags.map((f) => ({ kind: f.kind, message: f.message })) : [],
      };
    },
  };
}

/** How sure the knowledge base must be to answer a question while the customer waits for a person. */
const WAITING_ANSWER_CONFIDENCE = 0.75;
const knowledge = KnowledgeBase.default();

/**
 * What a classify step learnt fills what the bot's conversation did not (a flow without a bot, or one
 * that escalated before the bot spoke): intent, topics, sentiment.
 */
function withClassification(pkg: HandoffPackage, { nlu }: HandoffRequest): HandoffPackage {
  return {
    ...pkg,
    intent: pkg.intent ?? (nlu.intent !== 'none' ? { name: nlu.intent, confidence: nlu.confidence } : null),
    topics: pkg.topics.length ? pkg.topics : nlu.topics,
    sentiment: pkg.sentiment.history.length ? pkg.sentiment : { history: [nlu.sentiment], current: nlu.sentiment, direction: 'stable' },
  };
}

/** Drops the parts of the handoff package the escalate node chose not to show; adds the attributes it chose. */
function selectHandoff(pkg: HandoffPackage, include: EscalateConfig['handoff'], attributes: Record<string, unknown> = {}): HandoffPackage {
  return {
    ...pkg,
    ...(Object.keys(attributes).length ? { attributes } : {}),
    ...(include.transcript ? {} : { transcript: [] }),
    ...(include.summary ? {} : { summary: '' }),
    ...(include.entities ? {} : { entities: [] }),
    ...(include.sentiment ? {} : { sentiment: { history: [], current: 0, direction: 'stable' as const } }),
    ...(include.intent ? {} : { intent: null }),
    ...(include.trigger ? {} : { trigger: null }),
    ...(include.tried ? {} : { tried: [] }),
  };
}
