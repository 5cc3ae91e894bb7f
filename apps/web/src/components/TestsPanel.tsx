/**
 * The Tests tab: the flow's test conversations, written without code — who the customer is, what they
 * and a simulated agent do turn by turn, and what must hold after each turn and at the end — run
 * against the saved draft on the real runtime, with pass/fail per turn and the path of a test lit on
 * the canvas. Publishing runs the same tests.
 */
import type { FlowTestResult, FlowTestTurnResult } from '@tandem/api-contract';
import { type Channel, escalationTriggerKindSchema, type WorkItemOutcome } from '@tandem/contracts';
import type { FlowTest, FlowTestExpectations, FlowTestTurn, FlowTestTurnKind, FlowVariable } from '@tandem/flow';
import { memo, useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import {
  describeTest,
  EXPECTATION_KINDS,
  type ExpectationRow,
  expectationRows,
  HANDLED_BY,
  newFlowTest,
  newTurn,
  NO_TRIGGER,
  OUTCOMES,
  rowsToExpectations,
  TURN_KINDS,
} from '../graph/flow-tests';
import { portsForNode } from '../graph/ports';
import type { FlowTests } from '../services/flow-tests';
import { designerStore, useDesigner } from '../store';

const CHANNELS: Channel[] = ['chat', 'voice', 'email'];
const TIERS = ['standard', 'gold', 'vip'];
const RESOLUTIONS: WorkItemOutcome[] = ['resolved', 'transferred', 'abandoned', 'callback_scheduled', 'unresolved'];
const NO_TESTS: FlowTest[] = [];

const STATUS_LABEL: Record<string, string> = { passed: 'passed', failed: 'failed', error: 'could not run', skipped: 'skipped', not_run: 'not run', running: 'running…' };

/** Replaces the flow's tests (one undo step per test and field while typing). */
function saveTests(tests: FlowTest[], coalesceKey: string): void {
  designerStore.getState().updateFlowMeta({ tests }, coalesceKey);
}

export function TestsPanel({ flowTests }: { flowTests: FlowTests }) {
  const flowId = useDesigner((s) => s.meta?.id);
  const tests = useDesigner((s) => s.meta?.tests ?? NO_TESTS);
  const state = useStore(flowTests.store);
  const [selectedId, setSelectedId] = useState<string | null>(tests[0]?.id ?? null);
  const selected = tests.find((t) => t.id === selectedId) ?? null;
  const runningAll = tests.length > 0 && tests.every((t) => state.running.has(t.id));

  const add = () => {
    const test = newFlowTest(tests);
    saveTests([...tests, test], `tests:add:${test.id}`);
    setSelectedId(test.id);
  };

  return (
    <div className="panel tests" data-testid="tests-panel">
      <section>
        <h2>Tests</h2>
        <p className="muted">Conversations the flow must get right: what the customer (and an agent) does, and what must happen. They run on the real runtime, in a sandbox; publishing runs them too.</p>
        <div className="row">
          <button type="button" className="button" onClick={add} data-testid="new-test">
            New test
          </button>
          <button type="button" className="button button--primary" disabled={!tests.length || state.running.size > 0 || !flowId} onClick={() => flowId && void flowTests.run(flowId)} data-testid="run-all-tests">
            {runningAll ? 'Running…' : `Run all (${tests.length})`}
          </button>
        </div>
        {state.lastRun && (
          <p className={`banner ${state.lastRun.passed ? 'banner--ok' : 'banner--error'}`} role="status" data-testid="tests-summary">
            {summaryText(state.lastRun.summary)} ({(state.lastRun.durationMs / 1000).toFixed(1)} s)
          </p>
        )}
        {state.error && (
          <p className="banner banner--error" role="alert">
            {state.error}
          </p>
        )}
        {tests.length === 0 && <p className="muted">No tests yet. “New test” starts one: a customer message and what the bot must say back.</p>}
        <ul className="test-list" data-testid="test-list">
          {tests.map((t) => {
            const status = state.running.has(t.id) ? 'running' : (state.results[t.id]?.status ?? 'not_run');
            return (
              <li key={t.id}>
                <button type="button" className={`test-row ${t.id === selectedId ? 'is-selected' : ''}`} onClick={() => setSelectedId(t.id)} data-testid={`test-${t.id}`}>
                  <StatusPill status={status} testId={`test-status-${t.id}`} />
                  <span className="test-row__name">{t.name}</span>
                  <span className="muted small">{describeTest(t)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </section>
      {selected && flowId && (
        <TestEditor
          key={selected.id}
          test={selected}
          index={tests.indexOf(selected)}
          result={state.results[selected.id]}
          running={state.running.has(selected.id)}
          shown={state.shown === selected.id}
          onRun={() => void flowTests.run(flowId, [selected.id])}
          onShow={(show) => flowTests.show(show ? selected.id : null)}
          onDelete={() => {
            saveTests(
              tests.filter((t) => t.id !== selected.id),
              `tests:delete:${selected.id}`,
            );
            flowTests.forget(selected.id);
            setSelectedId(tests.find((t) => t.id !== selected.id)?.id ?? null);
          }}
        />
      )}
    </div>
  );
}

function summaryText(s: { total: number; passed: number; failed: number; errors: number; skipped: number }): string {
  const parts = [`${s.passed} of ${s.total} passed`];
  if (s.failed) parts.push(`${s.failed} failed`);
  if (s.errors) parts.push(`${s.errors} could not run`);
  if (s.skipped) parts.push(`${s.skipped} skipped`);
  return parts.join(', ');
}

function StatusPill({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`status status--${status}`} data-testid={testId}>
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}

interface EditorProps {
  test: FlowTest;
  index: number;
  result: FlowTestResult | undefined;
  running: boolean;
  shown: boolean;
  onRun: () => void;
  onShow: (show: boolean) => void;
  onDelete: () => void;
}

function TestEditor({ test, index, result, running, shown, onRun, onShow, onDelete }: EditorProps) {
  const tests = useDesigner((s) => s.meta?.tests ?? NO_TESTS);
  const channels = useDesigner((s) => s.meta?.channels ?? NO_CHANNELS);
  const diagnostics = useDesigner(useShallow((s) => s.diagnostics.filter((d) => d.path?.[0] === 'tests' && d.path[1] === index)));
  const [addKind, setAddKind] = useState<FlowTestTurnKind>('customer');

  const update = (patch: Partial<FlowTest>, field: string) => saveTests(tests.map((t) => (t.id === test.id ? { ...t, ...patch } : t)), `tests:${test.id}:${field}`);
  const setTurns = (turns: FlowTestTurn[], field: string) => update({ turns }, field);
  const turnResult = (i: number): FlowTestTurnResult | undefined => result?.turns.find((t) => t.index === i);

  return (
    <section className="test-editor" data-testid="test-editor" aria-label={`Test ${test.name}`}>
      <div className="field">
        <label className="field__label" htmlFor="test-name">
          Test name
        </label>
        <input id="test-name" value={test.name} onChange={(e) => update({ name: e.target.value }, 'name')} data-testid="test-name" />
      </div>
      {diagnostics.length > 0 && (
        <ul className="field__problems" aria-label="Problems with this test">
          {diagnostics.map((d, i) => (
            <li key={i} className={`is-${d.severity}`}>
              {d.message}
            </li>
          ))}
        </ul>
      )}
      <details className="test-editor__customer">
        <summary>
          Customer: {test.customer.name || test.customer.id} · {test.customer.tier} · {test.channel ?? channels[0] ?? 'chat'}
        </summary>
        <div className="row">
          <label>
            Name <input value={test.customer.name ?? ''} onChange={(e) => update({ customer: { ...test.customer, name: e.target.value } }, 'customer.name')} data-testid="test-customer-name" />
          </label>
          <label>
            Tier{' '}
            <select value={test.customer.tier} onChange={(e) => update({ customer: { ...test.customer, tier: e.target.value } }, 'customer.tier')} data-testid="test-customer-tier">
              {[...new Set([...TIERS, test.customer.tier])].map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label className="choice">
            <input type="checkbox" checked={test.customer.authenticated} onChange={(e) => update({ customer: { ...test.customer, authenticated: e.target.checked } }, 'customer.authenticated')} /> signed in
          </label>
          <label>
            Channel{' '}
            <select
              value={test.channel ?? ''}
              onChange={(e) => {
                const { channel: _dropped, ...rest } = test;
                saveTests(
                  tests.map((t) => (t.id === test.id ? (e.target.value ? { ...rest, channel: e.target.value as Channel } : rest) : t)),
                  `tests:${test.id}:channel`,
                );
              }}
              data-testid="test-channel"
            >
              <option value="">the flow’s first ({channels[0] ?? 'chat'})</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        </div>
      </details>
      <div className="field">
        <label className="field__label" htmlFor="test-first-message">
          The customer’s first message <span className="muted">(optional: it opens the contact)</span>
        </label>
        <textarea
          id="test-first-message"
          rows={2}
          value={test.firstMessage ?? ''}
          onChange={(e) => {
            const { firstMessage: _dropped, ...rest } = test;
            saveTests(
              tests.map((t) => (t.id === test.id ? (e.target.value ? { ...rest, firstMessage: e.target.value } : rest) : t)),
              `tests:${test.id}:firstMessage`,
            );
          }}
          data-testid="test-first-message"
        />
      </div>
      <TurnResultLine result={turnResult(0)} testId="turn-0-result" />
      <ExpectationsEditor title="After the opening, expect" expect={test.afterStart} onChange={(afterStart) => update({ afterStart }, 'afterStart')} prefix="expect-start" />

      <h3>Turns</h3>
      <ol className="turns">
        {test.turns.map((turn, i) => (
          <li key={i} className="turn" data-testid={`turn-${i + 1}`}>
            <div className="turn__head">
              <strong>{TURN_KINDS.find((k) => k.kind === turn.kind)?.label}</strong>
              <span className="turn__tools">
                <button type="button" className="icon-button" aria-label="Move up" disabled={i === 0} onClick={() => setTurns(move(test.turns, i, -1), 'turns')}>
                  ↑
                </button>
                <button type="button" className="icon-button" aria-label="Move down" disabled={i === test.turns.length - 1} onClick={() => setTurns(move(test.turns, i, 1), 'turns')}>
                  ↓
                </button>
                <button type="button" className="icon-button" aria-label={`Remove turn ${i + 1}`} onClick={() => setTurns(test.turns.filter((_, j) => j !== i), 'turns')}>
                  ✕
                </button>
              </span>
            </div>
            <TurnFields turn={turn} onChange={(next) => setTurns(test.turns.map((t, j) => (j === i ? next : t)), `turn:${i}`)} prefix={`turn-${i + 1}`} />
            <TurnResultLine result={turnResult(i + 1)} testId={`turn-${i + 1}-result`} />
            <ExpectationsEditor title="Then expect" expect={turn.expect} onChange={(expect) => setTurns(test.turns.map((t, j) => (j === i ? { ...t, expect } : t)), `turn:${i}:expect`)} prefix={`turn-${i + 1}-expect`} />
          </li>
        ))}
      </ol>
      <div className="row">
        <select aria-label="Kind of turn to add" value={addKind} onChange={(e) => setAddKind(e.target.value as FlowTestTurnKind)} data-testid="add-turn-kind">
          {TURN_KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
        <button type="button" className="link-button" onClick={() => setTurns([...test.turns, newTurn(addKind)], 'turns')} data-testid="add-turn">
          Add turn
        </button>
      </div>

      <TurnResultLine result={turnResult(test.turns.length + 1)} testId="turn-end-result" />
      <ExpectationsEditor title="At the end, expect" expect={test.expect} onChange={(expect) => update({ expect }, 'expect')} prefix="expect-end" />

      <div className="row">
        <button type="button" className="button button--primary" onClick={onRun} disabled={running} data-testid="run-test">
          {running ? 'Running…' : 'Run this test'}
        </button>
        {result && (
          <button type="button" className="button" onClick={() => onShow(!shown)} data-testid="show-test-path">
            {shown ? 'Hide its path' : 'Show its path on the canvas'}
          </button>
        )}
        <button type="button" className="link-button" onClick={onDelete} data-testid="delete-test">
          Delete test
        </button>
      </div>
      {result && <ResultSummary result={result} />}
    </section>
  );
}

const NO_CHANNELS: Channel[] = [];
const NO_VARIABLES: FlowVariable[] = [];

function move<T>(items: readonly T[], index: number, by: number): T[] {
  const next = [...items];
  const [item] = next.splice(index, 1);
  next.splice(index + by, 0, item!);
  return next;
}

function TurnFields({ turn, onChange, prefix }: { turn: FlowTestTurn; onChange: (turn: FlowTestTurn) => void; prefix: string }) {
  const queues = useDesigner(useShallow((s) => (s.catalog?.queues ?? []).map((q) => q.name)));
  switch (turn.kind) {
    case 'customer':
    case 'agent_message':
      return (
        <textarea
          rows={2}
          aria-label={turn.kind === 'customer' ? 'What the customer writes' : 'What the agent writes'}
          placeholder={turn.kind === 'customer' ? 'What the customer writes…' : 'What the agent writes…'}
          value={turn.text}
          onChange={(e) => onChange({ ...turn, text: e.target.value })}
          data-testid={`${prefix}-text`}
        />
      );
    case 'agent_accept':
      return <p className="muted small">A simulated agent takes the contact’s work item (it is offered to them, and they accept).</p>;
    case 'agent_resolve':
      return (
        <div className="row">
          <select aria-label="How the agent resolves it" value={turn.outcome} onChange={(e) => onChange({ ...turn, outcome: e.target.value as WorkItemOutcome })} data-testid={`${prefix}-outcome`}>
            {RESOLUTIONS.map((o) => (
              <option key={o} value={o}>
                {o.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          <input
            aria-label="Wrap-up tags, separated by commas"
            placeholder="wrap-up tags, comma-separated"
            value={turn.tags.join(', ')}
            onChange={(e) =>
              onChange({
                ...turn,
                tags: e.target.value
                  .split(',')
                  .map((t) => t.trim())
                  .filter(Boolean),
              })
            }
            data-testid={`${prefix}-tags`}
          />
        </div>
      );
    case 'agent_transfer':
      return (
        <select aria-label="Queue it goes to" value={turn.queue} onChange={(e) => onChange({ ...turn, queue: e.target.value })} data-testid={`${prefix}-queue`}>
          {[...new Set([...queues, turn.queue])].map((q) => (
            <option key={q}>{q}</option>
          ))}
        </select>
      );
    case 'quiet':
      return (
        <label className="row">
          for{' '}
          <input type="number" min={1} max={300} value={turn.seconds} onChange={(e) => onChange({ ...turn, seconds: Math.max(1, Math.min(300, Math.round(Number(e.target.value) || 1))) })} data-testid={`${prefix}-seconds`} />{' '}
          seconds
        </label>
      );
  }
}

/**
 * Expectations as a list of rows. The rows live here while being edited (a row not filled in yet is not
 * an expectation); they follow the stored expectations when those change elsewhere (undo).
 */
const ExpectationsEditor = memo(function ExpectationsEditor({ title, expect, onChange, prefix }: { title: string; expect: FlowTestExpectations | undefined; onChange: (expect: FlowTestExpectations) => void; prefix: string }) {
  const labels = useDesigner(useShallow((s) => Object.fromEntries(s.nodes.map((n) => [n.id, n.data.label || n.id]))));
  const nodes = useMemo(() => Object.entries(labels).map(([id, label]) => ({ id, label })), [labels]);
  const variables = useDesigner((s) => s.meta?.variables ?? NO_VARIABLES);
  const [rows, setRows] = useState<ExpectationRow[]>(() => expectationRows(expect));
  useEffect(() => {
    setRows((current) => (JSON.stringify(rowsToExpectations(current, expect)) === JSON.stringify(expect ?? {}) ? current : expectationRows(expect)));
  }, [expect]);
  const commit = (next: ExpectationRow[]) => {
    setRows(next);
    onChange(rowsToExpectations(next, expect));
  };
  const set = (i: number, patch: Partial<ExpectationRow>) => commit(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <fieldset className="field field--list expectations" data-testid={prefix}>
      <legend>{title}</legend>
      {rows.length === 0 && <p className="muted small">Nothing yet.</p>}
      {rows.map((row, i) => {
        const kind = EXPECTATION_KINDS.find((k) => k.kind === row.kind)!;
        return (
          <div key={i} className="expectation" data-testid={`${prefix}-row-${i}`}>
            <span className="expectation__label">{kind.label}</span>
            <ExpectationValue row={row} asks={kind.asks} nodes={nodes} variables={variables.map((v) => v.name)} onChange={(patch) => set(i, patch)} testId={`${prefix}-row-${i}-value`} />
            <button type="button" className="icon-button" aria-label={`Remove: ${kind.label}`} onClick={() => commit(rows.filter((_, j) => j !== i))}>
              ✕
            </button>
          </div>
        );
      })}
      <select
        aria-label={`${title}: add an expectation`}
        value=""
        onChange={(e) => {
          const kind = EXPECTATION_KINDS.find((k) => k.kind === e.target.value);
          if (kind) commit([...rows, defaultRow(kind.kind, kind.asks, nodes[0]?.id, variables[0]?.name)]);
        }}
        data-testid={`${prefix}-add`}
      >
        <option value="">+ Add an expectation…</option>
        {EXPECTATION_KINDS.map((k) => (
          <option key={k.kind} value={k.kind}>
            {k.label}
          </option>
        ))}
      </select>
    </fieldset>
  );
});

function defaultRow(kind: ExpectationRow['kind'], asks: string, node: string | undefined, variable: string | undefined): ExpectationRow {
  switch (asks) {
    case 'node':
      return { kind, ...(node ? { node } : {}) };
    case 'exit':
      return { kind, ...(node ? { node } : {}) };
    case 'handledBy':
      return { kind, value: 'bot' };
    case 'outcome':
      return { kind, value: 'resolved_by_bot' };
    case 'trigger':
      return { kind, value: 'human_request' };
    case 'variable':
      return { kind, ...(variable ? { name: variable } : {}), value: '' };
    default:
      return { kind, value: '' };
  }
}

function ExpectationValue({
  row,
  asks,
  nodes,
  variables,
  onChange,
  testId,
}: {
  row: ExpectationRow;
  asks: string;
  nodes: { id: string; label: string }[];
  variables: string[];
  onChange: (patch: Partial<ExpectationRow>) => void;
  testId: string;
}) {
  const portContext = useDesigner((s) => s.portContext);
  const nodeData = useDesigner((s) => s.nodes.find((n) => n.id === row.node)?.data);
  const ports = useMemo(() => (nodeData ? portsForNode(nodeData, portContext).map((p) => p.id) : []), [nodeData, portContext]);
  const nodeSelect = (
    <select aria-label="Step" value={row.node ?? ''} onChange={(e) => onChange({ node: e.target.value, port: undefined })} data-testid={asks === 'exit' ? `${testId}-node` : testId}>
      {!row.node && <option value="">choose a step…</option>}
      {row.node && !nodes.some((n) => n.id === row.node) && <option value={row.node}>{row.node} (not in the flow)</option>}
      {nodes.map((n) => (
        <option key={n.id} value={n.id}>
          {n.label}
        </option>
      ))}
    </select>
  );
  const options = (values: readonly string[], label: string) => (
    <select aria-label={label} value={row.value ?? ''} onChange={(e) => onChange({ value: e.target.value })} data-testid={testId}>
      {values.map((v) => (
        <option key={v} value={v}>
          {v.replace(/_/g, ' ')}
        </option>
      ))}
    </select>
  );
  switch (asks) {
    case 'node':
      return nodeSelect;
    case 'exit':
      return (
        <>
          {nodeSelect}
          <select aria-label="Exit" value={row.port ?? ''} onChange={(e) => onChange({ port: e.target.value })} data-testid={`${testId}-port`}>
            <option value="">choose an exit…</option>
            {ports.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </>
      );
    case 'handledBy':
      return options(HANDLED_BY, 'Handled by');
    case 'outcome':
      return options(OUTCOMES, 'Outcome');
    case 'trigger':
      return options([NO_TRIGGER, ...escalationTriggerKindSchema.options], 'Trigger');
    case 'variable':
      return (
        <>
          <select aria-label="Variable" value={row.name ?? ''} onChange={(e) => onChange({ name: e.target.value })} data-testid={`${testId}-name`}>
            {!row.name && <option value="">choose a variable…</option>}
            {[...new Set([...variables, ...(row.name ? [row.name] : [])])].map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
          <input aria-label="Value" placeholder="value (e.g. 3, true, text)" value={row.value ?? ''} onChange={(e) => onChange({ value: e.target.value })} data-testid={testId} />
        </>
      );
    default:
      return <input aria-label="Text" value={row.value ?? ''} onChange={(e) => onChange({ value: e.target.value })} data-testid={testId} />;
  }
}

/** How a turn went in the last run: its status, what did not hold, what the flow said. */
function TurnResultLine({ result, testId }: { result: FlowTestTurnResult | undefined; testId: string }) {
  if (!result) return null;
  const failed = result.checks.filter((c) => !c.passed);
  return (
    <div className={`turn-result turn-result--${result.status}`} data-testid={testId}>
      <StatusPill status={result.status} />
      {result.error && <span className="turn-result__error">{result.error}</span>}
      {failed.map((c, i) => (
        <p key={i} className="turn-result__check">
          Expected: {c.expected} — but {c.actual}
        </p>
      ))}
      {result.said.length > 0 && <p className="muted small">The flow said: {result.said.map((s) => `“${s}”`).join(' ')}</p>}
    </div>
  );
}

function ResultSummary({ result }: { result: FlowTestResult }) {
  return (
    <div className={`banner ${result.status === 'passed' ? 'banner--ok' : result.status === 'skipped' ? 'banner--warning' : 'banner--error'}`} role="status" data-testid="test-result">
      {result.status === 'passed' && `Passed in ${(result.durationMs / 1000).toFixed(1)} s${result.outcome ? `; the contact ended ${result.outcome.replace(/_/g, ' ')}` : ''}.`}
      {result.status === 'skipped' && `Skipped: ${result.reason ?? ''}`}
      {(result.status === 'failed' || result.status === 'error') && result.failure && `Failed at ${result.failure.label}: ${result.failure.message}`}
    </div>
  );
}
