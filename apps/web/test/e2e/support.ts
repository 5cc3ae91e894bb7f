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
