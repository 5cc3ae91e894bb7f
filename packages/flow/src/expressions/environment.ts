/**
 * The CEL environment flow expressions are checked and evaluated against. One definition serves the
 * compiler (type-checking in the API and the designer) and the evaluator (in the workflow sandbox).
 */
import { Environment, type ObjectSchema } from '@marcbachmann/cel-js';
import { type VariableType } from '../document';

/** A field of the expression environment, for docs and the designer's autocompletion. */
export interface EnvironmentField {
  name: string;
  type: string;
  description: string;
}

/** A top-level name of the expression environment. */
export interface EnvironmentVariable {
  name: string;
  description: string;
  fields: EnvironmentField[];
}

const contactFields: EnvironmentField[] = [
  { name: 'id', type: 'string', description: 'The contact id (one workflow per contact).' },
  { name: 'channel', type: 'string', description: '"voice", "chat" or "email".' },
  { name: 'attributes', type: 'map<string, dyn>', description: 'What the channel integration passed (e.g. `contact.attributes.dialledNumber`).' },
];

const customerFields: EnvironmentField[] = [
  { name: 'id', type: 'string', description: 'Customer id in the CRM.' },
  { name: 'name', type: 'string', description: 'Display name ("" when unknown).' },
  { name: 'email', type: 'string', description: 'Email address ("" when unknown).' },
  { name: 'phone', type: 'string', description: 'Phone number ("" when unknown).' },
  { name: 'tier', type: 'string', description: 'Service tier, e.g. "standard", "gold", "vip".' },
  { name: 'authenticated', type: 'bool', description: 'Whether the customer proved who they are.' },
  { name: 'authMethod', type: 'string', description: 'How: "none", "password", "otp", "sso", "knowledge_based", "voice_biometrics", "caller_id".' },
  { name: 'language', type: 'string', description: 'Preferred language (BCP 47, e.g. "en").' },
  { name: 'attributes', type: 'map<string, dyn>', description: 'Free-form CRM attributes (e.g. `customer.attributes.lifetimeValue`).' },
];

const nluFields: EnvironmentField[] = [
  { name: 'intent', type: 'string', description: 'Latest intent ("none" before any classification).' },
  { name: 'confidence', type: 'double', description: 'Confidence of the intent, 0 … 1.' },
  { name: 'sentiment', type: 'double', description: 'Sentiment of the latest customer message, -1 … 1.' },
  { name: 'topics', type: 'list<string>', description: 'Topics detected (e.g. "billing", "complaint").' },
  { name: 'triggers', type: 'list<string>', description: 'Escalation triggers detected (e.g. "legal_threat" in nlu.triggers).' },
];

const botFields: EnvironmentField[] = [
  { name: 'outcome', type: 'string', description: 'Exit of the last bot node: "resolved", "escalate", "no_match" ("none" before any).' },
  { name: 'intent', type: 'string', description: 'Last intent the bot recognised.' },
  { name: 'confidence', type: 'double', description: 'Its confidence, 0 … 1.' },
  { name: 'turns', type: 'int', description: 'Customer turns the bot handled.' },
  { name: 'lowConfidenceTurns', type: 'int', description: 'How many of them were below the confidence threshold.' },
  { name: 'articleId', type: 'string', description: 'Knowledge article of the last answer ("" when none).' },
  { name: 'trigger', type: 'string', description: 'The escalation trigger that fired ("" when none).' },
  { name: 'slots', type: 'map<string, string>', description: 'Slots the bot filled, by name.' },
];

/**
 * The names expressions can use besides `ctx` (whose fields are the flow's declared variables), and
 * the live-data functions.
 */
