/**
 * Workflow time. Temporal's workflow sandbox replaces `Date` with a deterministic clock (the time of
 * the workflow task being processed, identical on replay), so reading it here is safe; this is the only
 * place the interpreter reads it, so the rest of the workflow code never touches `Date` directly.
 */
export function workflowNow(): Date {
  // eslint-disable-next-line no-restricted-properties -- deterministic inside the Temporal sandbox (see above)
  return new Date(Date.now());
}

export function workflowNowIso(): string {
  return workflowNow().toISOString();
}
