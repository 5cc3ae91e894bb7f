/**
 * Flow tests over HTTP: running a flow's tests (`POST /v1/flows/:flowId/tests/run`), their results per
 * test and per turn, and the gate at publishing — a failing test refuses the version (409
 * `flow_tests_failed`, details {@link FlowTestsFailedDetails}) unless an admin overrides it with a reason,
 * which the version keeps ({@link VersionTests}).
 */
import { contactOutcomeSchema, transcriptEntrySchema } from '@tandem/contracts';
import { type FlowTestCheck, flowTestHandledBySchema, flowTestIdSchema } from '@tandem/flow';
import { z } from 'zod';
import { isoDateTime, MAX_INT } from './common';
import { flowVersionSchema, flowVersionSummarySchema, publishFlowSchema } from './flows';
import type { Assert, Same } from './same-type';

// ---- requests

/** `POST /v1/flows/:flowId/tests/run`. */
export const runFlowTestsSchema = z.strictObject({
  version: z.number().int().min(1).max(MAX_INT).optional().describe("Run a published version's tests against its plan (default: the draft's)."),
  tests: z.array(flowTestIdSchema).min(1).max(50).optional().describe('Ids of the tests to run (default: all of them).'),
});
export type RunFlowTestsRequest = z.input<typeof runFlowTestsSchema>;

/** `POST /v1/flows/:flowId/publish`, with the override of failing tests. */
export const publishTestedFlowSchema = publishFlowSchema.extend({
  testOverride: z
    .strictObject({ reason: z.string().trim().min(10, 'say why (at least 10 characters)').max(2_000) })
    .optional()
    .describe('Admins only: publish although tests fail. The reason and the failing tests are kept on the version.'),
});
export type PublishTestedFlowRequest = z.input<typeof publishTestedFlowSchema>;

// ---- results

/** One checked item of an expectation (`@tandem/flow`'s `FlowTestCheck`). */
export const flowTestCheckSchema = z.object({
  field: z.string().describe('Which expectation: visited, handledBy, handoff.trigger, says…'),
  passed: z.boolean(),
  expected: z.string().describe('What the test expected, in words.'),
  actual: z.string().describe('What happened, in words.'),
});
type _CheckIsTheFlowLanguages = Assert<Same<z.output<typeof flowTestCheckSchema>, FlowTestCheck>>;

export const flowTestStatusSchema = z.enum(['passed', 'failed', 'error', 'skipped']);
export type FlowTestStatus = z.output<typeof flowTestStatusSchema>;

/** The opening, one turn, or the end of a test, as it ran. */
export const flowTestTurnResultSchema = z.object({
  index: z.number().int().describe('0: the opening; 1…n: the turns; n+1: the end (the test\'s final expectations).'),
  kind: z.enum(['start', 'turn', 'end']),
  label: z.string().describe('The turn in words, e.g. `customer: “I want a person”`.'),
  status: z.enum(['passed', 'failed', 'error', 'not_run']),
  error: z.string().optional().describe('Why the turn could not be played (status error).'),
  checks: z.array(flowTestCheckSchema),
  said: z.array(z.string()).describe('What the flow said (bot and system) during the turn.'),
  path: z.array(z.string()).describe('Nodes entered during the turn, in order.'),
  steps: z.array(z.string()).describe('Nodes the contact was at afterwards.'),
  handledBy: flowTestHandledBySchema.nullable(),
  durationMs: z.number().int(),
});
export type FlowTestTurnResult = z.output<typeof flowTestTurnResultSchema>;

/** One test, as it ran. */
export const flowTestResultSchema = z.object({
  testId: z.string(),
  name: z.string(),
  status: flowTestStatusSchema,
  reason: z.string().nullable().describe('Why it was skipped, or what went wrong (status error).'),
  failure: z
    .object({ turn: z.number().int(), label: z.string(), message: z.string() })
    .nullable()
    .describe('The first turn that failed and what did not hold, in words (null when it passed).'),
  contactId: z.string().nullable().describe('The sandbox contact it ran as.'),
  durationMs: z.number().int(),
  turns: z.array(flowTestTurnResultSchema),
  path: z.array(z.string()).describe('Every node the contact entered, in order: what the designer lights on the canvas.'),
  outcome: contactOutcomeSchema.nullable(),
  transcript: z.array(transcriptEntrySchema),
});
export type FlowTestResult = z.output<typeof flowTestResultSchema>;

/** `POST /v1/flows/:flowId/tests/run`: every test run, and whether all passed. */
export const flowTestRunSchema = z.object({
  flowId: z.string(),
  version: z.union([z.literal('draft'), z.number().int()]),
  planHash: z.string(),
  startedAt: isoDateTime,
  durationMs: z.number().int(),
  passed: z.boolean().describe('Every test run passed (skipped ones aside).'),
  summary: z.object({ total: z.number().int(), passed: z.number().int(), failed: z.number().int(), errors: z.number().int(), skipped: z.number().int() }),
  tests: z.array(flowTestResultSchema),
});
export type FlowTestRun = z.output<typeof flowTestRunSchema>;

/** `details` of a 409 `flow_tests_failed` from publishing. */
export const flowTestsFailedDetailsSchema = z.object({
  run: flowTestRunSchema,
  overridable: z.boolean().describe('Whether the caller may publish anyway with `testOverride` (admins).'),
});
export type FlowTestsFailedDetails = z.output<typeof flowTestsFailedDetailsSchema>;

// ---- what a version keeps

/** What the tests said when a version was published, and the override if an admin published over failures. */
export const versionTestsSchema = z
  .object({
    total: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int().describe('Failed or could not run.'),
    skipped: z.number().int(),
    override: z
      .object({
        reason: z.string(),
        by: z.string(),
        at: isoDateTime,
        failing: z.array(z.object({ testId: z.string(), name: z.string(), failure: z.string() })),
      })
      .nullable()
      .describe('Set when an admin published although tests failed.'),
  })
  .nullable()
  .describe('The tests at publishing; null when none ran (published before flow tests, a rollback, or an example flow seeded by `npm start`).');
export type VersionTests = z.output<typeof versionTestsSchema>;

/** A published version in the history, with what its tests said. */
export const testedFlowVersionSummarySchema = flowVersionSummarySchema.extend({ tests: versionTestsSchema });
export type TestedFlowVersionSummary = z.output<typeof testedFlowVersionSummarySchema>;

/** One published version with its document, plan and tests. */
export const testedFlowVersionSchema = flowVersionSchema.extend({ tests: versionTestsSchema });
export type TestedFlowVersionView = z.output<typeof testedFlowVersionSchema>;
