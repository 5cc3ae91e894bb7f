/**
 * Watch: how a published version performs, from the projections — per step contacts entered, how
 * many the bot handled, escalations by trigger and by the reasons agents tagged, wait times — as
 * badges and a heat map on the canvas.
 */
import { useEffect, useState } from 'react';
import type { FlowVersionSummary, NodeMetricsView } from '@tandem/api-contract';
import { containmentInWords, triggerInWords } from '../graph/words';
import { describeError } from '../api/client';
import { formatCount, formatDuration, metricsOverlay } from '../graph/overlays';
import { designerStore, selectors, useDesigner, useSession } from '../store';

export function WatchPanel() {
  const api = useSession((s) => s.api);
  const flowId = useDesigner((s) => s.meta?.id);
  const latestVersion = useDesigner((s) => s.latestVersion);
  const overlay = useDesigner((s) => s.overlay);
  const selected = useDesigner(selectors.selectedNode);
  const [versions, setVersions] = useState<FlowVersionSummary[]>([]);
  const [version, setVersion] = useState<number | null>(latestVersion);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!api || !flowId) return;
    api.versions(flowId).then(
      (list) => {
        setVersions(list);
        // The newest version unless one that exists is chosen (it may have been published elsewhere).
        setVersion((v) => (v !== null && list.some((x) => x.version === v) ? v : (list[0]?.version ?? null)));
      },
      (e: unknown) => setError(describeError(e)),
    );
  }, [api, flowId, latestVersion]);

  const load = async (v: number) => {
    if (!api || !flowId) return;
    setLoading(true);
    setError(null);
    try {
      const payload = await api.metrics(flowId, v);
      designerStore.getState().setOverlay({ kind: 'metrics', version: v, metrics: metricsOverlay(payload, designerStore.getState().edges) });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    if (version !== null) void load(version);
    // Reload when the chosen version changes; `load` is recreated every render on purpose.
  }, [version]);  

  const metrics = overlay.kind === 'metrics' ? overlay.metrics : null;
  const m = selected && metrics ? metrics.byNode[selected.id] : undefined;

  return (
    <div className="panel" data-testid="watch-panel">
      <h2>Performance</h2>
      {versions.length === 0 ? (
        <p className="muted">Publish the flow to see how it performs with real contacts.</p>
      ) : (
        <div className="row">
          <label>
            Version{' '}
            <select value={version ?? ''} onChange={(e) => setVersion(Number(e.target.value))}>
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version}
                  {v.version === latestVersion ? ' (live)' : ''}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button" onClick={() => version !== null && void load(version)} disabled={loading}>
            Refresh
          </button>
          {overlay.kind === 'metrics' && (
            <button type="button" className="button" onClick={() => designerStore.getState().setOverlay({ kind: 'none' })}>
              Hide
            </button>
          )}
        </div>
      )}
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      {metrics && (
        <p className="muted">
          The busier a step, the redder its glow; connections are as thick as the traffic through them. Busiest step: {formatCount(metrics.maxEntered)} contacts.
        </p>
      )}
      {metrics && selected && <NodeMetricsDetail label={selected.data.label ?? selected.id} m={m} />}
      {metrics && !selected && <p className="muted">Select a step for its details.</p>}
    </div>
  );
}

function Table({ title, rows, name = (k: string) => k.replace(/_/g, ' ') }: { title: string; rows: Record<string, number> | undefined; name?: (key: string) => string }) {
  const entries = Object.entries(rows ?? {}).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return null;
  return (
    <>
      <h4>{title}</h4>
      <table className="metrics-table">
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k}>
              <td>{name(k)}</td>
              <td>{formatCount(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function NodeMetricsDetail({ label, m }: { label: string; m: NodeMetricsView | undefined }) {
  if (!m) return <p className="muted">No contact went through “{label}” in this version.</p>;
  const wait = m.waitSeconds;
  const handle = m.handleSeconds;
  const containment = containmentInWords(m);
  return (
    <section className="node-metrics">
      <h3>{label}</h3>
      <p>
        <strong>{formatCount(m.entered)}</strong> contacts entered
        {containment ? `; ${containment}` : ''}.
      </p>
      <Table title="Left through" rows={m.exitedByPort} />
      <Table title="Escalations by trigger" rows={m.escalations.byTrigger} name={triggerInWords} />
      <Table title="Reasons agents tagged" rows={m.escalations.byReasonTag} />
      {(wait.p50 ?? wait.avg) !== null && (
        <p>
          Wait for an agent: median {formatDuration(wait.p50 ?? wait.avg ?? 0)}
          {wait.p90 ? `, 90% within ${formatDuration(wait.p90)}` : ''}
        </p>
      )}
      {(handle.p50 ?? handle.avg) !== null && <p>Handle time: median {formatDuration(handle.p50 ?? handle.avg ?? 0)}</p>}
    </section>
  );
}
