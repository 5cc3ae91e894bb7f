import { z } from 'zod';
import { celExpression, loopBound, resourceName, seconds, template } from './common';
import { defineNode, type ExternalReference } from './types';

export const requiredSkillSchema = z.strictObject({
  skill: z.string().trim().min(1),
  /** 1 (beginner) … 10 (expert). */
  minLevel: z.number().int().min(1).max(10).default(1).describe('1 (beginner) … 10 (expert).'),
});

const DEFAULT_ACKNOWLEDGE = 'Thank you. I have added that to our conversation; the colleague who takes it will see it.';
const DEFAULT_UPDATE = 'You are still in the queue; thank you for waiting. A colleague will be with you as soon as possible.';
const DEFAULT_AGENT_JOINED = 'A colleague has joined the conversation and has read everything so far.';

/** What to do when the SLA target is breached, in order of `afterSeconds` past the target. */
export const breachActionSchema = z.discriminatedUnion('action', [
  z.strictObject({
    afterSeconds: z.number().int().min(0),
    action: z.literal('raise_priority'),
    /** Added to the work item's priority. */
    by: z.number().int().min(1).max(100).default(10).describe('Added to the work item\'s priority.'),
  }),
  z.strictObject({
    afterSeconds: z.number().int().min(0),
    action: z.literal('overflow'),
    /** The queue the work item moves to. */
    queue: resourceName.describe('The queue the work item moves to.'),
  }),
  z.strictObject({
    afterSeconds: z.number().int().min(0),
    action: z.literal('offer_callback'),
    /** What the customer is told (template). */
    message: z.string().max(2000).default('Our agents are still busy. Would you like us to call you back instead?').describe('What the customer is told (template).'),
  }),
]);
export type BreachAction = z.infer<typeof breachActionSchema>;

const handoffDefaults = { transcript: true, summary: true, entities: true, sentiment: true, intent: true, trigger: true, tried: true, attributes: [] as string[] };

export const escalateConfigSchema = z
  .object({
    queue: resourceName.describe('Human queue the work item goes to'),
    requiredSkills: z.array(requiredSkillSchema).default([]).describe('Skills an agent needs to be offered the work item'),
    /** CEL int; higher is served first. */
    priority: celExpression('Priority (CEL int), e.g. customer.tier == "vip" ? 50 : 10').default('0').describe('CEL int; higher is served first.'),
    sla: z
      .object({ targetSeconds: seconds().describe('Answer within this many seconds') })
      .default({ targetSeconds: 120 })
      .describe('Service level: answer within this time'),
    breachActions: z.array(breachActionSchema).default([]).describe('What to do once the SLA target has passed, in time order'),
    aiAssist: z
      .object({
        enabled: z.boolean().default(true),
        /** What the assistant surfaces to the agent on each customer message. */
        knowledge: z.boolean().default(true).describe('What the assistant surfaces to the agent on each customer message.'),
        drafts: z.boolean().default(true),
        compliance: z.boolean().default(true),
      })
      .default({ enabled: true, knowledge: true, drafts: true, compliance: true })
      .describe('AI assistance for the agent: knowledge, reply drafts, compliance flags'),
    /** What goes into the handoff package the agent sees. */
    handoff: z
      .object({
        transcript: z.boolean().default(true),
        summary: z.boolean().default(true),
        entities: z.boolean().default(true),
        sentiment: z.boolean().default(true),
        intent: z.boolean().default(true),
        trigger: z.boolean().default(true),
        tried: z.boolean().default(true),
        /** Customer and contact attributes shown to the agent, by name (e.g. `recentContacts`, `plan`). */
        attributes: z.array(z.string().min(1).max(100)).max(30).default([]).describe('Customer attributes the agent sees, by name (e.g. recentContacts, plan)'),
      })
      .default(handoffDefaults)
      .describe('What the handoff package shows the agent'),
    /** What the customer hears while waiting for a person (never silence). */
    waiting: z
      .strictObject({
        /** The answer to a customer's message while nobody has taken the contact yet (template); empty: none. */
        acknowledge: template('Answer to a message while waiting').default(DEFAULT_ACKNOWLEDGE).describe('The answer to a customer\'s message while waiting (template); empty for none'),
        /** Said every `updateEverySeconds` while waiting, e.g. with `queue.ewt("support")` (template). */
        update: template('Waiting update').default(DEFAULT_UPDATE).describe('Said at intervals while waiting (template), e.g. with the estimated wait'),
        /** How often to say `update`; absent: never. */
        updateEverySeconds: seconds().optional().describe('How often to say the waiting update; absent: never'),
        /** Told when an agent takes the contact (template). */
        agentJoined: template('When an agent joins').default(DEFAULT_AGENT_JOINED).describe('Told when an agent takes the contact (template)'),
      })
      .default({ acknowledge: DEFAULT_ACKNOWLEDGE, update: DEFAULT_UPDATE, agentJoined: DEFAULT_AGENT_JOINED })
      .describe('What the customer hears while waiting for a person'),
    /** Give up waiting for an agent after this long (`timeout` exit). */
    maxWaitSeconds: seconds().default(1800).describe('Give up waiting for an agent after this long (`timeout` exit).'),
    ...loopBound,
  })
  .superRefine((config, issue) => {
    config.breachActions.forEach((action, i) => {
      const previous = config.breachActions[i - 1];
      if (previous && action.afterSeconds < previous.afterSeconds) {
        issue.addIssue({
          code: 'custom',
          path: ['breachActions', i, 'afterSeconds'],
          message: `breach actions must be in time order: this one (${action.afterSeconds}s) comes before the previous one (${previous.afterSeconds}s)`,
        });
      }
      if (config.sla.targetSeconds + action.afterSeconds >= config.maxWaitSeconds) {
        issue.addIssue({
          code: 'custom',
          path: ['breachActions', i, 'afterSeconds'],
          message: `this action would run after the maximum wait (${config.maxWaitSeconds}s), so it never happens`,
        });
      }
    });
    if (config.sla.targetSeconds >= config.maxWaitSeconds) {
      issue.addIssue({ code: 'custom', path: ['sla', 'targetSeconds'], message: 'the SLA target must be shorter than the maximum wait' });
    }
  });
