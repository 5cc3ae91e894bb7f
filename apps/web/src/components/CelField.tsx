/**
 * An expression (CEL) or `{{ }}` template field: a one-line CodeMirror editor that offers the
 * expression environment's variables and fields as you type, and underlines the characters a
 * diagnostic's `range` points at, with its message.
 */
import { autocompletion, closeBrackets, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { type Diagnostic as LintDiagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderExt } from '@codemirror/view';
import type { Diagnostic, FlowVariable } from '@tandem/flow';
import { useEffect, useRef } from 'react';
import type { ExpressionEnvironmentView } from '@tandem/api-contract';
import { completionsFor } from '../forms/completions';

export interface CelFieldProps {
  id: string;
  value: string;
  kind: 'expression' | 'template';
  onChange: (value: string) => void;
  diagnostics: readonly Diagnostic[];
  environment: ExpressionEnvironmentView | null;
  variables: readonly FlowVariable[];
  placeholder?: string;
  label: string;
}

function completionSource(getEnv: () => { environment: ExpressionEnvironmentView | null; variables: readonly FlowVariable[]; kind: 'expression' | 'template' }) {
  return (context: CompletionContext): CompletionResult | null => {
    const { environment, variables, kind } = getEnv();
    const before = context.state.sliceDoc(0, context.pos);
    // In a template, only offer names between {{ and }}.
    if (kind === 'template' && before.lastIndexOf('{{') <= before.lastIndexOf('}}')) return null;
    const word = context.matchBefore(/[A-Za-z_][\w]*(\.[A-Za-z_]?[\w]*)*\.?/);
    if (!word && !context.explicit) return null;
    const text = word?.text ?? '';
    const options = completionsFor(text, environment, variables);
    if (options.length === 0) return null;
    const dot = text.lastIndexOf('.');
    return {
      from: (word?.from ?? context.pos) + (dot >= 0 ? dot + 1 : 0),
      options: options.map((o): Completion => ({ label: o.label, type: o.kind, detail: o.type, info: o.description, apply: o.apply ?? o.label })),
      validFor: /^\w*$/,
    };
  };
}

export function CelField({ id, value, kind, onChange, diagnostics, environment, variables, placeholder, label }: CelFieldProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ onChange, environment, variables, kind });
  latest.current = { onChange, environment, variables, kind };

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          EditorView.lineWrapping,
          closeBrackets(),
          autocompletion({ override: [completionSource(() => latest.current)], activateOnTyping: true, icons: false }),
          lintGutter(),
          placeholderExt(placeholder ?? ''),
          // One logical line: Enter accepts a completion or does nothing, it never inserts a newline.
          keymap.of([{ key: 'Enter', run: () => true }]),
          EditorView.contentAttributes.of({ 'aria-label': label, id, 'data-testid': `cel-${id}` }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is created once per field; later value changes are applied below.
  }, []);

  // A value changed from outside (undo, another field): replace the text without losing focus.
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current !== value) editor.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const length = editor.state.doc.length;
    const lint: LintDiagnostic[] = diagnostics.map((d) => {
      const from = Math.min(Math.max(0, d.range?.start ?? 0), length);
      const to = Math.min(Math.max(from, d.range?.end ?? length), length);
      return { from, to: to === from && length > from ? from + 1 : to, severity: d.severity, message: d.message };
    });
    editor.dispatch(setDiagnostics(editor.state, lint));
  }, [diagnostics, value]);

  return <div ref={host} className={`cel-field cel-field--${kind} ${diagnostics.some((d) => d.severity === 'error') ? 'has-error' : ''}`} />;
}
