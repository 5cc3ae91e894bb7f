/**
 * A form generated from a node type's config JSON Schema (served by the catalog): groups, lists,
 * choices, numbers, toggles, and CEL / template fields with completion and inline errors. The
 * schema-reading logic is in `forms/schema.ts`; this only renders. Names of queues, calendars,
 * activities and flow variables are offered from the catalog and the flow.
 */
import type { Diagnostic, FlowVariable } from '@tandem/flow';
import { lazy, memo, Suspense, useId } from 'react';
import { type DiagnosticIndex, fieldDiagnostics } from '../graph/diagnostics';
import type { CatalogView } from '@tandem/api-contract';
import { getAt, humanize, type JsonSchema, newItem, newListItem, type Path, setAt, type TextKind, textKindOf, variantOf, widgetFor } from '../forms/schema';

// The expression editor (CodeMirror) loads with the first expression field shown, not with the app.
const CelField = lazy(() => import('./CelField').then((m) => ({ default: m.CelField })));

export interface FormContext {
  nodeId: string;
  catalog: CatalogView | null;
  variables: readonly FlowVariable[];
  diagnostics: DiagnosticIndex;
  sites: ReadonlyMap<string, TextKind>;
  root: Record<string, unknown>;
  onChange: (config: Record<string, unknown>, coalesceKey: string) => void;
}

/** Property names whose values are names the designer picks from a list. */
function suggestionsFor(name: string, path: Path, ctx: FormContext): string[] | null {
  if (name === 'queue') return (ctx.catalog?.queues ?? []).map((q) => q.name);
  if (name === 'activity') return (ctx.catalog?.activities ?? []).map((a) => a.name);
  if (name === 'name' && path.includes('calendar')) return (ctx.catalog?.calendars ?? []).map((c) => c.name);
  if (['saveAs', 'saveReplyAs', 'saveOutputAs', 'variable'].includes(name)) return ctx.variables.map((v) => v.name);
  if (name === 'onMaxVisits') return null;
  return null;
}

function Messages({ list }: { list: readonly Diagnostic[] }) {
  if (list.length === 0) return null;
  return (
    <ul className="field__problems" role="alert">
      {list.map((d, i) => (
        <li key={i} className={`is-${d.severity}`}>
          {d.message}
        </li>
      ))}
    </ul>
  );
}

interface FieldProps {
  name: string;
  schema: JsonSchema;
  path: Path;
  required: boolean;
  ctx: FormContext;
}

