/**
 * The designer screen: top bar, palette, canvas, the side panel (settings, test chat, tests, versions,
 * performance) and the problems panel. Opens the flow, starts the draft sync, and maps keyboard
 * shortcuts to store actions.
 */
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { describeError } from '../api/client';
import { parseFragment } from '../graph/clipboard';
import { startDraftSync, type DraftSync } from '../services/draft-sync';
import { createFlowTests } from '../services/flow-tests';
import { keepMine, loadTheirs, openFlow } from '../services/flow-session';
import { downloadFlow, importFlowFile } from '../services/import-export';
import { layoutEngine } from '../services/layout-engine';
import { lastFlow } from '../services/local-drafts';
import { loadSubflows } from '../services/subflows';
import { createSimulation } from '../services/simulation';
import { designerStore, selectors, sessionStore, useDesigner, useSession } from '../store';
import { ApiStatusBanner } from './ApiStatusBanner';
import { Canvas, READABLE_ZOOM } from './Canvas';
import { HelpDialog } from './HelpDialog';
import { Inspector } from './Inspector';
import { Palette } from './Palette';
import { ProblemsPanel } from './ProblemsPanel';
import { SimulatePanel } from './SimulatePanel';
import { TestsPanel } from './TestsPanel';
import { VersionsPanel } from './VersionsPanel';
import { WatchPanel } from './WatchPanel';

type Tab = 'settings' | 'test' | 'tests' | 'versions' | 'watch';

const TABS: [Tab, string][] = [
  ['settings', 'Settings'],
  ['test', 'Test chat'],
  ['tests', 'Tests'],
  ['versions', 'Publish & versions'],
  ['watch', 'Performance'],
];

const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export function Designer({ flowId }: { flowId: string }) {
  return (
    <ReactFlowProvider>
      <DesignerScreen flowId={flowId} />
    </ReactFlowProvider>
  );
}

