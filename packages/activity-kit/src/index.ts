/**
 * The activity kit: how an engineer adds a custom activity to Tandem.
 *
 * A custom activity is a typed function with a name, a description and zod schemas for its input and
 * output. The worker registers it with Temporal (input and output validated on every call), the API
 * lists its descriptor in the catalog so it appears in the designer's palette, and the flow compiler
 * checks an activity node's input mapping against the descriptor's JSON Schema.
 *
 * @example
 * export const lookupOrder = defineActivity({
 *   name: 'orders.lookup',
 *   title: 'Look up an order',
 *   description: 'Finds an order by number in the order database.',
 *   input: z.object({ orderNumber: z.string().min(1) }),
 *   output: z.object({ found: z.boolean(), status: z.string().optional() }),
 *   timeoutSeconds: 5,
 *   async execute({ orderNumber }) { ... },
 * });
 */
import { z } from 'zod';

/** What an activity may learn about the call it serves. */
export interface CustomActivityContext {
  /** Temporal's activity attempt number, starting at 1. */
  attempt: number;
  /** The contact this call belongs to. */
  contactId: string;
  /** The flow node that called it. */
  nodeId: string;
  /** Aborted when Temporal cancels the activity (e.g. the contact ended, a parallel branch lost). */
  signal: AbortSignal;
}

export interface RetryPolicy {
  maximumAttempts: number;
  initialIntervalSeconds: number;
  backoffCoefficient: number;
}

/** The definition an engineer writes. */
export interface CustomActivityDefinition<I extends z.ZodType, O extends z.ZodType> {
  /** Unique, stable name, dotted lower case: `orders.lookup`. Flows reference it. */
  name: string;
  /** Added when the input or output changes incompatibly; flows keep the version they were built with. */
  version?: number;
  title: string;
  description: string;
  /** Palette group in the designer. */
  category?: string;
  input: I;
  output: O;
  /** Start-to-close timeout of one attempt (default 30 s). */
  timeoutSeconds?: number;
  retry?: Partial<RetryPolicy>;
  execute(input: z.output<I>, context: CustomActivityContext): Promise<z.input<O>>;
}

/** Serializable description of an activity: what the catalog and the compiler see. */
export interface CustomActivityDescriptor {
  name: string;
  version: number;
  title: string;
  description: string;
  category: string;
  /** JSON Schema (draft 2020-12) of the input the flow must map. */
  inputSchema: Record<string, unknown>;
  /** JSON Schema of the output, written into the flow context. */
  outputSchema: Record<string, unknown>;
  timeoutSeconds: number;
  retry: RetryPolicy;
}

export interface CustomActivity<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly definition: CustomActivityDefinition<I, O>;
  readonly descriptor: CustomActivityDescriptor;
  /** Validates the input, runs the activity, validates the output. */
  invoke(input: unknown, context: CustomActivityContext): Promise<z.output<O>>;
}

/** Thrown for input or output that does not match the activity's schema: never worth a retry. */
export class ActivityContractError extends Error {
  constructor(
    readonly activity: string,
    readonly side: 'input' | 'output',
    readonly issues: { path: string; message: string }[],
  ) {
    super(`${activity}: invalid ${side}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'ActivityContractError';
  }
}

const NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

const DEFAULT_RETRY: RetryPolicy = { maximumAttempts: 3, initialIntervalSeconds: 1, backoffCoefficient: 2 };

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

function jsonSchema(schema: z.ZodType, activity: string, side: string): Record<string, unknown> {
  try {
    return z.toJSONSchema(schema, { io: side === 'input' ? 'input' : 'output' });
  } catch (e) {
    throw new Error(`${activity}: the ${side} schema cannot be described as JSON Schema (${(e as Error).message}); use plain zod types`);
  }
}

/** Defines a custom activity; throws at definition time on a bad name or schema. */
export function defineActivity<I extends z.ZodType, O extends z.ZodType>(definition: CustomActivityDefinition<I, O>): CustomActivity<I, O> {
  if (!NAME.test(definition.name)) {
    throw new Error(`custom activity name "${definition.name}" must be dotted lower case, e.g. "orders.lookup"`);
  }
  if (!definition.title.trim() || !definition.description.trim()) {
    throw new Error(`custom activity "${definition.name}" needs a title and a description: the designer shows them`);
  }
  const timeoutSeconds = definition.timeoutSeconds ?? 30;
  if (!(timeoutSeconds > 0 && timeoutSeconds <= 3600)) {
    throw new Error(`custom activity "${definition.name}": timeoutSeconds must be in (0, 3600]`);
  }
  const descriptor: CustomActivityDescriptor = {
    name: definition.name,
    version: definition.version ?? 1,
    title: definition.title,
    description: definition.description,
    category: definition.category ?? 'Custom',
    inputSchema: jsonSchema(definition.input, definition.name, 'input'),
    outputSchema: jsonSchema(definition.output, definition.name, 'output'),
    timeoutSeconds,
    retry: { ...DEFAULT_RETRY, ...definition.retry },
  };
  return {
    definition,
    descriptor,
    async invoke(input, context) {
      const parsedInput = definition.input.safeParse(input);
      if (!parsedInput.success) throw new ActivityContractError(definition.name, 'input', issuesOf(parsedInput.error));
      const result = await definition.execute(parsedInput.data, context);
      const parsedOutput = definition.output.safeParse(result);
      if (!parsedOutput.success) throw new ActivityContractError(definition.name, 'output', issuesOf(parsedOutput.error));
      return parsedOutput.data;
    },
  };
}

/** A set of custom activities with unique names, as a worker registers them. */
export class ActivityRegistry {
  private readonly byName = new Map<string, CustomActivity>();

  constructor(activities: CustomActivity[] = []) {
    for (const a of activities) this.register(a);
  }

  register(activity: CustomActivity): this {
    if (this.byName.has(activity.descriptor.name)) {
      throw new Error(`custom activity "${activity.descriptor.name}" is registered twice`);
    }
    this.byName.set(activity.descriptor.name, activity);
    return this;
  }

  get(name: string): CustomActivity | undefined {
    return this.byName.get(name);
  }

  /** Descriptors sorted by name: what the catalog lists and the compiler's resolver knows. */
  descriptors(): CustomActivityDescriptor[] {
    return [...this.byName.values()].map((a) => a.descriptor).sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** Type guard for modules that export custom activities (the worker loads them by path). */
export function isCustomActivity(value: unknown): value is CustomActivity {
  return (
    typeof value === 'object' &&
    value !== null &&
    'descriptor' in value &&
    'invoke' in value &&
    typeof (value as CustomActivity).invoke === 'function'
  );
}
