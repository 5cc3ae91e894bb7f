/**
 * Undo / redo as a pure, immutable history of snapshots. Canvas state is immutable already (every
 * change makes new node and edge arrays), so a snapshot costs a few references, not a deep copy.
 * Edits that belong together — the keystrokes of one field, the steps of one drag — are coalesced
 * into one undo step by a key and a time window.
 */

export interface History<S> {
  past: readonly S[];
  future: readonly S[];
  /** Key and time of the last recorded change, for coalescing. */
  lastKey: string | null;
  lastAt: number;
  limit: number;
}

/** How long (ms) changes with the same key count as one undo step. */
export const COALESCE_WINDOW_MS = 1000;

export function createHistory<S>(limit = 200): History<S> {
  return { past: [], future: [], lastKey: null, lastAt: 0, limit };
}

/**
 * Records the state *before* a change. With a `key` equal to the previous change's and within the
 * coalescing window, nothing is recorded: the earlier snapshot already restores the state before the
 * whole burst. Any new change clears the redo stack.
 *
 * @example
 * ```ts
 * let h = createHistory<Doc>();
 * h = record(h, before, { key: 'label:bot', now: 1000 });
 * h = record(h, afterFirstKeystroke, { key: 'label:bot', now: 1200 }); // coalesced
 * ```
 */
export function record<S>(history: History<S>, before: S, options: { key?: string; now?: number } = {}): History<S> {
  const now = options.now ?? 0;
  const key = options.key ?? null;
  if (key !== null && key === history.lastKey && now - history.lastAt <= COALESCE_WINDOW_MS) {
    return { ...history, future: [], lastAt: now };
  }
  const past = [...history.past, before];
  if (past.length > history.limit) past.splice(0, past.length - history.limit);
  return { ...history, past, future: [], lastKey: key, lastAt: now };
}

/** Steps back: returns the state to show and the new history, or null when there is nothing to undo. */
export function undo<S>(history: History<S>, current: S): { history: History<S>; state: S } | null {
  const state = history.past[history.past.length - 1];
  if (state === undefined) return null;
  return { state, history: { ...history, past: history.past.slice(0, -1), future: [current, ...history.future], lastKey: null } };
}

/** Steps forward again after an undo. */
export function redo<S>(history: History<S>, current: S): { history: History<S>; state: S } | null {
  const state = history.future[0];
  if (state === undefined) return null;
  return { state, history: { ...history, past: [...history.past, current], future: history.future.slice(1), lastKey: null } };
}

export const canUndo = (h: History<unknown>) => h.past.length > 0;
export const canRedo = (h: History<unknown>) => h.future.length > 0;
