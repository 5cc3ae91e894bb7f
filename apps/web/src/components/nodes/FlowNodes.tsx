/**
 * The canvas's custom nodes: one component per palette category (colour and icon), declared at
 * module scope and memoised, as React Flow needs for large flows. A node shows its label, its type,
 * its exits as handles (one row each), and what the store pins on it: problems, the diff status,
 * the test conversation's path, metrics.
 */
import { getNodeDefinition, type NodeCategory } from '@tandem/flow';
import { Handle, type NodeProps, Position, useStore as useFlowStore } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { metricsBadge } from '../../graph/overlays';
import { portsForNode } from '../../graph/ports';
import { type DesignerNode, INPUT_HANDLE } from '../../graph/types';
import { useDesigner } from '../../store';
import { CategoryIcon } from './CategoryIcon';
import type { DesignerState } from '../../store/designer-store';

/** Each category's colour, and a darker one for small text on white (at least 4.5 : 1, WCAG AA). */
export const CATEGORY_LOOK: Record<NodeCategory, { color: string; text: string; name: string }> = {
  flow: { color: '#475569', text: '#475569', name: 'Flow' },
  conversation: { color: '#7c3aed', text: '#6d28d9', name: 'Conversation' },
  logic: { color: '#d97706', text: '#b45309', name: 'Logic' },
  human: { color: '#db2777', text: '#be185d', name: 'People' },
  messaging: { color: '#2563eb', text: '#1d4ed8', name: 'Messages' },
  integration: { color: '#0d9488', text: '#0f766e', name: 'Integrations' },
};

/** A canvas node's colour by its type (its palette category); grey for a type the catalog does not know. */
export const categoryColor = (nodeType: string | undefined): string => CATEGORY_LOOK[(nodeType ?? 'flow') as NodeCategory]?.color ?? '#94a3b8';

/** Below this zoom a node is drawn as a compact card with its label only, readable from afar. */
const COMPACT_ZOOM = 0.45;
const zoomIsCompact = (s: { transform: [number, number, number] }) => s.transform[2] < COMPACT_ZOOM;

/** Everything overlay-related one node shows, as primitives (cheap equality). */
function nodeOverlay(s: DesignerState, id: string) {
  const o = s.overlay;
  switch (o.kind) {
    case 'diff':
      return { mark: o.view.nodeStatus[id] ?? 'unchanged', heat: -1, badge: '', visits: 0, current: false };
    case 'simulation':
      return { mark: o.path.visited[id] ? 'visited' : 'not-visited', heat: -1, badge: '', visits: o.path.visited[id] ?? 0, current: o.path.current.includes(id) };
    case 'metrics':
      return { mark: 'metrics', heat: o.metrics.heat[id] ?? 0, badge: metricsBadge(o.metrics.byNode[id]).join(' · '), visits: 0, current: false };
    default:
      return { mark: '', heat: -1, badge: '', visits: 0, current: false };
  }
}

function FlowNodeView({ id, data, selected, category }: NodeProps<DesignerNode> & { category: NodeCategory }) {
  const look = CATEGORY_LOOK[category];
  const portContext = useDesigner((s) => s.portContext);
  const ports = useMemo(() => portsForNode(data, portContext), [data, portContext]);
  const definition = getNodeDefinition(data.nodeType, data.typeVersion);
  const issues = useDesigner(useShallow((s) => s.nodeIssues[id] ?? NO_ISSUES));
  const overlay = useDesigner(useShallow((s) => nodeOverlay(s, id)));
  const compact = useFlowStore(zoomIsCompact);
  const title = data.label || definition?.title || data.nodeType;
  const heatStyle = overlay.heat >= 0 ? { boxShadow: `0 0 0 ${2 + overlay.heat * 10}px rgba(239, 68, 68, ${0.15 + overlay.heat * 0.55})` } : undefined;
  const classes = ['tnode', `tnode--${category}`, selected ? 'is-selected' : '', issues.errors ? 'has-errors' : issues.warnings ? 'has-warnings' : '', overlay.mark ? `mark-${overlay.mark}` : '', overlay.current ? 'is-current' : '', compact ? 'is-compact' : '']
    .filter(Boolean)
    .join(' ');

  return (
    <div className={classes} style={{ ['--cat' as string]: look.color, ...heatStyle }} data-testid={`node-${id}`} data-node-type={data.nodeType} aria-label={`${title} (${definition?.title ?? data.nodeType})`}>
      {definition?.hasInput !== false && <Handle type="target" position={Position.Left} id={INPUT_HANDLE} className="thandle thandle--in" />}
      <header className="tnode__header">
        <span className="tnode__icon" aria-hidden>
          <CategoryIcon category={category} size={compact ? 26 : 15} />
        </span>
        <span className="tnode__title" title={title}>
          {title}
        </span>
        {(issues.errors > 0 || issues.warnings > 0) && (
          <span className={`tnode__issues ${issues.errors ? 'is-error' : 'is-warning'}`} title={issues.first} data-testid={`node-issues-${id}`}>
            {issues.errors ? `${issues.errors} to fix` : `${issues.warnings} !`}
          </span>
        )}
      </header>
      {!compact && <div className="tnode__type">{definition?.title ?? `Unknown step “${data.nodeType}”`}</div>}
      {overlay.mark === 'metrics' && overlay.badge && <div className="tnode__metrics">{overlay.badge}</div>}
      {overlay.visits > 1 && <div className="tnode__visits">visited ×{overlay.visits}</div>}
      {['added', 'removed', 'changed', 'moved'].includes(overlay.mark) && <div className={`tnode__diff tnode__diff--${overlay.mark}`}>{overlay.mark}</div>}
      <ul className="tnode__ports">
        {ports.map((p) => (
          <li key={p.id} className="tnode__port" title={p.description}>
            {!compact && <span>{p.label}</span>}
            <Handle type="source" position={Position.Right} id={p.id} className="thandle thandle--out" data-testid={`handle-${id}-${p.id}`} />
          </li>
        ))}
      </ul>
    </div>
  );
}

const NO_ISSUES = { errors: 0, warnings: 0, first: '' };

const byCategory = (category: NodeCategory) => {
  const Component = (props: NodeProps<DesignerNode>) => <FlowNodeView {...props} category={category} />;
  Component.displayName = `${category}Node`;
  return memo(Component);
};

export const FlowCategoryNode = byCategory('flow');
export const ConversationNode = byCategory('conversation');
export const LogicNode = byCategory('logic');
export const HumanNode = byCategory('human');
export const MessagingNode = byCategory('messaging');
export const IntegrationNode = byCategory('integration');

/** React Flow's node types: stable, module-level, one per category. */
export const nodeTypes = {
  flow: FlowCategoryNode,
  conversation: ConversationNode,
  logic: LogicNode,
  human: HumanNode,
  messaging: MessagingNode,
  integration: IntegrationNode,
};
