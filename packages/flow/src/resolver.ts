/**
 * How the compiler learns about things outside the flow: queues, custom activities, other flows and
 * business-hours calendars. Synchronous on purpose: the API prefetches what a flow may reference and
 * compilation stays pure and fast (the designer compiles on every edit).
 */
import { type Calendar } from './calendar/calendar';

/** A human queue known to routing. */
export interface QueueInfo {
  name: string;
  /** Skills agents of this queue may have; when given, required skills are checked against it. */
  skills?: readonly string[];
}

/** A JSON Schema (the subset the compiler reads: type, properties, required, items). */
export interface JsonSchemaObject {
  type?: string | string[];
  properties?: Record<string, JsonSchemaObject>;
  required?: readonly string[];
  items?: JsonSchemaObject;
  [keyword: string]: unknown;
}

/** A custom activity from the activity kit, as shown in the palette. */
export interface ActivityInfo {
  name: string;
  description?: string;
  /** JSON Schema of the input; each property is mapped with a CEL expression in the activity node. */
  inputSchema: JsonSchemaObject;
  outputSchema?: JsonSchemaObject;
}

/** A published flow that can be called as a subflow. */
export interface SubflowInfo {
  id: string;
  name?: string;
  /** Its possible outcomes: the subflow node gets one exit per outcome. */
  outcomes: readonly string[];
  /** Variables it accepts as input, by name and type. */
  inputs?: readonly { name: string; type: string }[];
}

/** A named business-hours calendar. */
export interface CalendarInfo {
  name: string;
  calendar?: Calendar;
}

/**
 * Looks up external names. Return `undefined` for a name that does not exist: the compiler turns it
 * into a diagnostic on the node that uses it.
 */
export interface FlowResolver {
  queue(name: string): QueueInfo | undefined;
  activity(name: string): ActivityInfo | undefined;
  subflow(id: string): SubflowInfo | undefined;
  calendar(name: string): CalendarInfo | undefined;
}

/** What `createStaticResolver` knows. */
export interface StaticResolverData {
  queues?: readonly (QueueInfo | string)[];
  activities?: readonly ActivityInfo[];
  subflows?: readonly SubflowInfo[];
  calendars?: readonly (CalendarInfo | string)[];
}

/**
 * A resolver over prefetched lists.
 *
 * @example
 * ```ts
 * const resolver = createStaticResolver({ queues: ['billing', 'support'], calendars: ['support'] });
 * compileFlow(document, resolver);
 * ```
 */
export function createStaticResolver(data: StaticResolverData = {}): FlowResolver {
  const queues = new Map((data.queues ?? []).map((q) => (typeof q === 'string' ? { name: q } : q)).map((q) => [q.name, q]));
  const activities = new Map((data.activities ?? []).map((a) => [a.name, a]));
  const subflows = new Map((data.subflows ?? []).map((s) => [s.id, s]));
  const calendars = new Map((data.calendars ?? []).map((c) => (typeof c === 'string' ? { name: c } : c)).map((c) => [c.name, c]));
  return {
    queue: (name) => queues.get(name),
    activity: (name) => activities.get(name),
    subflow: (id) => subflows.get(id),
    calendar: (name) => calendars.get(name),
  };
}

/** A resolver that knows nothing: every reference is reported. */
export const emptyResolver: FlowResolver = createStaticResolver();
