/**
 * Flow tests: test conversations stored with a flow (its document's `tests`), versioned with it but not
 * part of its plan — editing a test never changes the plan or its hash. A test names a customer and a
 * channel, plays turns (the customer's messages, a simulated agent's actions, silences) and states what
 * must hold after a turn and at the end: the path, who has the contact, the outcome, the handoff, what
 * the bot says and must not say. The API runs them on the real worker in a sandbox; publishing runs them
 * too (docs/flow-language.md, "Flow tests").
 */
import { channelSchema, contactOutcomeSchema, escalationTriggerKindSchema, workItemOutcomeSchema } from '@tandem/contracts';
import { z } from 'zod';
import { isValidTimeZone } from '../calendar/calendar';

/** Ids of tests: what `POST /v1/flows/:flowId/tests/run` names to run one; unique within a flow. */
export const flowTestIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must start with a letter or digit and contain only letters, digits, "_", "-", "." or ":" (at most 64)');

/**
 * The longest customer or agent message a test may send: the longest message a contact accepts
 * (`MAX_CUSTOMER_MESSAGE_LENGTH` in `@tandem/workflow-contract`, which depends on this package).
 */
export const FLOW_TEST_MAX_MESSAGE = 10_000;
/** At most this many tests per flow, turns per test, and seconds of silence in one turn. */
export const FLOW_TEST_LIMITS = { tests: 50, turns: 40, quietSeconds: 300 } as const;

const message = z.string().trim().min(1, 'must not be empty').max(FLOW_TEST_MAX_MESSAGE);
/** Words the bot must (or must not) say: matched case-insensitively, spaces normalised, anywhere in its messages. */
const phrase = z.string().trim().min(1, 'must not be empty').max(500);
const nodeRef = z.string().min(1).max(128);

/** Who is talking with the customer: what the contact's `handledBy` says. */
export const flowTestHandledBySchema = z.enum(['bot', 'queue', 'human', 'flow', 'ended']);
export type FlowTestHandledBy = z.infer<typeof flowTestHandledBySchema>;

/** What the handoff package an agent receives must say (only the fields given are checked). */
export const handoffExpectationSchema = z.strictObject({
  /** The trigger that escalated (`human_request`, `complaint`…); `null`: the flow escalated without one. */
  trigger: escalationTriggerKindSchema.nullable().optional().describe('The trigger that escalated; null: none (an unconditional escalation)'),
  /** The intent the agent is shown; `null`: none. */
  intent: z.string().min(1).max(100).nullable().optional().describe('The intent the agent is shown; null: none'),
  /** The node where the bot got stuck. */
  stuckAt: nodeRef.optional().describe('The node where the bot got stuck'),
  /** Details the bot must have extracted (an order number…); `value` matched case-insensitively when given. */
  entities: z
    .array(z.strictObject({ type: z.string().min(1).max(100), value: z.string().min(1).max(500).optional() }))
    .max(20)
    .optional()
    .describe('Details the bot must have extracted, e.g. { type: "order_number", value: "A-1042" }'),
  /** Topics the handoff must list. */
  topics: z.array(z.string().min(1).max(100)).max(20).optional().describe('Topics the handoff must list'),
  /** Customer attributes the agent must be shown, with these values. */
  attributes: z.record(z.string(), z.unknown()).optional().describe('Customer attributes the agent must be shown, with these values'),
});
export type HandoffExpectation = z.infer<typeof handoffExpectationSchema>;

/**
 * What must hold after a turn (or at the end of the test). Every field is optional; the fields given are
 * checked. Paths and text are cumulative where that is what a designer means: `visited` looks at the
 * whole path so far; `says` / `saysNot` at what the flow said in this turn (at the end: the whole
 * conversation).
 */
export const flowTestExpectationsSchema = z.strictObject({
  /** Nodes the contact must have gone through (by now, in any order). */
  visited: z.array(nodeRef).max(100).optional().describe('Nodes the contact must have gone through by now'),
  /** Nodes the contact must not have gone through. */
  notVisited: z.array(nodeRef).max(100).optional().describe('Nodes the contact must not have gone through'),
  /** The node the contact is at (waiting there) after the turn. */
  at: nodeRef.optional().describe('The node the contact is at (waiting there)'),
  /** Exits taken: the contact left `node` through `port`. */
  exits: z
    .array(z.strictObject({ node: nodeRef, port: z.string().min(1).max(128) }))
    .max(50)
    .optional()
    .describe('Exits the contact took: it left node through port'),
  /** Who is talking with the customer. */
  handledBy: flowTestHandledBySchema.optional().describe('Who is talking with the customer: bot, queue (waiting for a person), human, flow, ended'),
  /** How the contact ended (it must have ended). */
  outcome: contactOutcomeSchema.optional().describe('How the contact ended (it must have ended)'),
  /** The queue the contact waits in, or an agent of which has it. */
  queue: z.string().min(1).max(100).optional().describe('The queue of the contact\'s open work item'),
  /** What the handoff package says. */
  handoff: handoffExpectationSchema.optional().describe('What the handoff package the agent receives must say'),
  /** Text the flow must say (bot and system messages), each somewhere in what it said. */
  says: z.array(phrase).max(20).optional().describe('Text the bot must say (case-insensitive)'),
  /** Text the flow must not say. */
  saysNot: z.array(phrase).max(20).optional().describe('Text the bot must not say (case-insensitive)'),
  /** Values of flow variables (`ctx`), compared as JSON. */
  variables: z.record(z.string(), z.unknown()).optional().describe('Values of flow variables, compared as JSON'),
});
export type FlowTestExpectations = z.infer<typeof flowTestExpectationsSchema>;

const turnExpect = flowTestExpectationsSchema.optional().describe('What must hold once the flow has answered this turn');

