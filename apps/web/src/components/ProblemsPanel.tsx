/** The problems panel: every diagnostic of the flow, errors first; a click brings its step into view. */
import { useMemo, useState } from 'react';
import { sortForProblemsPanel } from '../graph/diagnostics';
import { designerStore, useDesigner } from '../store';

export function ProblemsPanel() {
  const diagnostics = useDesigner((s) => s.diagnostics);
  const nodes = useDesigner((s) => s.nodes);
  const edges = useDesigner((s) => s.edges);
  const validating = useDesigner((s) => s.validating);
  const stale = useDesigner((s) => s.diagnosticsStamp !== s.editStamp);
  const [open, setOpen] = useState(true);
  const labelOf = useMemo(() => {
    const labels = new Map(nodes.map((n) => [n.id, n.data.label || n.id]));
    return (id: string) => labels.get(id) ?? id;
  }, [nodes]);
  const sorted = useMemo(() => sortForProblemsPanel(diagnostics, labelOf), [diagnostics, labelOf]);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const focus = (nodeId?: string, edgeId?: string) => {
    const target = nodeId ?? edges.find((e) => e.id === edgeId)?.source;
    if (target) designerStore.getState().focusNode(target);
  };

  return (
    <section className={`problems ${open ? 'is-open' : ''}`} aria-label="Problems" data-testid="problems">
      <button type="button" className="problems__toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className={errors ? 'count is-error' : 'count is-ok'}>{errors ? `${errors} problem${errors > 1 ? 's' : ''} to fix` : 'Ready to publish'}</span>
        {warnings > 0 && <span className="count is-warning">{warnings} warning{warnings > 1 ? 's' : ''}</span>}
        <span className="muted">{validating || stale ? 'checking…' : 'checked'}</span>
        <span aria-hidden>{open ? '▾' : '▴'}</span>
      </button>
      {open && (
        <ul className="problems__list">
          {sorted.map((d, i) => (
            <li key={`${d.code}-${d.nodeId ?? ''}-${d.edgeId ?? ''}-${i}`}>
              <button type="button" className={`problem-row is-${d.severity}`} onClick={() => focus(d.nodeId, d.edgeId)} data-testid="problem-row" data-node-id={d.nodeId ?? ''}>
                <span className="problem-row__icon" aria-label={d.severity}>
                  {d.severity === 'error' ? '●' : '▲'}
                </span>
                <span className="problem-row__where">{d.nodeId ? labelOf(d.nodeId) : d.edgeId ? 'Connection' : d.path?.[0] === 'tests' ? 'Tests' : 'Flow'}</span>
                <span className="problem-row__message">{d.message}</span>
              </button>
            </li>
          ))}
          {sorted.length === 0 && <li className="muted problems__empty">No problems: every step is connected and every setting checks out.</li>}
        </ul>
      )}
    </section>
  );
}
