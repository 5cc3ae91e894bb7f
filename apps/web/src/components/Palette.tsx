/**
 * The palette: every step the catalog offers, grouped by category, searchable. Drag a step onto the
 * canvas, or press Enter on it to add it next to the last step.
 */
import type { NodeCatalogEntry, NodeCategory } from '@tandem/flow';
import { type DragEvent, useMemo, useState } from 'react';
import { useDesigner } from '../store';
import { ACTIVITY_PREFIX, addFromPalette, PALETTE_MIME } from '../services/palette';
import { CategoryIcon } from './nodes/CategoryIcon';
import { CATEGORY_LOOK } from './nodes/FlowNodes';

const ORDER: NodeCategory[] = ['conversation', 'human', 'logic', 'messaging', 'integration', 'flow'];

/** The newest version of each node type, filtered by a search over title, description and type. */
export function paletteEntries(nodeTypes: readonly NodeCatalogEntry[], query: string): NodeCatalogEntry[] {
  const newest = new Map<string, NodeCatalogEntry>();
  for (const t of nodeTypes) if ((newest.get(t.type)?.typeVersion ?? 0) < t.typeVersion) newest.set(t.type, t);
  const q = query.trim().toLowerCase();
  return [...newest.values()].filter((t) => !q || `${t.title} ${t.description} ${t.type} ${CATEGORY_LOOK[t.category].name}`.toLowerCase().includes(q));
}

export function Palette() {
  const catalog = useDesigner((s) => s.catalog);
  const [query, setQuery] = useState('');
  const entries = useMemo(() => paletteEntries(catalog?.nodeTypes ?? [], query), [catalog, query]);

  const activities = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (catalog?.activities ?? []).filter((a) => !q || `${a.title ?? ''} ${a.name} ${a.description ?? ''}`.toLowerCase().includes(q));
  }, [catalog, query]);

  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(PALETTE_MIME, type);
    event.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <aside className="palette" aria-label="Steps you can add">
      <input
        className="palette__search"
        type="search"
        placeholder="Search steps…  ( / )"
        aria-label="Search steps"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="palette-search"
      />
      {ORDER.map((category) => {
        const items = entries.filter((e) => e.category === category);
        if (items.length === 0) return null;
        const look = CATEGORY_LOOK[category];
        return (
          <section key={category} className="palette__group">
            <h3 style={{ color: look.text }}>{look.name}</h3>
            <ul>
              {items.map((entry) => (
                <li key={entry.type}>
                  <div
                    className="palette__item"
                    style={{ ['--cat' as string]: look.color }}
                    draggable
                    tabIndex={0}
                    role="button"
                    title={entry.description}
                    aria-label={`Add ${entry.title}: ${entry.description}`}
                    data-testid={`palette-${entry.type}`}
                    onDragStart={(e) => onDragStart(e, entry.type)}
                    onDoubleClick={() => addFromPalette(entry.type)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        addFromPalette(entry.type);
                      }
                    }}
                  >
                    <span className="palette__icon" aria-hidden style={{ color: look.color }}>
                      <CategoryIcon category={category} />
                    </span>
                    <span className="palette__text">
                      <strong>{entry.title}</strong>
                      <small>{entry.description}</small>
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      {activities.length > 0 && (
        <section className="palette__group">
          <h3 style={{ color: CATEGORY_LOOK.integration.text }}>Your activities</h3>
          <ul>
            {activities.map((a) => (
              <li key={a.name}>
                <div
                  className="palette__item"
                  style={{ ['--cat' as string]: CATEGORY_LOOK.integration.color }}
                  draggable
                  tabIndex={0}
                  role="button"
                  title={a.description}
                  aria-label={`Add ${a.title ?? a.name}`}
                  data-testid={`palette-activity-${a.name}`}
                  onDragStart={(e) => onDragStart(e, `${ACTIVITY_PREFIX}${a.name}`)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      addFromPalette(`${ACTIVITY_PREFIX}${a.name}`);
                    }
                  }}
                >
                  <span className="palette__icon" aria-hidden style={{ color: CATEGORY_LOOK.integration.color }}>
                    <CategoryIcon category="integration" />
                  </span>
                  <span className="palette__text">
                    <strong>{a.title ?? a.name}</strong>
                    <small>{a.description ?? a.name}</small>
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {entries.length === 0 && activities.length === 0 && <p className="muted">No step matches “{query}”.</p>}
    </aside>
  );
}