/**
 * One turn of a test: the customer writes, a simulated agent acts (through routing, as agents do), or
 * the customer stays quiet for a while.
 */
export const flowTestTurnSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('customer'), text: message.describe('What the customer writes'), expect: turnExpect }),
  /** A simulated agent takes the contact's open work item (it is offered to the agent, who accepts). */
  z.strictObject({ kind: z.literal('agent_accept'), expect: turnExpect }),
  /** The agent who accepted writes to the customer. */
  z.strictObject({ kind: z.literal('agent_message'), text: message.describe('What the agent writes'), expect: turnExpect }),
  /** The agent completes the work item: an outcome and wrap-up reason tags. */
  z.strictObject({
    kind: z.literal('agent_resolve'),
    outcome: workItemOutcomeSchema.default('resolved').describe('How the agent handled it'),
    tags: z.array(z.string().min(1).max(64)).max(20).default([]).describe('Wrap-up reason tags'),
    note: z.string().max(2000).optional(),
    expect: turnExpect,
  }),
  /** The agent transfers the work item to another queue. */
  z.strictObject({ kind: z.literal('agent_transfer'), queue: z.string().min(1).max(100).describe('The queue it goes to'), note: z.string().max(2000).optional(), expect: turnExpect }),
  /** The customer says nothing for this long (timers, quiet periods and SLAs run meanwhile). */
  z.strictObject({ kind: z.literal('quiet'), seconds: z.number().int().min(1).max(FLOW_TEST_LIMITS.quietSeconds).describe('How long the customer stays quiet'), expect: turnExpect }),
]);
export type FlowTestTurn = z.infer<typeof flowTestTurnSchema>;
export type FlowTestTurnInput = z.input<typeof flowTestTurnSchema>;
export type FlowTestTurnKind = FlowTestTurn['kind'];

/** The customer of a test: what the flow sees as `customer`. */
export const flowTestCustomerSchema = z.strictObject({
  id: z.string().min(1).max(200).default('test-customer').describe('`customer.id`'),
  name: z.string().max(200).optional().describe('`customer.name`'),
  email: z.string().max(320).optional().describe('`customer.email`'),
  phone: z.string().max(50).optional().describe('`customer.phone`'),
  tier: z.string().min(1).max(50).default('standard').describe('`customer.tier` (e.g. vip)'),
  authenticated: z.boolean().default(false).describe('`customer.authenticated`'),
  /** CRM attributes, readable as `customer.attributes`. */
  attributes: z.record(z.string(), z.unknown()).default({}).describe('CRM attributes, `customer.attributes`'),
});
export type FlowTestCustomer = z.infer<typeof flowTestCustomerSchema>;

/** When the conversation happens, for flows that follow business hours. */
export const flowTestClockSchema = z.strictObject({
  /** The local date, `YYYY-MM-DD` (default: today). */
  date: z.iso.date().optional().describe('The local date, YYYY-MM-DD (default: today)'),
  /** The local time of day, `HH:MM` (24 h). */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day, HH:MM (24 h)').optional().describe('The local time of day, HH:MM (24 h)'),
  /** The IANA time zone the date and time are in. */
  timezone: z.string().min(1).max(64).refine(isValidTimeZone, 'an IANA time zone, e.g. Europe/London').default('UTC').describe('The IANA time zone of date and time'),
});
export type FlowTestClock = z.infer<typeof flowTestClockSchema>;

/**
 * A test conversation.
 *
 * @example
 * ```json
 * { "id": "human-request", "name": "A request for a person reaches the queue",
 *   "customer": { "name": "Ada", "tier": "standard" }, "channel": "chat",
 *   "firstMessage": "where is my order",
 *   "turns": [
 *     { "kind": "customer", "text": "I want to talk to a real person",
 *       "expect": { "handledBy": "queue", "handoff": { "trigger": "human_request" } } },
 *     { "kind": "agent_accept" },
 *     { "kind": "agent_resolve", "outcome": "resolved", "tags": ["order_status"] }
 *   ],
 *   "expect": { "visited": ["support-agents"], "saysNot": ["Glad I could help"] } }
 * ```
 */
export const flowTestSchema = z.strictObject({
  id: flowTestIdSchema.describe('Unique within the flow; a run names a test by it'),
  name: z.string().trim().min(1).max(200).describe('What the test shows, as results name it'),
  description: z.string().max(2000).optional(),
  customer: flowTestCustomerSchema.default({ id: 'test-customer', tier: 'standard', authenticated: false, attributes: {} }).describe('The customer, as the flow sees them'),
  /** The channel the contact arrives on (default: the flow's first channel). */
  channel: channelSchema.optional().describe("The channel the contact arrives on (default: the flow's first)"),
  /** When it happens (default: now). */
  clock: flowTestClockSchema.optional().describe('When the conversation happens (default: now)'),
  /** The message that opens the contact, read by the first step that reads input. */
  firstMessage: message.optional().describe('The message that opens the contact'),
  /** What must hold once the flow has answered the opening. */
  afterStart: flowTestExpectationsSchema.optional().describe('What must hold once the flow has answered the opening'),
  turns: z.array(flowTestTurnSchema).max(FLOW_TEST_LIMITS.turns).default([]).describe('What happens next, in order'),
  /** What must hold after the last turn; `says` / `saysNot` look at the whole conversation. */
  expect: flowTestExpectationsSchema.default({}).describe('What must hold after the last turn (says / saysNot: the whole conversation)'),
});
export type FlowTest = z.infer<typeof flowTestSchema>;
export type FlowTestInput = z.input<typeof flowTestSchema>;

/** A flow's test suite: the document's `tests`. */
export const flowTestsSchema = z.array(flowTestSchema).max(FLOW_TEST_LIMITS.tests);
