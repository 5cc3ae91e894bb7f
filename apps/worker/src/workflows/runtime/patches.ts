/**
 * The versioning policy's register: every `patched()` id the workflow code asks, with when it shipped
 * and what it changed. Empty while Tandem runs one interpreter generation.
 *
 * The policy (docs/runtime.md, "Versioning"):
 * - A change to workflow code that alters the commands a contact issues — an executor's, or the
 *   core's — goes behind `patched('<yyyy-mm-dd>-<what>')`, asked where the change applies (so only a
 *   contact that reaches it records the marker), and is listed here.
 * - Before the change, record the histories that show the old behaviour; they stay in test/histories
 *   and replay in CI, with new ones beside them.
 * - Retirement: once no contact that started before the release holding the patch is open
 *   (`temporal workflow list --query 'ExecutionStatus = "Running" AND StartTime < "<release time>"'`
 *   lists none), the next release replaces `patched(id)` by `deprecatePatch(id)`, and the release after
 *   removes the call, the old branch, this entry and the histories recorded only for the old branch.
 *
 * `test/versioning.test.ts` keeps this list equal to the ids the code asks.
 */
export interface PatchRecord {
  /** `<yyyy-mm-dd>-<what changed>`, as passed to `patched()` / `deprecatePatch()`. */
  id: string;
  /** The release (date) that shipped it: contacts started before it may lack its marker. */
  shipped: string;
  description: string;
  /** `deprecatePatch` instead of `patched`: the old branch is gone, the marker still written. */
  deprecated?: boolean;
}

export const PATCHES: readonly PatchRecord[] = [];
