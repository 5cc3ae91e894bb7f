/**
 * The escalate node's activities: the handoff package (virtual agent), the work item in routing and
 * its SLA breach actions, and agent assist on each customer message while a human has the contact.
 */
import type { Channel, Customer, EscalationTrigger, HandoffPackage, NluSnapshot, TranscriptEntry } from '@tandem/contracts';
import type { EscalateConfig } from '@tandem/flow';
import { answerWhileWaiting, assist, buildHandoffPackage, endAfterQuietPeriod, type ConversationState } from '@tandem/virtual-agent';
import type { AssistSuggestions } from '@tandem/workflow-contract';
import type { CallSite } from '../../activities/contract';
import { nonRetryableInputError, type ActivityDependencies } from '../../activities/dependencies';

export interface HandoffRequest extends CallSite {
  channel: Channel;
  customer: Customer;
  transcript: TranscriptEntry[];
  /** Bot conversation states of the contact's bot nodes (what was tried, entities, sentiment). */
  conversations: Record<string, unknown>;
  /** Bot nodes whose conversation the flow's quiet period resolved after an answer. */
  resolvedQuietly?: string[];
  /** The bot nodes' labels, by id (the handoff says where the bot was stuck in the designer's words). */
  labels?: Record<string, string>;
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
      const quiet = new Set(request.resolvedQuietly ?? []);
      const conversations = Object.entries(request.conversations)
        .filter(([, c]) => c !== null && c !== undefined)
        // A conversation the quiet period resolved: its answer is settled, the bot is not stuck on it.
        .map(([id, c]): [string, unknown] => [id, quiet.has(id) ? endAfterQuietPeriod(c as ConversationState) : c]);
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
          ...(last ? { node: { nodeId: last[0], ...(request.labels?.[last[0]] ? { label: request.labels[last[0]] } : {}) } } : {}),
          // What a classify step learnt fills what no bot conversation did; the attributes the node chose.
          nlu: request.nlu,
          ...(request.attributes && Object.keys(request.attributes).length ? { attributes: request.attributes } : {}),
        });
        return selectHandoff(pkg, request.include);
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

    async answerWhileWaiting({ text, channel, now }) {
      // A question the knowledge base is sure of; anything else is acknowledged by the flow.
      return answerWhileWaiting({ message: text, channel, now });
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

/** Drops the parts of the handoff package the escalate node chose not to show. */
function selectHandoff(pkg: HandoffPackage, include: EscalateConfig['handoff']): HandoffPackage {
  return {
    ...pkg,
    ...(include.transcript ? {} : { transcript: [] }),
    ...(include.summary ? {} : { summary: '' }),
    ...(include.entities ? {} : { entities: [] }),
    ...(include.sentiment ? {} : { sentiment: { history: [], current: 0, direction: 'stable' as const } }),
    ...(include.intent ? {} : { intent: null }),
    ...(include.trigger ? {} : { trigger: null }),
    ...(include.tried ? {} : { tried: [] }),
  };
}
