/**
 * Builds docs/flow-language.md from the code: the node catalog (ports, config fields from the JSON
 * Schemas, docs), the expression environment and the diagnostic catalog with real compiler messages.
 * `npm run docs -w @tandem/flow` writes it; a test fails when the file is out of date.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  compileFlow,
  DEFAULT_ESCAPE_HATCH_TRIGGERS,
  type DiagnosticCode,
  diagnosticCatalog,
  DIAGNOSTIC_CODES,
  expressionEnvironment,
  FLOW_TEST_LIMITS,
  flowTestExpectationsSchema,
  flowTestSchema,
  nodeCatalog,
  nodeConfigJsonSchema,
  nodeDefinitions,
} from '../src';
import { brokenDocument, diagnosticCases, resolver } from '../test/fixtures/diagnostic-cases';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
};

interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  default?: unknown;
  description: string;
}

function typeOf(schema: Schema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) {
    // A nullable value is one type or null, not variants to list.
    const values = variants.filter((v) => v.type !== 'null');
    return values.length === 1 && variants.length === 2 ? `${typeOf(values[0]!)} | null` : 'one of the variants below';
  }
  if (schema.type === 'array') return `list of ${schema.items ? typeOf(schema.items) : 'values'}`;
  if (schema.type === 'integer' || schema.type === 'number') {
    const max = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined;
    const min = schema.minimum !== undefined && schema.minimum > Number.MIN_SAFE_INTEGER ? schema.minimum : undefined;
    if (min !== undefined && max !== undefined) return `${schema.type} ${min}…${max}`;
    if (min !== undefined) return `${schema.type} ≥ ${min}`;
    if (max !== undefined) return `${schema.type} ≤ ${max}`;
    return schema.type;
  }
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  return schema.type ?? 'any';
}

function variantName(variant: Schema): string {
  const discriminator = Object.entries(variant.properties ?? {}).find(([, p]) => p.const !== undefined);
  return discriminator ? `${discriminator[0]} = ${JSON.stringify(discriminator[1].const)}` : 'variant';
}

function fields(schema: Schema, prefix: string, rows: FieldRow[]): void {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${name}`;
    const variants = property.oneOf ?? property.anyOf;
    rows.push({
      path,
      type: typeOf(property),
      required: (schema.required ?? []).includes(name) && property.default === undefined,
      default: property.default,
      description: property.description ?? '',
    });
    if (variants) {
      for (const variant of variants) fields(variant, `${path} (${variantName(variant)}).`, rows);
    } else if (property.type === 'object' && property.properties) {
      fields(property, `${path}.`, rows);
    } else if (property.type === 'array' && property.items) {
      const itemVariants = property.items.oneOf ?? property.items.anyOf;
      if (itemVariants) for (const variant of itemVariants) fields(variant, `${path}[] (${variantName(variant)}).`, rows);
      else if (property.items.properties) fields(property.items, `${path}[].`, rows);
    }
  }
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function fieldTable(schema: Schema): string {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return variants.map((v) => `When \`${variantName(v)}\`:\n\n${fieldTable(v)}`).join('\n\n');
  const rows: FieldRow[] = [];
  fields(schema, '', rows);
  if (rows.length === 0) return '_No settings._';
  return [
    '| field | type | default | description |',
    '|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| \`${r.path}\` | ${cell(r.type)} | ${r.required ? '**required**' : r.default === undefined ? '—' : `\`${cell(JSON.stringify(r.default))}\``} | ${cell(r.description)} |`,
    ),
  ].join('\n');
}

function nodeSection(): string {
  const catalog = nodeCatalog();
  const parts: string[] = [];
  for (const entry of catalog) {
    const definition = nodeDefinitions.find((d) => d.type === entry.type && d.typeVersion === entry.typeVersion)!;
    const ports = entry.ports
      ? entry.ports.length === 0
        ? 'none (the contact ends here)'
        : entry.ports.map((p) => `\`${p.id}\` (${p.label}${p.description ? `: ${p.description}` : ''})`).join(', ')
      : 'derived from the settings (see below)';
    parts.push(
      [
        `### \`${entry.type}\` — ${entry.title} (v${entry.typeVersion})`,
        '',
        `${entry.description} Category: ${entry.category}. ${entry.hasInput ? '' : 'Nothing may connect into it. '}${entry.waits ? '**Waits** (a loop may pass through it).' : ''}`.trim(),
        '',
        `**Exits:** ${ports}`,
        '',
        definition.docs,
        '',
        fieldTable(nodeConfigJsonSchema(definition)),
      ].join('\n'),
    );
  }
  return parts.join('\n\n');
}

function environmentSection(): string {
  return expressionEnvironment
    .map((variable) =>
      [
        `**\`${variable.name}\`** — ${variable.description}`,
        '',
        '| field | type | description |',
        '|---|---|---|',
        ...variable.fields.map((f) => `| \`${variable.name}.${f.name}\` | \`${f.type}\` | ${cell(f.description)} |`),
      ].join('\n'),
    )
    .join('\n\n');
}

/** The field tables of a test and of its expectations, from their JSON Schemas. */
function testsSection(): string {
  const schema = (s: z.ZodType): Schema => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Schema;
  const test = schema(flowTestSchema);
  // Expectations get their own table: inline, they would repeat under afterStart, every turn and expect.
  const expectations = (description: string): Schema => ({ type: 'expectations', description });
  test.properties!.afterStart = expectations('What must hold once the flow has answered the opening');
  test.properties!.expect = expectations('What must hold after the last turn (`says` / `saysNot`: the whole conversation)');
  const turns = test.properties!.turns!.items!;
  for (const variant of turns.oneOf ?? turns.anyOf ?? []) variant.properties!.expect = expectations('What must hold once the flow has answered this turn');
  return [
    '**A test** (`flowTestSchema`):',
    '',
    fieldTable(test),
    '',
    '**Expectations** (`afterStart`, each turn\'s `expect`, and the test\'s `expect` at the end; only the fields given are checked):',
    '',
    fieldTable(schema(flowTestExpectationsSchema)),
  ].join('\n');
}

