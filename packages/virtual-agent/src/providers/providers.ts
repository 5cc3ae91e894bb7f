import type { TranscriptEntry } from '@tandem/contracts';
import type { KnowledgeArticle } from '../knowledge/knowledge-base';
import { extractiveSummary } from '../summary';

/** What a reply drafter sees: the conversation and the articles found for it. */
export interface DraftRequest {
  transcript: readonly TranscriptEntry[];
  articles: readonly KnowledgeArticle[];
  /** The customer's intent as recognised, if any. */
  intent?: string;
  customerName?: string;
}

/** A drafted reply and where it came from. */
export interface Draft {
  text: string;
  /** `local` or the remote provider's name; `local-fallback` when the remote one failed. */
  source: string;
  /** Articles the draft is based on. */
  articleIds: string[];
  /** Why the remote provider was not used, when it fell back. */
  fallbackReason?: string;
}

/** Drafts replies for a bot or an agent to send. */
export interface ReplyDrafter {
  draftReply(request: DraftRequest): Promise<Draft>;
}

export interface SummaryRequest {
  transcript: readonly TranscriptEntry[];
  keywords?: readonly string[];
}

export interface Summary {
  text: string;
  source: string;
  fallbackReason?: string;
}

/** Summarises a conversation for a handoff. */
export interface Summarizer {
  summarize(request: SummaryRequest): Promise<Summary>;
}

function firstSentences(text: string, count: number): string {
  return text
    .split(/(?<=[.!?])\s+/)
    .slice(0, count)
    .join(' ');
}

/**
 * The default drafter: the best article's opening sentences, addressed to the customer. Local,
 * deterministic, no network.
 */
export class LocalReplyDrafter implements ReplyDrafter {
  async draftReply({ articles, customerName, intent }: DraftRequest): Promise<Draft> {
    const greeting = customerName ? `Hi ${customerName.split(/\s+/)[0]}. ` : '';
    const best = articles[0];
    if (!best) {
      const topic = intent && intent !== 'none' ? ` about your ${intent.replace(/_/g, ' ')}` : '';
      return { text: `${greeting}Thanks for your patience. I am looking into this${topic} for you now.`, source: 'local', articleIds: [] };
    }
    return { text: `${greeting}${firstSentences(best.body, 2)}`, source: 'local', articleIds: [best.id] };
  }
}

/** The default summarizer: {@link extractiveSummary}. */
export class ExtractiveSummarizer implements Summarizer {
  async summarize({ transcript, keywords }: SummaryRequest): Promise<Summary> {
    return { text: extractiveSummary(transcript, keywords ? { keywords } : {}), source: 'local' };
  }
}
