/**
 * Publishing and version history: publish the draft with a note, list versions, compare any two
 * (or a version and the draft) on the canvas, roll back, export.
 */
import type { FlowDocument } from '@tandem/flow';
import { useCallback, useEffect, useState } from 'react';
import type { FlowTestsFailedDetails, TestedFlowVersionSummary } from '@tandem/api-contract';
import { ApiError, describeError } from '../api/client';
import { buildDiffView } from '../graph/diff';
import { downloadFlow } from '../services/import-export';
import { designerStore, useDesigner, useSession } from '../store';

type Ref = number | 'draft';

export function VersionsPanel({ saveNow }: { saveNow: () => Promise<void> }) {
  const api = useSession((s) => s.api);
  const flowId = useDesigner((s) => s.meta?.id);
  const errors = useDesigner((s) => s.diagnosticIndex.errors);
  const latestVersion = useDesigner((s) => s.latestVersion);
  const overlay = useDesigner((s) => s.overlay);
  const [versions, setVersions] = useState<TestedFlowVersionSummary[]>([]);
  /** The tests that refused the last publish, and whether this user may publish over them. */
  const [refusal, setRefusal] = useState<FlowTestsFailedDetails | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [from, setFrom] = useState<Ref>('draft');
  const [to, setTo] = useState<Ref>('draft');

  const refresh = useCallback(async () => {
    if (!api || !flowId) return;
    try {
      const list = await api.versions(flowId);
      setVersions(list);
      if (list.length >= 2) {
        setFrom(list[1]!.version);
        setTo(list[0]!.version);
      } else if (list.length === 1) {
        setFrom(list[0]!.version);
        setTo('draft');
      }
    } catch (e) {
      setMessage({ tone: 'error', text: describeError(e) });
    }
  }, [api, flowId]);
  useEffect(() => void refresh(), [refresh, latestVersion]);

  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ tone: 'ok', text: await what() });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'flow_invalid') {
        const diagnostics = (e.details?.diagnostics ?? []) as Parameters<ReturnType<typeof designerStore.getState>['applyDiagnostics']>[0];
        designerStore.getState().applyDiagnostics(diagnostics, designerStore.getState().editStamp);
        setMessage({ tone: 'error', text: 'The flow has problems to fix before it can be published: see the problems list.' });
      } else if (e instanceof ApiError && e.code === 'flow_tests_failed') {
        setRefusal((e.details ?? null) as FlowTestsFailedDetails | null);
        setMessage({ tone: 'error', text: `Not published: ${e.message.replace(/^flow "[^"]*" cannot be published: /, '')}` });
      } else if (e instanceof ApiError && e.code === 'no_changes') {
        setMessage({ tone: 'error', text: 'Nothing to publish: the draft is the same as the newest version.' });
      } else setMessage({ tone: 'error', text: describeError(e) });
    } finally {
      setBusy(false);
    }
  };

  /** Publishes the draft once its tests pass (they run first); `override` publishes over failing ones (admins). */
  const publish = (override?: string) =>
    run(async () => {
      if (!api || !flowId) return '';
      setRefusal(null);
      await saveNow();
      const revision = designerStore.getState().revision ?? undefined;
      const published = await api.publish(flowId, {
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(revision ? { revision } : {}),
        ...(override ? { testOverride: { reason: override } } : {}),
      });
      designerStore.getState().setLatestVersion(published.version);
      setNote('');
      setOverrideReason('');
      await refresh();
      const tests = published.tests;
      const tested = tests && tests.total > 0 ? ` Its ${tests.total} test${tests.total === 1 ? '' : 's'}: ${tests.passed} passed${tests.override ? `, ${tests.failed} failing (published over them)` : ''}.` : '';
      return `Published version ${published.version}.${tested} New contacts use it from now on; contacts already running keep their version.`;
    });

  const rollback = (version: number) =>
    run(async () => {
      if (!api || !flowId) return '';
      if (!window.confirm(`Publish version ${version} again as the newest version? New contacts will use it.`)) return 'Roll back cancelled.';
      const published = await api.rollback(flowId, version, `Rolled back to version ${version}`);
      designerStore.getState().setLatestVersion(published.version);
      await refresh();
      return `Version ${version} is live again, as version ${published.version}. Your draft is unchanged.`;
    });

  const compare = () =>
    run(async () => {
      if (!api || !flowId) return '';
      if (from === 'draft' || to === 'draft') await saveNow();
      const documentOf = async (ref: Ref): Promise<FlowDocument> => (ref === 'draft' ? (designerStore.getState().document() as FlowDocument) : (await api.version(flowId, ref)).document);
      const [diff, fromDoc, toDoc] = await Promise.all([api.diff(flowId, from, to), documentOf(from), documentOf(to)]);
      const view = buildDiffView(fromDoc, toDoc, diff);
      designerStore.getState().setOverlay({ kind: 'diff', view, from, to });
      const s = view.summary;
      return diff.identical ? 'These two are identical.' : `${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.moved} moved; connections: ${s.edgesAdded} added, ${s.edgesRemoved} removed, ${s.edgesChanged} re-wired.`;
    });

  const label = (r: Ref) => (r === 'draft' ? 'Draft (your edits)' : `Version ${r}`);
  const refs: Ref[] = ['draft', ...versions.map((v) => v.version)];

  return (
    <div className="panel" data-testid="versions-panel">
      <section>
        <h2>Publish</h2>
        <p className="muted">{latestVersion ? `Live: version ${latestVersion}.` : 'Not published yet.'} Publishing makes your draft the version new contacts run.</p>
        <label className="field__label" htmlFor="publish-note">
          What changed (shown in the history)
        </label>
        <textarea id="publish-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder="e.g. Escalate VIP customers straight to the priority queue" data-testid="publish-note" />
        <button type="button" className="button button--primary" disabled={busy || errors > 0} onClick={() => void publish()} data-testid="publish">
          {errors > 0 ? `Fix ${errors} problem${errors > 1 ? 's' : ''} to publish` : busy ? 'Running the tests…' : 'Publish'}
        </button>
        <p className="muted small">The flow’s tests run first; a failing test stops publishing.</p>
      </section>
      {message && (
        <p className={`banner ${message.tone === 'ok' ? 'banner--ok' : 'banner--error'}`} role="status" data-testid="versions-message">
          {message.text}
        </p>
      )}
      {refusal && <TestRefusal refusal={refusal} busy={busy} reason={overrideReason} onReason={setOverrideReason} onOverride={() => void publish(overrideReason.trim())} />}
      <section>
        <h2>Compare</h2>
        <div className="row">
          <select aria-label="Compare from" value={String(from)} onChange={(e) => setFrom(e.target.value === 'draft' ? 'draft' : Number(e.target.value))} data-testid="diff-from">
            {refs.map((r) => (
              <option key={r} value={String(r)}>
                {label(r)}
              </option>
            ))}
          </select>
          <span>→</span>
          <select aria-label="Compare to" value={String(to)} onChange={(e) => setTo(e.target.value === 'draft' ? 'draft' : Number(e.target.value))} data-testid="diff-to">
            {refs.map((r) => (
              <option key={r} value={String(r)}>
                {label(r)}
              </option>
            ))}
          </select>
        </div>
        <div className="row">
          <button type="button" className="button" disabled={busy || from === to} onClick={() => void compare()} data-testid="show-diff">
            Show changes on the canvas
          </button>
          {overlay.kind === 'diff' && (
            <button type="button" className="button" onClick={() => designerStore.getState().setOverlay({ kind: 'none' })} data-testid="close-diff">
              Back to editing
            </button>
          )}
        </div>
        {overlay.kind === 'diff' && (
          <ul className="legend">
            <li className="legend__added">added</li>
            <li className="legend__changed">changed</li>
            <li className="legend__moved">moved</li>
            <li className="legend__removed">removed</li>
          </ul>
        )}
      </section>
      <section>
        <h2>History</h2>
        {versions.length === 0 && <p className="muted">No versions yet.</p>}
        <ol className="versions" data-testid="versions">
          {versions.map((v) => (
            <li key={v.version} className="version">
              <div>
                <strong>Version {v.version}</strong>
                {v.version === latestVersion && <span className="pill pill--live">live</span>}
                {v.rolledBackFrom !== null && <span className="pill">re-publishes v{v.rolledBackFrom}</span>}
              </div>
              {v.note && <p>{v.note}</p>}
              {v.tests && v.tests.total > 0 && (
                <p className="small" data-testid={`version-${v.version}-tests`}>
                  <span className={`status status--${v.tests.override ? 'failed' : 'passed'}`}>
                    tests {v.tests.passed}/{v.tests.total}
                  </span>
                  {v.tests.override && (
                    <span>
                      {' '}
                      published over {v.tests.failed} failing by {v.tests.override.by}: “{v.tests.override.reason}”
                    </span>
                  )}
                </p>
              )}
              <p className="muted small">
                {new Date(v.publishedAt).toLocaleString()} · {v.publishedBy}
                {v.openContacts !== null ? ` · ${v.openContacts} open contact${v.openContacts === 1 ? '' : 's'}` : ''}
              </p>
              <div className="row">
                {v.version !== latestVersion && (
                  <button type="button" className="link-button" disabled={busy} onClick={() => void rollback(v.version)}>
                    Roll back to this
                  </button>
                )}
                <button type="button" className="link-button" onClick={() => api && flowId && void downloadFlow(api, flowId, v.version)}>
                  Export
                </button>
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

/**
 * Why publishing was refused: each failing test, the turn and what did not hold. Admins may publish
 * anyway, with a reason the version keeps.
 */
function TestRefusal({ refusal, busy, reason, onReason, onOverride }: { refusal: FlowTestsFailedDetails; busy: boolean; reason: string; onReason: (reason: string) => void; onOverride: () => void }) {
  const failing = refusal.run.tests.filter((t) => t.status === 'failed' || t.status === 'error');
  return (
    <section className="test-refusal" data-testid="publish-refusal">
      <h3>
        {failing.length} of {refusal.run.summary.total} test{refusal.run.summary.total === 1 ? '' : 's'} failed
      </h3>
      <ul>
        {failing.map((t) => (
          <li key={t.testId} data-testid={`refusal-${t.testId}`}>
            <strong>{t.name}</strong>
            {t.failure ? (
              <>
                {' '}
                — at {t.failure.label}: {t.failure.message}
              </>
            ) : (
              t.reason && <> — {t.reason}</>
            )}
          </li>
        ))}
      </ul>
      <p className="muted small">Fix the flow (or the test) in the Tests tab and publish again.</p>
      {refusal.overridable && (
        <div className="field">
          <label className="field__label" htmlFor="override-reason">
            As an admin, you may publish anyway: say why (kept with the version)
          </label>
          <textarea id="override-reason" rows={2} value={reason} onChange={(e) => onReason(e.target.value)} data-testid="override-reason" />
          <button type="button" className="button" disabled={busy || reason.trim().length < 10} onClick={onOverride} data-testid="publish-override">
            Publish anyway
          </button>
        </div>
      )}
    </section>
  );
}
