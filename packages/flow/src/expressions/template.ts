/**
 * Message templates: text with CEL expressions inside `{{ }}`, e.g. `Thanks {{customer.name}}, your
 * wait is about {{int(queue.ewt("billing") / 60.0)}} minutes`. There is no escape character: literal
 * braces are CEL strings, `{{"{{"}}` and `{{"}" + "}"}}` (a `}}` inside quotes would end the expression).
 */

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'expression'; source: string; start: number; end: number };

export interface TemplateSyntaxError {
  message: string;
  start: number;
  end: number;
}

/** Splits a template into text and expressions; `start`/`end` are offsets of the CEL source in the template. */
export function parseTemplate(template: string): { parts: TemplatePart[] } | { error: TemplateSyntaxError } {
  const parts: TemplatePart[] = [];
  let position = 0;
  while (position < template.length) {
    const open = template.indexOf('{{', position);
    const strayClose = template.indexOf('}}', position);
    if (strayClose !== -1 && (open === -1 || strayClose < open)) {
      return { error: { message: 'has "}}" without a matching "{{"', start: strayClose, end: strayClose + 2 } };
    }
    if (open === -1) {
      parts.push({ kind: 'text', text: template.slice(position) });
      break;
    }
    if (open > position) parts.push({ kind: 'text', text: template.slice(position, open) });
    const close = template.indexOf('}}', open + 2);
    if (close === -1) return { error: { message: 'has "{{" without a closing "}}"', start: open, end: template.length } };
    const raw = template.slice(open + 2, close);
    const source = raw.trim();
    if (source.length === 0) return { error: { message: 'has an empty "{{ }}"', start: open, end: close + 2 } };
    const start = open + 2 + raw.indexOf(source);
    parts.push({ kind: 'expression', source, start, end: start + source.length });
    position = close + 2;
  }
  return { parts };
}

/** How a value appears in a rendered message. */
export function formatTemplateValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
    case 'boolean':
      return value ? 'yes' : 'no';
    default:
      if (Array.isArray(value)) return value.map(formatTemplateValue).join(', ');
      if (value instanceof Date) return value.toISOString();
      return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  }
}