export type EscalateConfig = z.infer<typeof escalateConfigSchema>;

/** Hands the contact to a human queue with the full context. */
export const escalateNode = defineNode({
  type: 'escalate',
  typeVersion: 1,
  title: 'Escalate to agent',
  category: 'human',
  description: 'Route the contact to a human queue with skills, priority, SLA and the handoff package.',
  hasInput: true,
  waits: true,
  configSchema: escalateConfigSchema,
  ports: [
    { id: 'resolved', label: 'Resolved', description: 'An agent completed the work item.' },
    { id: 'timeout', label: 'Timed out', description: 'No agent took it within the maximum wait.' },
    { id: 'abandoned', label: 'Abandoned', description: 'The customer left while waiting or during the conversation.' },
    { id: 'transferred', label: 'Transferred', description: 'The agent transferred the contact back to the flow.' },
  ],
  loopExitPort: (config) => config.onMaxVisits ?? 'timeout',
  expressions: (config) => [
    { path: ['priority'], source: config.priority, kind: 'expression', expect: 'int', describe: 'priority' },
    { path: ['waiting', 'acknowledge'], source: config.waiting.acknowledge, kind: 'template', expect: 'any', describe: 'the answer while waiting' },
    { path: ['waiting', 'update'], source: config.waiting.update, kind: 'template', expect: 'any', describe: 'the waiting update' },
    { path: ['waiting', 'agentJoined'], source: config.waiting.agentJoined, kind: 'template', expect: 'any', describe: 'the agent-joined message' },
  ],
  references: (config) => [
    { kind: 'queue', name: config.queue, path: ['queue'] },
    ...config.breachActions.flatMap((a, i): ExternalReference[] =>
      a.action === 'overflow' ? [{ kind: 'queue', name: a.queue, path: ['breachActions', i, 'queue'] }] : [],
    ),
  ],
  validate: (config, context) => {
    const queue = context.resolver.queue(config.queue);
    if (!queue?.skills) return [];
    const known = new Set(queue.skills);
    return config.requiredSkills.flatMap((s, i) =>
      known.has(s.skill)
        ? []
        : [
            {
              code: 'FLOW_UNKNOWN_SKILL',
              severity: 'warning' as const,
              path: ['requiredSkills', i, 'skill'],
              message: `No agent of queue '${config.queue}' has the skill '${s.skill}', so the work item may never be offered`,
            },
          ],
    );
  },
  docs: `Creates a work item in \`queue\` (idempotently) carrying the handoff package, with \`requiredSkills\` and a
\`priority\` computed by a CEL int expression, then waits for an agent. When the SLA target
(\`sla.targetSeconds\`) passes without an agent, \`breachActions\` run in order, each \`afterSeconds\` past the target:
\`raise_priority\` (by N), \`overflow\` (move to another queue), \`offer_callback\` (offer the customer a callback
ticket). Skill relaxation is routing's business, not the flow's. With \`aiAssist.enabled\` the assistant surfaces
knowledge, drafts replies and flags compliance risks to the agent. \`handoff\` chooses what the agent sees
(\`handoff.attributes\`: the customer attributes shown, by name). While nobody has taken the contact, a
customer's message is answered (\`waiting.acknowledge\`, or the answer to a question the bot can still
answer), \`waiting.update\` is said every \`waiting.updateEverySeconds\`, and when an agent takes it the customer
is told \`waiting.agentJoined\`.
Leaves through \`resolved\`, \`timeout\` (after \`maxWaitSeconds\`), \`abandoned\` or \`transferred\`.`,
});
