/**
 * The inspector: the selected step's settings as a form generated from its JSON Schema, its
 * problems, and its exits; with nothing selected, the flow's own settings (name, channels,
 * variables, conversation guarantees).
 */
import type { Channel } from '@tandem/contracts';
import { type FlowVariable, getNodeDefinition, variableTypeSchema } from '@tandem/flow';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { expressionSites } from '../forms/schema';
import type { FlowMeta } from '../graph/types';
import { portsForNode } from '../graph/ports';
import { loadSubflows } from '../services/subflows';
import { designerStore, selectors, useDesigner, useSession } from '../store';
import { CategoryIcon } from './nodes/CategoryIcon';
import { CATEGORY_LOOK } from './nodes/FlowNodes';
import { GuaranteesSettings } from './GuaranteesSettings';
import { SchemaForm } from './SchemaForm';

const CHANNELS: Channel[] = ['chat', 'voice', 'email'];

/** Variable types as a CX lead says them (the value stays the flow language's type name). */
const VARIABLE_TYPE_WORDS: Record<FlowVariable['type'], string> = {
  string: 'Text',
  int: 'Whole number',
  double: 'Number',
  bool: 'Yes / No',
  'list<string>': 'List of texts',
  'list<int>': 'List of whole numbers',
  'list<double>': 'List of numbers',
  map: 'Record (named values)',
};

export function Inspector() {
  const node = useDesigner(selectors.selectedNode);
  const selectedCount = useDesigner((s) => s.selectedIds.size);
  if (selectedCount > 1) {
    return (
      <div className="inspector">
        <h2>{selectedCount} steps selected</h2>
        <p className="muted">Drag to move them together, Ctrl+C / Ctrl+V to copy them, Delete to remove them, or Ctrl+D to duplicate.</p>
      </div>
    );
  }
  return node ? <NodeInspector nodeId={node.id} /> : <FlowSettings />;
}

