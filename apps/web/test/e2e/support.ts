/** Gestures on the designer page, as a person makes them. */
import { exampleResolverData } from '@tandem/flow';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

/** Drags a step from the palette onto the canvas at a point (relative to the canvas). */
export async function dragFromPalette(page: Page, nodeType: string, at: { x: number; y: number }): Promise<void> {
  await page.getByTestId(`palette-${nodeType}`).dragTo(page.getByTestId('canvas'), { targetPosition: at });
}

async function centerOf(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Draws a connection from a node's exit to another node's input, with the mouse. */
export async function connect(page: Page, source: string, port: string, target: string): Promise<void> {
  const from = await centerOf(page, `[data-testid="handle-${source}-${port}"]`);
  // Onto the target's input; a start has none, so onto its body (where a person would try).
  const hasInput = (await page.locator(`[data-testid="node-${target}"] .thandle--in`).count()) > 0;
  const to = await centerOf(page, hasInput ? `[data-testid="node-${target}"] .thandle--in` : `[data-testid="node-${target}"]`);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 });
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

/** Replaces the text of a CEL / template field (a CodeMirror editor). */
export async function typeInExpression(page: Page, testId: string, text: string): Promise<void> {
  const editor = page.getByTestId(testId);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await editor.pressSequentially(text, { delay: 15 });
}

/** What the example flows reference, registered through the API: queues, the calendar. */
export async function seedExampleCatalog(call: (method: string, url: string, body?: unknown, role?: string) => Promise<{ status: number }>): Promise<void> {
  for (const q of exampleResolverData.queues ?? []) {
    const name = typeof q === 'string' ? q : q.name;
    const r = await call('PUT', `/v1/catalog/queues/${name}`, { description: name, slaTargetSeconds: 120 }, 'admin');
    if (r.status >= 300) throw new Error(`seeding queue ${name}: ${r.status}`);
  }
  for (const c of exampleResolverData.calendars ?? []) {
    if (typeof c === 'string' || !c.calendar) continue;
    const r = await call('PUT', `/v1/catalog/calendars/${c.name}`, c.calendar, 'admin');
    if (r.status >= 300) throw new Error(`seeding calendar ${c.name}: ${r.status}`);
  }
}

/** An example flow document from @tandem/flow. */
export function exampleDocument(name: string): Record<string, unknown> {
  const file = path.join(path.dirname(require.resolve('@tandem/flow/package.json')), 'examples', `${name}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** One finding of the accessibility audit. */
export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs the axe-core accessibility audit (WCAG 2.0/2.1 A and AA rules) on the page as it is, or on one
 * part of it, and returns the serious and critical findings.
 */
export async function auditAccessibility(page: Page, include?: string): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const findings = await page.evaluate(async (context) => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(context ?? document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  }, include ?? null);
  return findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}
