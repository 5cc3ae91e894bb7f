import { z } from 'zod';

/**
 * The CloudEvents 1.0 envelope, JSON format (structured content mode on Kafka: the whole envelope is
 * the message value, `content-type: application/cloudevents+json`).
 *
 * Tandem's choices within the spec:
 * - `type` carries the version: `tandem.<name>.v<version>` (e.g. `tandem.step.exited.v1`). A breaking
 *   change publishes a new type beside the old one; compatible additions (new optional fields) keep it.
 * - `subject` is the contact id (for inbound requests: the external contact id). It is also the Kafka
 *   key, so all events of one contact land on one partition, in order.
 * - `datacontenttype` is always `application/json`; `data` is an object validated per type.
 * - Contact and feedback events carry the extension attributes `flowid`, `flowversion` and `nodeid`,
 *   on which projections are keyed and by which subscribers can filter without reading `data`.
 * - A contact that is not real traffic — a designer's test chat of a draft (`flowversion` 0), or a
 *   test run of a published version — carries `simulation: true` (see {@link checkSimulation}).
 */
export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';
export const DATA_CONTENT_TYPE = 'application/json';

/** Extension attribute names: lower-case ASCII letters and digits, at most 20 characters (spec §3.1.1). */
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
const CONTEXT_ATTRIBUTES = new Set(['specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'dataschema', 'data', 'data_base64']);

/** RFC 3339 timestamp with a zone, as CloudEvents requires for `time`. */
const rfc3339 = z.iso.datetime({ offset: true, message: 'expected an RFC 3339 timestamp, e.g. 2026-01-01T10:00:00.000Z' });

/** Any CloudEvents 1.0 JSON event with JSON `data`: what every Tandem event is before its type is checked. */
export const cloudEventSchema = z
  .object({
    specversion: z.literal(CLOUDEVENTS_SPEC_VERSION, { message: 'expected specversion "1.0"' }),
    id: z.string().min(1, 'id must not be empty'),
    source: z.string().min(1, 'source must not be empty'),
    type: z.string().min(1, 'type must not be empty'),
    time: rfc3339,
    subject: z.string().min(1, 'subject (the contact id) must not be empty'),
    datacontenttype: z.literal(DATA_CONTENT_TYPE, { message: `expected datacontenttype "${DATA_CONTENT_TYPE}"` }),
    dataschema: z.string().optional(),
    data: z.record(z.string(), z.unknown(), { message: 'data must be a JSON object' }),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean()], { message: 'extension attribute values are strings, numbers or booleans' }))
  .superRefine((event, ctx) => {
    for (const key of Object.keys(event)) {
      if (!CONTEXT_ATTRIBUTES.has(key) && !EXTENSION_NAME.test(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'extension attribute names are lower-case letters and digits, at most 20 characters' });
      }
    }
  });
export type CloudEvent = z.infer<typeof cloudEventSchema>;

/** The `flowversion` of a contact that runs a flow's draft: a designer's test chat. */
export const DRAFT_FLOW_VERSION = 0;

/**
 * Extension attributes on every contact and feedback event: where in which flow it happened, and
 * whether it happened in a simulation. Checked together by {@link checkSimulation}.
 */
export const flowExtensionsSchema = z.object({
  /** The flow the contact runs. */
  flowid: z.string().min(1, 'flowid must not be empty'),
  /**
   * The published version of that flow the contact started on (it keeps it to the end), from 1; or
   * 0 ({@link DRAFT_FLOW_VERSION}) for a contact that runs the draft, which is always a simulation.
   */
  flowversion: z.number().int('flowversion must be an integer').min(DRAFT_FLOW_VERSION, 'flowversion is 0 (a draft) or a published version from 1'),
  /** The flow node the event is about. */
  nodeid: z.string().min(1, 'nodeid must not be empty'),
  /**
   * Present, and `true`, only on events of a simulated contact (a designer's test chat, a flow test):
   * not traffic of the version, so projections and metrics skip it. Real traffic omits it.
   */
  simulation: z.literal(true, { message: 'simulation is true on a simulated contact\'s events and absent otherwise' }).optional(),
});
export type FlowExtensions = z.infer<typeof flowExtensionsSchema>;

/**
 * The rule that ties the two attributes together: a draft (`flowversion` 0) only ever runs as a
 * simulation, so its events must say `simulation: true`; a simulation of a published version is
 * allowed too (a flow test run against version 3 is still not version 3's traffic). Added to every
 * contact and feedback event schema.
 */
export function checkSimulation(event: { flowversion: number; simulation?: true | undefined }, ctx: z.RefinementCtx): void {
  if (event.flowversion === DRAFT_FLOW_VERSION && event.simulation !== true) {
    ctx.addIssue({ code: 'custom', path: ['flowversion'], message: 'flowversion 0 is a draft, which only runs as a simulation: the event needs simulation: true' });
  }
}

export const envelopeBaseSchema = z.object({
  specversion: z.literal(CLOUDEVENTS_SPEC_VERSION),
  id: z.string().min(1),
  source: z.string().min(1),
  time: rfc3339,
  subject: z.string().min(1),
  datacontenttype: z.literal(DATA_CONTENT_TYPE),
  dataschema: z.string().optional(),
});