function FieldView({ name, schema, path, required, ctx }: FieldProps) {
  const id = useId();
  const value = getAt(ctx.root, path);
  const problems = fieldDiagnostics(ctx.diagnostics, ctx.nodeId, path);
  const text = textKindOf(schema, path, ctx.sites);
  const widget = widgetFor(schema, text);
  const label = humanize(name);
  const key = path.join('.');
  const set = (next: unknown) => ctx.onChange(setAt(ctx.root, path, next), `config:${ctx.nodeId}:${key}`);
  const help = schema.description && !/^(Condition|Value|Priority) \(CEL/.test(schema.description) ? schema.description : undefined;
  const head = (
    <label htmlFor={id} className="field__label">
      {label}
      {/* The star is for the eye; the field itself says it is required (no "Namerequired" read aloud). */}
      {required && <span className="field__required" aria-hidden="true"> *</span>}
    </label>
  );
  const foot = (
    <>
      {help && <p className="field__help">{help}</p>}
      <Messages list={problems} />
    </>
  );

  switch (widget.kind) {
    case 'fixed':
      return null;
    case 'group':
      return (
        <fieldset className="field field--group">
          <legend>{label}</legend>
          {foot}
          {Object.entries(schema.properties ?? {}).map(([child, childSchema]) => (
            <FieldView key={child} name={child} schema={childSchema} path={[...path, child]} required={schema.required?.includes(child) ?? false} ctx={ctx} />
          ))}
        </fieldset>
      );
    case 'variant': {
      const current = variantOf(widget, value);
      return (
        <fieldset className="field field--group">
          <legend>{label}</legend>
          <select
            id={id}
            aria-label={`${label}: ${humanize(widget.discriminator)}`}
            value={current?.value ?? ''}
            onChange={(e) => {
              const option = widget.options.find((o) => o.value === e.target.value);
              if (option) set(newItem(option.schema));
            }}
          >
            {widget.options.map((o) => (
              <option key={o.value} value={o.value}>
                {humanize(o.value)}
              </option>
            ))}
          </select>
          {foot}
          {current &&
            Object.entries(current.schema.properties ?? {})
              .filter(([child]) => child !== widget.discriminator)
              .map(([child, childSchema]) => (
                <FieldView key={`${current.value}.${child}`} name={child} schema={childSchema} path={[...path, child]} required={current.schema.required?.includes(child) ?? false} ctx={ctx} />
              ))}
        </fieldset>
      );
    }
    case 'list': {
      const items: unknown[] = Array.isArray(value) ? (value as unknown[]) : [];
      const itemSchema = schema.items ?? {};
      const itemWidget = widgetFor(itemSchema);
      return (
        <fieldset className="field field--list">
          <legend>
            {label}
            {required && <span className="field__required" aria-hidden="true"> *</span>}
          </legend>
          {foot}
          {items.map((_, i) => (
            <div key={i} className="list-item">
              <div className="list-item__body">
                {itemWidget.kind === 'group' || itemWidget.kind === 'variant' ? (
                  <FieldView name={`${humanize(name).replace(/s$/, '')} ${i + 1}`} schema={itemSchema} path={[...path, i]} required={false} ctx={ctx} />
                ) : (
                  <FieldView name={`${humanize(name).replace(/s$/, '')} ${i + 1}`} schema={itemSchema} path={[...path, i]} required={false} ctx={ctx} />
                )}
              </div>
              <div className="list-item__tools">
                <button type="button" className="icon-button" aria-label={`Move ${label} ${i + 1} up`} disabled={i === 0} onClick={() => set(moveItem(items, i, i - 1))}>
                  ↑
                </button>
                <button type="button" className="icon-button" aria-label={`Remove ${label} ${i + 1}`} onClick={() => set(items.filter((__, j) => j !== i))}>
                  ✕
                </button>
              </div>
            </div>
          ))}
          {(schema.maxItems === undefined || items.length < schema.maxItems) && (
            <button type="button" className="link-button" onClick={() => set([...items, newListItem(name, itemSchema, items)])} data-testid={`add-${key}`}>
              + Add {humanize(name).replace(/s$/, '').toLowerCase()}
            </button>
          )}
        </fieldset>
      );
    }
    case 'map': {
      const entries = Object.entries(value && typeof value === 'object' ? (value as Record<string, unknown>) : {});
      const activity = name === 'input' && typeof ctx.root.activity === 'string' ? ctx.catalog?.activities.find((a) => a.name === ctx.root.activity) : undefined;
      const expected = Object.keys((activity?.inputSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const missing = expected.filter((k) => !entries.some(([e]) => e === k));
      const valueSchema = (schema.additionalProperties as JsonSchema) ?? {};
      return (
        <fieldset className="field field--map">
          <legend>{label}</legend>
          {foot}
          {entries.map(([k]) => (
            <div key={k} className="list-item">
              <div className="list-item__body">
                <FieldView name={k} schema={valueSchema} path={[...path, k]} required={false} ctx={ctx} />
              </div>
              <div className="list-item__tools">
                <button type="button" className="icon-button" aria-label={`Remove ${k}`} onClick={() => set(Object.fromEntries(entries.filter(([e]) => e !== k)))}>
                  ✕
                </button>
              </div>
            </div>
          ))}
          {missing.map((k) => (
            <button key={k} type="button" className="link-button" onClick={() => set({ ...Object.fromEntries(entries), [k]: '' })}>
              + Map “{k}”
            </button>
          ))}
          <MapKeyAdder onAdd={(k) => set({ ...Object.fromEntries(entries), [k]: '' })} />
        </fieldset>
      );
    }
    case 'multi-choice': {
      const chosen = new Set(Array.isArray(value) ? value.map(String) : Array.isArray(schema.default) ? schema.default.map(String) : []);
      return (
        <fieldset className="field field--choices">
          <legend>{label}</legend>
          <div className="choices">
            {widget.options.map((option) => (
              <label key={option} className="choice">
                <input type="checkbox" checked={chosen.has(option)} onChange={(e) => set(widget.options.filter((o) => (o === option ? e.target.checked : chosen.has(o))))} />
                {humanize(option)}
              </label>
            ))}
          </div>
          {foot}
        </fieldset>
      );
    }
    case 'choice':
      return (
        <div className="field">
          {head}
          <select id={id} aria-required={required || undefined} value={value === undefined ? '' : asText(value)} onChange={(e) => set(e.target.value === '' ? undefined : e.target.value)}>
            {(!required || value === undefined) && <option value="">{schema.default !== undefined ? `Default (${humanize(asText(schema.default))})` : 'Choose…'}</option>}
            {widget.options.map((o) => (
              <option key={o} value={o}>
                {humanize(o)}
              </option>
            ))}
          </select>
          {foot}
        </div>
      );
    case 'toggle': {
      const checked = typeof value === 'boolean' ? value : Boolean(schema.default);
      return (
        <div className="field field--toggle">
          <label className="choice">
            <input id={id} type="checkbox" checked={checked} onChange={(e) => set(e.target.checked)} />
            {label}
          </label>
          {foot}
        </div>
      );
    }
    case 'number':
      return (
        <div className="field">
          {head}
          <input
            id={id}
            type="number"
            aria-required={required || undefined}
            inputMode={widget.integer ? 'numeric' : 'decimal'}
            step={widget.integer ? 1 : 'any'}
            min={schema.minimum}
            max={schema.maximum}
            placeholder={schema.default !== undefined ? asText(schema.default) : ''}
            value={typeof value === 'number' ? value : ''}
            onChange={(e) => set(e.target.value === '' ? undefined : Number(e.target.value))}
          />
          {foot}
        </div>
      );
    case 'text': {
      if (widget.text !== 'text') {
        return (
          <div className="field">
            {head}
            <Suspense fallback={<input type="text" readOnly value={typeof value === 'string' ? value : ''} aria-label={label} />}>
            <CelField
              id={`${ctx.nodeId}-${key}`}
              label={label}
              kind={widget.text}
              value={typeof value === 'string' ? value : ''}
              onChange={(next) => set(next === '' && !required ? undefined : next)}
              diagnostics={problems}
              environment={ctx.catalog?.expressions ?? null}
              variables={ctx.variables}
              placeholder={schema.default !== undefined ? asText(schema.default) : widget.text === 'template' ? 'Text, with {{ customer.name }} where a value goes' : 'e.g. nlu.sentiment < -0.5'}
            />
            </Suspense>
            {help && <p className="field__help">{help}</p>}
          </div>
        );
      }
      const suggestions = suggestionsFor(name, path, ctx);
      const listId = suggestions ? `${id}-options` : undefined;
      return (
        <div className="field">
          {head}
          <input
            id={id}
            type="text"
            aria-required={required || undefined}
            value={typeof value === 'string' ? value : ''}
            placeholder={schema.default !== undefined ? asText(schema.default) : ''}
            list={listId}
            onChange={(e) => set(e.target.value === '' && !required ? undefined : e.target.value)}
            data-testid={`field-${key}`}
          />
          {suggestions && (
            <datalist id={listId}>
              {suggestions.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          )}
          {foot}
        </div>
      );
    }
    case 'json':
    default:
      return (
        <div className="field">
          {head}
          <textarea
            id={id}
            rows={4}
            defaultValue={JSON.stringify(value ?? schema.default ?? null, null, 2)}
            onBlur={(e) => {
              try {
                set(JSON.parse(e.target.value));
              } catch {
                // Left as typed: the field keeps showing the text until it parses.
              }
            }}
          />
          {foot}
        </div>
      );
  }
}

const Field = memo(FieldView);

/** A schema value as text (defaults and choices are strings or numbers; anything else as JSON). */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item as T);
  return copy;
}

function MapKeyAdder({ onAdd }: { onAdd: (key: string) => void }) {
  return (
    <form
      className="map-adder"
      onSubmit={(e) => {
        e.preventDefault();
        const input = e.currentTarget.elements.namedItem('key') as HTMLInputElement;
        if (input.value.trim()) onAdd(input.value.trim());
        input.value = '';
      }}
    >
      <input name="key" placeholder="Field name" aria-label="New field name" />
      <button type="submit" className="link-button">
        + Add
      </button>
    </form>
  );
}

/** The whole config form of a node. */
export function SchemaForm({ schema, ctx }: { schema: JsonSchema; ctx: FormContext }) {
  const widget = widgetFor(schema);
  if (widget.kind === 'variant') return <Field name="settings" schema={schema} path={[]} required ctx={ctx} />;
  return (
    <div className="schema-form">
      {Object.entries(schema.properties ?? {}).map(([name, child]) => (
        <Field key={name} name={name} schema={child} path={[name]} required={schema.required?.includes(name) ?? false} ctx={ctx} />
      ))}
    </div>
  );
}