function diagnosticsSection(): string {
  return DIAGNOSTIC_CODES.map((code: DiagnosticCode) => {
    const entry = diagnosticCatalog[code];
    const result = compileFlow(brokenDocument(diagnosticCases[code]), diagnosticCases[code].resolver ?? resolver);
    const example = result.diagnostics.find((d) => d.code === code)!;
    const where = [example.nodeId && `node \`${example.nodeId}\``, example.edgeId && `edge \`${example.edgeId}\``, example.path && `path \`${JSON.stringify(example.path)}\``, example.range && `characters ${example.range.start}–${example.range.end}`]
      .filter(Boolean)
      .join(', ');
    return [
      `### ${code} (${entry.severity})`,
      '',
      entry.summary,
      '',
      `> ${example.message}${where ? `  \n> — on ${where}` : ''}`,
      '',
      `**Fix:** ${entry.fix}`,
    ].join('\n');
  }).join('\n\n');
}

/** The whole document. */
export function flowLanguageMarkdown(): string {
  return `<!-- Generated by packages/flow/scripts/flow-language-docs.ts (npm run docs -w @tandem/flow). Do not edit by hand. -->
# The flow language

A **flow** is what a CX designer draws: nodes (bot, decision, escalate…) joined by connections from a
node's exits to the next node. \`@tandem/flow\` defines the document the designer saves, the catalog of
node types, the CEL expressions used in conditions and templates, and the compiler that turns a document
into an executable **plan** for the Temporal worker. It is pure TypeScript with no I/O: the designer (in
the browser), the API and the workflow sandbox import the same code.

\`\`\`ts
import { compileFlow, createStaticResolver } from '@tandem/flow';

const result = compileFlow(document, createStaticResolver({ queues: ['support', 'billing'], calendars: ['support-hours'] }));
if (result.ok) publish(result.plan);      // result.diagnostics may still hold warnings
else showOnCanvas(result.diagnostics);    // each pinned on a node, an edge, a config path, characters
\`\`\`

## The document

\`{ schemaVersion: 1, id, name, description, channels, variables, nodes, edges, guarantees, tests }\` (\`flowDocumentSchema\`;
JSON Schema: \`flowDocumentJsonSchema()\`).

- \`channels\`: \`voice\`, \`chat\`, \`email\` — at least one.
- \`variables\`: \`{ name, type, default?, description? }\`; \`type\` is one of \`string\`, \`int\`, \`double\`,
  \`bool\`, \`list<string>\`, \`list<int>\`, \`list<double>\`, \`map\`. Expressions read them as \`ctx.<name>\`;
  set, wait, survey, bot slots and activities write them. Without a default a variable starts at its
  type's zero value (\`""\`, \`0\`, \`false\`, \`[]\`, \`{}\`).
- \`nodes\`: \`{ id, type, typeVersion, position, label, config }\`. \`label\` is what diagnostics and agents
  see. \`config\` is checked against the node type's schema; defaults are applied in the plan.
- \`edges\`: \`{ id, source, sourcePort, target }\`. Each exit of a node has exactly one connection; to do
  several things at once use a parallel node.

- \`guarantees\`: the conversation guarantees' settings, below.
- \`tests\`: the flow's test conversations, below (not part of the plan).

Node types are versioned: a changed behaviour is a new \`typeVersion\`, never an edit of an existing one,
and a published plan keeps the version it was compiled with.

## Conversation guarantees

Whatever a flow draws, these hold for every contact (set once per flow in \`guarantees\`):

- **The escape hatch is global.** Wherever the contact waits for the customer's words — a bot, a wait
  for a reply, a survey — a request for a person, and the sensitive triggers listed in
  \`guarantees.escalation.triggers\` (default ${'`'}${DEFAULT_ESCAPE_HATCH_TRIGGERS.join('`, `')}${'`'}), are honoured in that turn: the
  customer is told \`guarantees.escalation.message\` and the contact goes to
  \`guarantees.escalation.target\` — the flow's only escalate step when it has one and none is named. A bot
  leaves through its own \`escalate\` exit (the flow's triggers are added to the ones it escalates on). A
  step opts out only explicitly, with \`escapeHatch: { optOut: true, reason }\`, and the validator shows the
  reason (FLOW_ESCAPE_HATCH_OPTED_OUT). Inside a parallel branch the hatch does not apply.
- **Containment needs evidence.** A bot counts a conversation as resolved only when the customer
  confirms, or after \`guarantees.containment.quietSeconds\` (default 120) of silence following an answer
  — never right after an answer, a promise or a question for a slot. An intent's \`answer\` is followed by
  "Did that answer your question?" (\`texts.confirmAnswer\`); slot filling ends by saying the intent's
  answer with the slots filled in.
- **Negative feedback is repaired, never said goodbye to.** "No", "that didn't help", "wrong", "still
  broken" after an answer lead to another article, or to a request to say more with the offer of a person
  (\`texts.answerRejected\`). The same need failing twice (\`failureLimit\`), or three messages the bot did
  not understand (\`fallbackLimit\`), go to a person as \`bot_failure\`, with the loop as evidence. A first
  message the bot does not understand is not greeted: it asks once to say it another way
  (\`clarifyLimit\`), then offers a person (\`offerPerson\`). A customer the flow greeted is not greeted
  again by the bot.
- **Honest escalations.** The cause of an escalation is exact: a bot's trigger (with the customer's
  words as evidence), the escape hatch's trigger at the waiting step, or — when a decision's rule sent
  the contact to a person — \`flow_rule\` with the decision and the rule's id and label. A classify step's
  intent, sentiment and topics reach the handoff; \`escalate.handoff.attributes\` lists the customer
  attributes the agent sees (nothing else of \`customer.attributes\` is shown). The API adds
  \`customer.attributes.recentContacts\` — the customer's contacts of the last
  \`TANDEM_REPEAT_CONTACT_WINDOW_DAYS\` (default 7) from Tandem's own history, unless the caller passed
  them — which the bot's \`repeat_contact\` trigger and your conditions read. The handoff's \`stuckAt\` names the step and the unmet need;
  \`tried\` lists each attempt with its outcome and the customer's answer. Frustration is detected from
  the wording, from the same question asked again and from answers that failed.
- **Nothing kills a conversation.** An expression that fails at run time takes the step's defined way
  out — a decision's next rules and \`default\`, an assignment keeps its variable, a template is said as
  written — and the error is recorded on the step's metrics; the compiler warns about what can fail
  (FLOW_EXPR_MAY_FAIL: a conversion of text, a whole-number division by a value). A customer message
  holds at most 10,000 characters at every entry point (the API answers \`400 message_too_long\` beyond).
- **Compliance before sending.** An agent's message is checked before it goes out: a card number or a
  full IBAN is refused, an account number or a missing disclosure is sent and flagged. Payment card
  numbers are masked (last four digits kept) in transcripts, handoff packages and events, whoever wrote
  them.
- **Waiting customers are never left in silence.** While a contact waits for a person, each customer
  message is joined to the transcript the agent will see and answered — by the answer of the
  knowledge base when the bot can still answer it ("when do you open?"), else by
  \`escalate.waiting.acknowledge\`; \`escalate.waiting.update\` (with the position or \`queue.ewt(…)\`) is
  said every \`escalate.waiting.updateEverySeconds\`.
- **The agent joins visibly.** Accepting an offer or claiming the work item sets \`handledBy: human\` and
  tells the customer \`escalate.waiting.agentJoined\`.
- **Every sentence is the flow's.** What the bot says (\`bot.texts\`, the greeting, the fallback), the
  escape hatch's message, the waiting and joining messages are all the flow's to change; the defaults
  promise no timing and never contradict each other (an after-hours bot's \`texts\` say "our team … when
  we open", not "a colleague now").

The flow tests below are how a flow shows it keeps them: every example flow ships with a suite that
does.

## Flow tests

A flow carries its own **test conversations** in \`tests\`: versioned with the flow (published with each
version, compared by the diff), but not part of the plan — editing a test never changes the plan or its
hash. A test names a customer (\`customer\`: id, name, tier, authenticated, attributes), a channel and
optionally a time, opens the contact (with a \`firstMessage\` or without) and plays **turns**:

- \`customer\` — the customer writes \`text\`;
- \`agent_accept\` — a simulated agent takes the contact's open work item (routing offers it to the agent,
  who accepts it, as agents do); \`agent_message\` — the agent writes \`text\`; \`agent_resolve\` — the agent
  completes the item with an \`outcome\` and wrap-up \`tags\`; \`agent_transfer\` — the agent moves it to
  another \`queue\`;
- \`quiet\` — the customer says nothing for \`seconds\` (at most ${FLOW_TEST_LIMITS.quietSeconds}); timers, quiet periods and SLAs run
  meanwhile.

**Expectations** say what must hold once the flow has answered the opening (\`afterStart\`), a turn (its
\`expect\`) and the last turn (the test's \`expect\`): steps visited or not, the step the contact is at,
exits taken, who has the contact (\`handledBy\`), the outcome, the queue, fields of the handoff package,
values of variables, and text the bot must say or must not say (\`says\` / \`saysNot\`, case-insensitive:
what the flow said in that turn; at the end, in the whole conversation). Each item is one check; a test
passes when every check does. \`checkExpectations(expect, observation, graph)\` is the one reading of
them, pure, shared by the API and the designer.

\`\`\`json
{ "id": "human-request", "name": "A request for a person reaches the queue",
  "customer": { "name": "Ada" }, "channel": "chat", "firstMessage": "where is my order",
  "turns": [
    { "kind": "customer", "text": "I want to talk to a real person",
      "expect": { "handledBy": "queue", "handoff": { "trigger": "human_request" } } },
    { "kind": "agent_accept" },
    { "kind": "agent_resolve", "outcome": "resolved", "tags": ["order_status"] }
  ],
  "expect": { "visited": ["support-agents"], "saysNot": ["Glad I could help"] } }
\`\`\`

The API runs tests on the real worker as **sandbox** contacts (no tickets are created, nothing is
delivered through a channel, events are published as simulations; custom activities still run), several
at a time: \`POST /v1/flows/:flowId/tests/run\` for the draft or a version (docs/api.md). **Publishing runs
them**: a failing test refuses the version (409 \`flow_tests_failed\`, naming the test and the turn), unless
an admin publishes over it with a reason that the version keeps. The designer's Tests tab writes and runs
them without code (docs/designer.md). The compiler checks them against the flow (the \`FLOW_TEST_*\`
diagnostics below): a step, exit or variable a test names must exist.

${testsSection()}

## Expressions

Conditions, priorities, assignments and activity inputs are **CEL** (Common Expression Language,
evaluated by \`@marcbachmann/cel-js\`; JavaScript is never evaluated). They are type-checked when the flow
compiles: a decision rule must give \`bool\`, a priority an \`int\`, an assignment the variable's type, an
activity input the type its JSON Schema declares. Errors point at the exact characters.

\`\`\`cel
nlu.sentiment < -0.5 && "legal_threat" in nlu.triggers
customer.tier == "vip" ? 80 : 40
queue.ewt("billing") > 300 && !hours.open("support-hours")
nlu.triggers.exists(t, t in ["complaint", "regulatory"])
has(customer.attributes.lifetimeValue) && customer.attributes.lifetimeValue > 10000
\`\`\`

Integers are CEL \`int\`s (\`ctx.attempts + 1\`); decimals are \`double\`s (\`nlu.confidence < 0.5\`); the two
compare freely, but arithmetic needs one kind (\`int(queue.ewt("billing") / 60.0)\`).

### Environment

${environmentSection()}

**\`ctx\`** — the flow's declared variables, typed from the document (\`ctx.attempts\` is an \`int\` when
\`attempts\` is declared \`int\`; an undeclared name is a compile error).

### Live data

\`queue.ewt(name)\` and \`hours.open(name)\` read data that changes while a contact runs. To keep the
workflow deterministic the compiler records, for every expression, the queue and calendar names it uses
(\`refs\` in the plan); the worker fetches those values in an activity and passes them as \`live\` in the
activation. The name must therefore be written in quotes (\`queue.ewt("billing")\`), and must exist.

### Templates

Messages, prompts, subjects and greetings are templates: text with CEL inside \`{{ }}\`, e.g.
\`Thanks {{customer.name}}, your wait is about {{int(queue.ewt("billing") / 60.0)}} minutes\`. Values
render as text: whole numbers without decimals, decimals rounded to two places, \`true\`/\`false\` as
\`yes\`/\`no\`, lists joined with \`, \`, absent fields as empty text. There is no escape character: write
literal braces as CEL strings, \`{{"{{"}}\` for \`{{\` and \`{{"}" + "}"}}\` for \`}}\` (a \`}}\` inside the
quotes would end the expression), e.g. \`Type {{"{{"}}name{{"}" + "}"}} to insert your name\` renders
\`Type {{name}} to insert your name\`. \`renderTemplate\` (on an evaluator) renders them; the compiler checks every expression inside.

### Evaluating at run time

\`\`\`ts
import { createEvaluator } from '@tandem/flow/runtime';

const evaluator = createEvaluator(plan);                  // parses each source once, then caches it
const state = evaluator.prepare({ contact, customer, nlu, bot, ctx, live: { queues: { billing: 420 } } });
evaluator.evaluateCondition('queue.ewt("billing") > 300', state);   // true
evaluator.renderTemplate('Thanks {{customer.name}}', state);
\`\`\`

\`@tandem/flow/runtime\` is the entry for the Temporal workflow sandbox: plan schema and hash check,
evaluator, templates and business hours, without the compiler. Absent activation fields take their
zero value; missing live data or a run-time failure throws \`ExpressionEvaluationError\`.

## Business hours

A calendar is \`{ timezone, weekly, holidays }\`: an IANA zone, opening intervals per weekday
(\`{ open: "09:00", close: "17:30" }\`, \`close\` may be \`24:00\`; overnight hours are two intervals) and
closed dates (\`YYYY-MM-DD\`, local). Nodes name a calendar the resolver knows (\`{ kind: "named", name }\`)
or write one inline (\`{ kind: "inline", calendar }\`). \`isOpen(calendar, instant)\` and
\`nextOpening(calendar, instant)\` are pure functions of the instant (the worker passes workflow time),
follow daylight-saving rules (an opening time inside a spring-forward gap opens when the clocks jump;
when clocks go back, the first occurrence counts) and skip holidays.

## Loops and parallels

- A **loop** (a cycle of connections) must pass through a node that waits — bot, wait, escalate, survey,
  subflow — so a contact never spins without time passing, and through a node with \`maxVisits\`. When a
  node has run \`maxVisits\` times, the next time the contact arrives it leaves through \`onMaxVisits\`
  (default: the node's usual fallback exit, e.g. a bot's \`escalate\`, a wait's \`timeout\`) without
  running. Those exits must lead out of the loop. The plan lists each loop (\`loops\`) and each bounded
  node carries \`loop: { maxVisits, exitPort }\`.
- A **parallel** starts its branches at once; every branch must reach the same **join**, and no branch
  may end the contact or loop back to the fork on its own. The join's \`mode\` decides when the flow goes
  on (\`all\`, \`first\` with the others cancelled, \`any\` with the others finishing their step). The plan
  lists each fork with its branches and join (\`parallels\`).

## The plan

\`compileFlow\` returns \`{ ok: true, plan, diagnostics }\` or \`{ ok: false, diagnostics }\`; it never throws.
The plan (\`Plan\`, \`planSchema\`) is \`{ schemaVersion: 1, flowId, name, hash, channels, variables, start,
nodes, parallels, loops }\`: only the nodes reachable from the start, keyed by id, each with its config
(defaults applied), \`next\` (exit → node id), its compiled \`expressions\` (keyed by JSON Pointer into the
config, with type and live-data refs), \`waits\` and \`loop\`. It is plain JSON, its keys are sorted, and
\`hash\` is the SHA-256 of its canonical JSON without \`hash\` — the same whatever the order of nodes and
edges, the positions or the edge ids. \`verifyPlanHash(plan)\` lets the worker refuse a plan edited after
compilation.

## Node types

${nodeSection()}

## Diagnostics

Every diagnostic has a stable \`code\`, a \`severity\` (\`error\` prevents a plan; \`warning\` does not), a
\`message\` for the designer, and where it belongs: \`nodeId\`, \`edgeId\`, \`path\` (in the node's config, or
in the document) and, for expressions and templates, \`range\` (character offsets). Diagnostics are
sorted so that they too do not depend on the order of nodes and edges. Each example below is the real
message the compiler gives on a small document with that problem.

${diagnosticsSection()}
`;
}

if (require.main === module) {
  const target = path.resolve(__dirname, '../../../docs/flow-language.md');
  writeFileSync(target, flowLanguageMarkdown());
  console.log(`wrote ${target}`);
}
