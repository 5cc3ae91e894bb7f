/**
 * Custom activity used by the parallel example flow: drafts an email reply from the knowledge base
 * while an agent takes the call.
 */
import { defineActivity } from '@tandem/activity-kit';
import { KnowledgeBase, LocalReplyDrafter, type ReplyDrafter } from '@tandem/virtual-agent';
import { z } from 'zod';

const SUBJECTS: Record<string, string> = {
  warm: 'We are on it',
  neutral: 'About your request',
  formal: 'Regarding your enquiry',
};

export function createDraftEmailReplyActivity(options: { drafter?: ReplyDrafter; knowledge?: KnowledgeBase } = {}) {
  const drafter = options.drafter ?? new LocalReplyDrafter();
  const knowledge = options.knowledge ?? KnowledgeBase.default();
  return defineActivity({
    name: 'draft_email_reply',
    title: 'Draft an email reply',
    description: 'Drafts an email reply to the customer from the conversation so far.',
    category: 'AI',
    input: z.object({
      contactId: z.string().min(1),
      intent: z.string().optional(),
      customerEmail: z.string().min(1),
      tone: z.enum(['warm', 'neutral', 'formal']).optional(),
    }),
    output: z.object({ subject: z.string(), body: z.string() }),
    timeoutSeconds: 30,
    async execute({ intent, tone }) {
      const topic = intent && intent !== 'none' ? intent.replace(/_/g, ' ') : '';
      const articles = topic ? knowledge.search(topic, { ...(intent ? { intent } : {}), limit: 2 }).map((h) => h.article) : [];
      const draft = await drafter.draftReply({ transcript: [], articles, ...(intent ? { intent } : {}) });
      const subject = `${SUBJECTS[tone ?? 'neutral']}${topic ? `: ${topic}` : ''}`;
      return { subject, body: draft.text };
    },
  });
}