function DesignerScreen({ flowId }: { flowId: string }) {
  const api = useSession((s) => s.api);
  const meta = useDesigner((s) => s.meta);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('settings');
  const [help, setHelp] = useState(false);
  const sync = useRef<DraftSync | null>(null);
  const flow = useReactFlow();

  useEffect(() => {
    if (!api) return;
    let cancelled = false;
    setLoadError(null);
    void (async () => {
      try {
        // Fresh on every open: queues, calendars and activities change outside the designer.
        designerStore.getState().setCatalog(await api.catalog());
        const { outcome } = await openFlow(designerStore, api, flowId);
        if (cancelled) return;
        sessionStore.getState().setApiStatus('ok');
        if (outcome === 'restored-local') designerStore.getState().notify('Restored the changes you had not saved yet.', 'info');
        sync.current = startDraftSync(designerStore, sessionStore, api);
        void loadSubflows(designerStore, api);
      } catch (e) {
        if (!cancelled) setLoadError(describeError(e));
      }
    })();
    return () => {
      cancelled = true;
      sync.current?.stop();
      sync.current = null;
    };
  }, [api, flowId]);

  const saveNow = useCallback(async () => {
    await sync.current?.saveNow();
  }, []);
  // Here rather than in the tab: results stay while the designer fixes the flow in other tabs.
  const flowTests = useMemo(() => (api ? createFlowTests(api, designerStore, { beforeRun: saveNow }) : null), [api, saveNow, flowId]);
  useEffect(() => () => flowTests?.dispose(), [flowTests]);
  // The test chat too: a conversation goes on while the designer looks at another tab.
  const simulation = useMemo(() => (api ? createSimulation(api, designerStore, { beforeStart: saveNow }) : null), [api, saveNow, flowId]);
  useEffect(() => () => simulation?.dispose(), [simulation]);

  const tidy = useCallback(async () => {
    await designerStore.getState().autoLayout(await layoutEngine());
    window.requestAnimationFrame(() => void flow.fitView({ padding: 0.15, duration: 300, minZoom: READABLE_ZOOM }));
  }, [flow]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Typing in a field, or a dialog open (Esc closes it): not canvas shortcuts.
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      const mod = event.ctrlKey || event.metaKey;
      const s = designerStore.getState();
      const editing = s.overlay.kind !== 'diff';
      const key = event.key.toLowerCase();
      if (mod && key === 'z' && !event.shiftKey && editing) s.undo();
      else if (mod && ((key === 'z' && event.shiftKey) || key === 'y') && editing) s.redo();
      else if (mod && key === 'c') {
        const fragment = s.copy();
        if (fragment) void navigator.clipboard?.writeText(JSON.stringify(fragment)).catch(() => undefined);
      } else if (mod && key === 'v' && editing) {
        // The system clipboard carries fragments between tabs; the store's copy is the fallback when
        // it holds something else, is refused (an unfocused page) or does not answer promptly.
        const fromSystem = typeof navigator.clipboard?.readText === 'function' ? navigator.clipboard.readText().then(parseFragment, () => null) : Promise.resolve(null);
        const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 300));
        void Promise.race([fromSystem, timeout]).then((fragment) => s.paste(fragment ?? undefined));
      } else if (mod && key === 'd' && editing) s.duplicateSelection();
      else if (mod && key === 'a') s.selectAll();
      else if (mod && key === 's') void saveNow();
      else if (mod) return;
      else if (key === 'l' && editing) void tidy();
      else if (key === 'f') void flow.fitView({ padding: 0.15, duration: 300 });
      else if (event.key === '?') setHelp(true);
      else if (event.key === '/') document.querySelector<HTMLInputElement>('[data-testid="palette-search"]')?.focus();
      else if (event.key === 'Escape') s.selectNodes([]);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [flow, saveNow, tidy]);

  if (loadError) {
    return (
      <main className="picker">
        <p className="banner banner--error" role="alert">
          Could not open this flow: {loadError}
        </p>
        <button
          type="button"
          className="button"
          onClick={() => {
            lastFlow.set(null);
            sessionStore.getState().closeFlow();
          }}
        >
          Back to flows
        </button>
      </main>
    );
  }
  if (!meta || meta.id !== flowId) return <main className="picker muted">Opening…</main>;

  return (
    <div className="designer">
      <TopBar onTidy={() => void tidy()} onHelp={() => setHelp(true)} saveNow={saveNow} />
      <ApiStatusBanner />
      <ConflictBanner />
      <div className="designer__body">
        <Palette />
        <div className="designer__center">
          <Canvas />
          <Notice />
          <ProblemsPanel />
        </div>
        <aside className="side" aria-label="Side panel">
          <nav className="tabs" role="tablist">
            {TABS.map(([id, label]) => (
              <button key={id} type="button" role="tab" aria-selected={tab === id} className={`tab ${tab === id ? 'is-active' : ''}`} onClick={() => setTab(id)} data-testid={`tab-${id}`}>
                {label}
              </button>
            ))}
          </nav>
          <div className="side__body">
            {tab === 'settings' && <Inspector />}
            {tab === 'test' && simulation && <SimulatePanel simulation={simulation} />}
            {tab === 'tests' && flowTests && <TestsPanel flowTests={flowTests} />}
            {tab === 'versions' && <VersionsPanel saveNow={saveNow} />}
            {tab === 'watch' && <WatchPanel />}
          </div>
        </aside>
      </div>
      <HelpDialog open={help} onClose={() => setHelp(false)} />
    </div>
  );
}

const SAVE_LABEL = { saved: 'All changes saved', unsaved: 'Saving soon…', saving: 'Saving…', offline: 'Offline — kept in this browser', conflict: 'Changed elsewhere', error: 'Not saved' } as const;

