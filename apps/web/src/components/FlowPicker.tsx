/** The first screen after sign-in: the flows of this installation, a new flow, or an import. */
import { useCallback, useEffect, useState } from 'react';
import type { FlowSummary } from '@tandem/api-contract';
import { describeError } from '../api/client';
import { importFlowFile } from '../services/import-export';
import { newFlowDocument } from '../graph/document';
import { sessionStore, useSession } from '../store';

/** A flow id from a name: lower case, dashes, within the id pattern. */
export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'flow';
}

export function FlowPicker() {
  const api = useSession((s) => s.api);
  const [flows, setFlows] = useState<FlowSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    if (!api) return;
    try {
      setFlows((await api.listFlows()).items);
      setError(null);
      sessionStore.getState().setApiStatus('ok');
    } catch (e) {
      setError(describeError(e));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const create = async () => {
    if (!api || !name.trim()) return;
    setBusy(true);
    try {
      const taken = new Set((flows ?? []).map((f) => f.id));
      let id = slugify(name);
      for (let i = 2; taken.has(id); i++) id = `${slugify(name)}-${i}`;
      const flow = await api.createFlow(newFlowDocument(id, name.trim()));
      sessionStore.getState().openFlow(flow.id);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="picker">
      <header className="picker__head">
        <h1>
          <span className="logo">⟲</span> Flows
        </h1>
        <button type="button" className="link-button" onClick={() => sessionStore.getState().signOut()}>
          Sign out
        </button>
      </header>
      {error && (
        <p className="banner banner--error" role="alert">
          {error}{' '}
          <button type="button" className="link-button" onClick={() => void load()}>
            Try again
          </button>
        </p>
      )}
      <section className="card picker__new">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <label htmlFor="new-flow" className="field__label">
            New flow
          </label>
          <div className="row">
            <input id="new-flow" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Billing questions" data-testid="new-flow-name" />
            <button type="submit" className="button button--primary" disabled={!name.trim() || busy} data-testid="create-flow">
              Create
            </button>
            <label className="button">
              Import…
              <input
                type="file"
                accept="application/json,.json"
                hidden
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (!file || !api) return;
                  try {
                    const result = await importFlowFile(api, file);
                    sessionStore.getState().openFlow(result.flow.id);
                  } catch (err) {
                    setError(describeError(err));
                  }
                }}
              />
            </label>
          </div>
        </form>
      </section>
      <section className="picker__list">
        {flows === null && !error && <p className="muted">Loading…</p>}
        {flows?.length === 0 && <p className="muted">No flows yet: create the first one above.</p>}
        <ul>
          {flows?.map((f) => (
            <li key={f.id}>
              <button type="button" className="card flow-card" onClick={() => sessionStore.getState().openFlow(f.id)} data-testid={`open-flow-${f.id}`}>
                <strong>{f.name}</strong>
                <span className="muted">
                  {f.nodeCount} steps · {f.latestVersion ? `published v${f.latestVersion}` : 'never published'}
                  {f.hasUnpublishedChanges && f.latestVersion ? ' · unpublished changes' : ''}
                </span>
                <span className="muted small">
                  edited {new Date(f.updatedAt).toLocaleString()} by {f.updatedBy}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
