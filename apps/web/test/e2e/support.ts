/** Gestures on the designer page, as a person makes them. */
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