function TopBar({ onTidy, onHelp, saveNow }: { onTidy: () => void; onHelp: () => void; saveNow: () => Promise<void> }) {
  const name = useDesigner((s) => s.meta?.name);
  const flowId = useDesigner((s) => s.meta?.id);
  const saveState = useDesigner((s) => s.saveState);
  const saveMessage = useDesigner((s) => s.saveMessage);
  const canUndo = useDesigner(selectors.canUndo);
  const canRedo = useDesigner(selectors.canRedo);
  const diffing = useDesigner((s) => s.overlay.kind === 'diff');
  const api = useSession((s) => s.api);
  return (
    <header className="topbar">
      <button
        type="button"
        className="link-button topbar__back"
        onClick={async () => {
          await saveNow();
          lastFlow.set(null);
          sessionStore.getState().closeFlow();
        }}
        aria-label="Back to all flows"
      >
        ← Flows
      </button>
      <h1 className="topbar__name">{name}</h1>
      <span className={`save-state save-state--${saveState}`} title={saveMessage ?? undefined} data-testid="save-state">
        {SAVE_LABEL[saveState]}
      </span>
      <div className="topbar__tools">
        <button type="button" className="icon-button" onClick={() => designerStore.getState().undo()} disabled={!canUndo || diffing} aria-label="Undo (Ctrl+Z)" title="Undo (Ctrl+Z)">
          ↶
        </button>
        <button type="button" className="icon-button" onClick={() => designerStore.getState().redo()} disabled={!canRedo || diffing} aria-label="Redo (Ctrl+Shift+Z)" title="Redo (Ctrl+Shift+Z)">
          ↷
        </button>
        <button type="button" className="button" onClick={onTidy} disabled={diffing} title="Arrange the steps neatly (L)" data-testid="auto-layout">
          Tidy up
        </button>
        <button type="button" className="button" onClick={() => api && flowId && void saveNow().then(() => downloadFlow(api, flowId))} title="Download the draft as a file">
          Export
        </button>
        <label className="button" title="Replace this draft with a flow file">
          Import
          <input
            type="file"
            accept="application/json,.json"
            hidden
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (!file || !api) return;
              try {
                const result = await importFlowFile(api, file);
                sessionStore.getState().openFlow(result.flow.id);
                if (result.flow.id === flowId) await loadTheirs(designerStore, api, result.flow.id);
                designerStore.getState().notify(`Imported “${result.flow.name}”${result.valid ? '' : ' — it has problems to fix here (see the list below)'}.`, result.valid ? 'info' : 'warning');
              } catch (err) {
                designerStore.getState().notify(describeError(err), 'error');
              }
            }}
          />
        </label>
        <button type="button" className="icon-button" onClick={onHelp} aria-label="Keyboard shortcuts (?)" title="Keyboard shortcuts (?)">
          ?
        </button>
      </div>
    </header>
  );
}

function ConflictBanner() {
  const saveState = useDesigner((s) => s.saveState);
  const message = useDesigner((s) => s.saveMessage);
  const flowId = useDesigner((s) => s.meta?.id);
  const api = useSession((s) => s.api);
  if (saveState !== 'conflict' || !api || !flowId) return null;
  return (
    <div className="banner banner--warning" role="alert">
      {message}{' '}
      <button type="button" className="button" onClick={() => void keepMine(designerStore, api).catch((e: unknown) => designerStore.getState().notify(describeError(e), 'error'))}>
        Keep mine
      </button>{' '}
      <button type="button" className="button" onClick={() => void loadTheirs(designerStore, api, flowId)}>
        Load the saved one
      </button>
    </div>
  );
}

function Notice() {
  const notice = useDesigner((s) => s.notice);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    if (!notice) return;
    setVisible(true);
    const t = setTimeout(() => setVisible(false), 5000);
    return () => clearTimeout(t);
  }, [notice]);
  if (!notice || !visible) return null;
  return (
    <div className={`toast toast--${notice.tone}`} role="status" data-testid="notice">
      {notice.text}
    </div>
  );
}
