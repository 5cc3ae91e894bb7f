/**
 * Libraries every contact workflow shares, evaluated once per workflow thread instead of once per
 * contact (the bundle's `preloadModules`, see `contactBundlerOptions`).
 *
 * For isolation the SDK re-runs the top level of every bundled module for each new workflow; for the
 * interpreter that included initializing zod and the CEL library for every contact. A shared module runs once,
 * before any workflow exists, and the SDK then deep-freezes what it exports, so only code with no
 * per-workflow state belongs here. The CEL library (parser, checker, evaluator classes) and zod's
 * module qualify. An exported zod *schema* does not (zod defines its parse methods on the instance on
 * first use, which a frozen schema refuses), so the contracts' sandbox entry shares its schemas only as
 * module-private values behind functions (`parseCustomer`, `safeParseWorkItemResolution`), and the
 * plan's schemas stay per workflow. `test/shared-modules.test.ts` pins this and replays every recorded
 * contact through one worker.
 */
import * as cel from '@marcbachmann/cel-js';
import { parseCustomer } from '@tandem/contracts/sandbox';
import type * as Zod from 'zod';

// The CommonJS build of zod, which is what the packages' compiled code loads: `import` would share
// zod's ES module build, a different module, and leave theirs to load per contact.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zod = require('zod') as typeof Zod;

/**
 * Referenced so the bundler keeps the import (zod declares itself free of side effects). Building a
 * scalar and a container schema here also makes zod install its defaults (locale, memoizer) into its
 * global config now: that config is frozen with the module, and zod would otherwise install them on
 * the first schema a contact builds — and fail.
 */
export const sharedLibraries = {
  cel: typeof cel.Environment === 'function',
  // The contracts' sandbox entry: its schemas are module-private, reachable only through functions,
  // so the freeze leaves them usable (see packages/contracts/src/sandbox.ts).
  contracts: parseCustomer({ id: 'preload' }).tier === 'standard',
  zod: zod.object({ defaults: zod.record(zod.string(), zod.array(zod.string())) }).safeParse({ defaults: { a: ['b'] } }).success,
};

/**
 * Expression evaluators by plan hash, shared by every contact this workflow thread runs, so each plan's
 * expressions are parsed and checked once rather than once per contact (a Map stays usable when the
 * SDK freezes this module). A pure cache: an evaluator's results never depend on what it evaluated
 * before, so replay stays deterministic.
 */
export const planEvaluators = new Map<string, unknown>();