export const expressionEnvironment: readonly EnvironmentVariable[] = [
  { name: 'contact', description: 'The contact being handled.', fields: contactFields },
  { name: 'customer', description: 'The customer behind the contact (from @tandem/contracts Customer).', fields: customerFields },
  { name: 'nlu', description: 'The latest understanding of the conversation (NluSnapshot).', fields: nluFields },
  { name: 'bot', description: 'The result of the last bot node.', fields: botFields },
  {
    name: 'queue',
    description: 'Live queue statistics, fetched by the worker before evaluation.',
    fields: [{ name: 'ewt(name)', type: 'double', description: 'Estimated wait time of the named queue, in seconds: `queue.ewt("billing") > 300`.' }],
  },
  {
    name: 'hours',
    description: 'Live business hours, computed by the worker on workflow time.',
    fields: [{ name: 'open(name)', type: 'bool', description: 'Whether the named calendar is open now: `hours.open("support")`.' }],
  },
];

const schemaOf = (fields: EnvironmentField[]): ObjectSchema => Object.fromEntries(fields.map((f) => [f.name, f.type]));

/** The schemas the evaluator normalizes activations with (fills absent fields, converts ints). */
export const activationSchemas: Readonly<Record<'contact' | 'customer' | 'nlu' | 'bot', Record<string, string>>> = {
  contact: schemaOf(contactFields) as Record<string, string>,
  customer: schemaOf(customerFields) as Record<string, string>,
  nlu: schemaOf(nluFields) as Record<string, string>,
  bot: schemaOf(botFields) as Record<string, string>,
};

/** Receiver of `queue.ewt(name)`: the estimates the worker fetched, by queue name. */
export class QueueStats {
  constructor(readonly ewt: Readonly<Record<string, number>>) {}
}

/** Receiver of `hours.open(name)`: whether each calendar is open now, by name. */
export class BusinessHours {
  constructor(readonly open: Readonly<Record<string, boolean>>) {}
}

/** Thrown at evaluation when live data the compiler listed in `refs` was not provided. */
export class MissingLiveDataError extends Error {
  override readonly name = 'MissingLiveDataError';
}

function liveValue<T>(table: Readonly<Record<string, T>>, name: string, what: string): T {
  if (!Object.prototype.hasOwnProperty.call(table, name)) {
    throw new MissingLiveDataError(`No live ${what} for "${name}": fetch every name listed in the expression's refs before evaluating`);
  }
  return table[name] as T;
}

function createBaseEnvironment(): Environment {
  return new Environment({ homogeneousAggregateLiterals: false })
    .registerVariable({ name: 'contact', schema: schemaOf(contactFields) })
    .registerVariable({ name: 'customer', schema: schemaOf(customerFields) })
    .registerVariable({ name: 'nlu', schema: schemaOf(nluFields) })
    .registerVariable({ name: 'bot', schema: schemaOf(botFields) })
    .registerType('QueueStats', QueueStats)
    .registerType('BusinessHours', BusinessHours)
    .registerVariable('queue', 'QueueStats')
    .registerVariable('hours', 'BusinessHours')
    .registerFunction('QueueStats.ewt(string): double', (stats: QueueStats, name: string) => liveValue(stats.ewt, name, 'wait estimate'))
    .registerFunction('BusinessHours.open(string): bool', (hours: BusinessHours, name: string) => liveValue(hours.open, name, 'business hours'));
}

/** CEL type of a flow variable. */
export function celTypeOf(type: VariableType): string {
  return type === 'map' ? 'map<string, dyn>' : type;
}

let base: Environment | undefined;
const environments = new Map<string, Environment>();

/** A stable key for a set of declared variables. */
export function variablesSignature(variables: readonly { name: string; type: VariableType }[]): string {
  return variables
    .map((v) => `${v.name}:${v.type}`)
    .sort()
    .join(',');
}

/**
 * The environment for a flow with these declared variables (as `ctx`). Cached by signature: building
 * an environment costs far more than checking an expression.
 */
export function environmentFor(variables: readonly { name: string; type: VariableType }[]): Environment {
  const key = variablesSignature(variables);
  let env = environments.get(key);
  if (!env) {
    base ??= createBaseEnvironment();
    env = base.clone().registerVariable({ name: 'ctx', schema: Object.fromEntries(variables.map((v) => [v.name, celTypeOf(v.type)])) });
    // A designer session produces a few signatures; a server compiling many flows must not grow forever.
    if (environments.size >= 200) environments.clear();
    environments.set(key, env);
  }
  return env;
}