function NodeInspector({ nodeId }: { nodeId: string }) {
  const node = useDesigner((s) => s.nodes.find((n) => n.id === nodeId));
  const catalog = useDesigner((s) => s.catalog);
  const api = useSession((s) => s.api);
  const variables = useDesigner((s) => s.meta?.variables ?? NO_VARIABLES);
  const diagnostics = useDesigner((s) => s.diagnosticIndex);
  const portContext = useDesigner((s) => s.portContext);
  const exits = useDesigner(useShallow((s) => s.edges.filter((e) => e.source === nodeId).map((e) => `${e.sourceHandle}->${e.target}`)));
  const labels = useDesigner(useShallow((s) => Object.fromEntries(s.nodes.map((n) => [n.id, n.data.label ?? n.id]))));
  const sites = useMemo(() => (node ? expressionSites(node.data.nodeType, node.data.typeVersion, node.data.config) : new Map()), [node]);
  if (!node) return null;
  const definition = getNodeDefinition(node.data.nodeType, node.data.typeVersion);
  const entry = catalog?.nodeTypes.find((t) => t.type === node.data.nodeType && t.typeVersion === node.data.typeVersion);
  const problems = diagnostics.byNode.get(nodeId) ?? [];
  const ports = portsForNode(node.data, portContext);
  const connected = new Map(exits.map((x) => x.split('->') as [string, string]));
  const look = CATEGORY_LOOK[definition?.category ?? 'flow'];

  return (
    <div className="inspector" data-testid="inspector">
      <header className="inspector__head" style={{ ['--cat' as string]: look.color }}>
        <span className="inspector__kind">
          <CategoryIcon category={definition?.category ?? 'flow'} /> {definition?.title ?? node.data.nodeType}
        </span>
        <span className="inspector__id" title="Step id (used in reports and connections)">
          {node.id}
        </span>
      </header>
      {definition && <p className="muted">{definition.description}</p>}
      <div className="field">
        <label htmlFor="node-label" className="field__label">
          Name on the canvas
        </label>
        <input id="node-label" type="text" value={node.data.label ?? ''} placeholder={definition?.title} onChange={(e) => designerStore.getState().updateNodeLabel(nodeId, e.target.value)} />
      </div>
      {problems.length > 0 && (
        <section className="inspector__problems" aria-label="Problems with this step">
          <h3>Needs attention</h3>
          <ul>
            {problems.map((d, i) => (
              <li key={i} className={`is-${d.severity}`}>
                {d.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {entry ? (
        <SchemaForm
          schema={entry.configSchema}
          ctx={{
            nodeId,
            catalog,
            variables,
            diagnostics,
            sites,
            root: node.data.config,
            onChange: (config, key) => {
              designerStore.getState().updateNodeConfig(nodeId, config, key);
              if (node.data.nodeType === 'subflow' && api) void loadSubflows(designerStore, api);
            },
          }}
        />
      ) : (
        <p className="problem">This step’s type is not in the catalog: replace it with a step from the palette.</p>
      )}
      {ports.length > 0 && (
        <section className="inspector__exits">
          <h3>Exits</h3>
          <ul>
            {ports.map((p) => (
              <li key={p.id}>
                <strong>{p.label}</strong> →{' '}
                {connected.get(p.id) ? (
                  <button type="button" className="link-button" onClick={() => designerStore.getState().focusNode(connected.get(p.id) as string)}>
                    {labels[connected.get(p.id) as string]}
                  </button>
                ) : (
                  <span className="muted">not connected</span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {definition?.docs && (
        <details className="inspector__docs">
          <summary>How this step works</summary>
          <p>{definition.docs}</p>
        </details>
      )}
    </div>
  );
}

const NO_VARIABLES: FlowVariable[] = [];

function FlowSettings() {
  const meta = useDesigner((s) => s.meta);
  const flowProblems = useDesigner((s) => s.diagnosticIndex.flow);
  if (!meta) return null;
  const update = (patch: Partial<Omit<FlowMeta, 'id'>>, key?: string) => designerStore.getState().updateFlowMeta(patch, key);
  const setVariable = (i: number, patch: Partial<FlowVariable>) => update({ variables: meta.variables.map((v, j) => (j === i ? { ...v, ...patch } : v)) }, `meta:variables:${i}`);
  return (
    <div className="inspector" data-testid="flow-settings">
      <h2>Flow settings</h2>
      <p className="muted">Select a step to change its settings.</p>
      {flowProblems.length > 0 && (
        <section className="inspector__problems">
          <h3>Needs attention</h3>
          <ul>
            {flowProblems.map((d, i) => (
              <li key={i} className={`is-${d.severity}`}>
                {d.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="field">
        <label className="field__label" htmlFor="flow-name">
          Name
        </label>
        <input id="flow-name" value={meta.name} onChange={(e) => update({ name: e.target.value })} />
      </div>
      <div className="field">
        <label className="field__label" htmlFor="flow-description">
          Description
        </label>
        <textarea id="flow-description" rows={3} value={meta.description} onChange={(e) => update({ description: e.target.value })} />
      </div>
      <fieldset className="field field--choices">
        <legend>Channels</legend>
        <div className="choices">
          {CHANNELS.map((c) => (
            <label key={c} className="choice">
              <input type="checkbox" checked={meta.channels.includes(c)} onChange={(e) => update({ channels: e.target.checked ? [...meta.channels, c] : meta.channels.filter((x) => x !== c) })} />
              {c}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="field field--list">
        <legend>Variables</legend>
        <p className="field__help">Values the flow keeps during a contact; expressions read them as ctx.name.</p>
        {meta.variables.map((v, i) => (
          <div key={i} className="variable-row">
            <input aria-label={`Variable ${i + 1} name`} value={v.name} onChange={(e) => setVariable(i, { name: e.target.value })} />
            <select aria-label={`Variable ${i + 1} type`} value={v.type} onChange={(e) => setVariable(i, { type: e.target.value as FlowVariable['type'] })}>
              {variableTypeSchema.options.map((t) => (
                <option key={t} value={t}>
                  {VARIABLE_TYPE_WORDS[t]}
                </option>
              ))}
            </select>
            <button type="button" className="icon-button" aria-label={`Remove variable ${v.name}`} onClick={() => update({ variables: meta.variables.filter((_, j) => j !== i) })}>
              ✕
            </button>
          </div>
        ))}
        <button type="button" className="link-button" onClick={() => update({ variables: [...meta.variables, { name: `variable${meta.variables.length + 1}`, type: 'string' }] })}>
          + Add variable
        </button>
      </fieldset>
      <GuaranteesSettings guarantees={meta.guarantees} />
    </div>
  );
}
