/**
 * Flow tests in the designer, in Debian's Chromium, against the real API and the real contact worker:
 * a designer writes a test in the Tests tab without code, runs it red (the failing turn says what was
 * expected and what the bot said, the path is lit on the canvas), fixes the flow, runs it green and
 * publishes. Then a change that breaks the test is refused at publishing with the failing turn named;
 * the designer cannot publish over it, an admin can, with a reason the history shows.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, type Harness, signIn, startHarness } from './harness';
import { typeInExpression } from './support';

jest.setTimeout(300_000);

const flowId = 'bakery';

/** start → greet → ask (waits for the order) → bye ("Thanks, see you soon!"); silence → gone. */
const bakery = {
  id: flowId,
  name: 'Bakery',
  channels: ['chat'],
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 120 }, config: {} },
    { id: 'greet', type: 'message', label: 'Greeting', position: { x: 260, y: 120 }, config: { text: 'Hello! We bake every morning.' } },
    { id: 'ask', type: 'wait', label: 'Take the order', position: { x: 520, y: 120 }, config: { mode: 'reply', prompt: 'What would you like?', timeoutSeconds: 120 } },
    { id: 'bye', type: 'end', label: 'Goodbye', position: { x: 800, y: 40 }, config: { outcome: 'resolved_by_bot', message: 'Thanks, see you soon!' } },
    { id: 'gone', type: 'end', label: 'Customer left', position: { x: 800, y: 220 }, config: { outcome: 'abandoned' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'greet' },
    { id: 'e2', source: 'greet', sourcePort: 'next', target: 'ask' },
    { id: 'e3', source: 'ask', sourcePort: 'reply', target: 'bye' },
    { id: 'e4', source: 'ask', sourcePort: 'timeout', target: 'gone' },
  ],
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true });
  expect((await h.call('POST', '/v1/flows', bakery)).status).toBe(201);
});
afterAll(async () => h?.close());

/** Changes the goodbye the end step says, in its settings. */
async function setGoodbye(page: Page, text: string): Promise<void> {
  await page.getByTestId('node-bye').click();
  await page.getByTestId('tab-settings').click();
  await typeInExpression(page, 'cel-bye-message', text);
  await page.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor({ timeout: 30_000 });
}

it('writes a test in the Tests tab, runs it red, fixes the flow, runs it green and publishes', async () => {
  const { page } = h;
  await signIn(page, h.webUrl, h.designerToken);
  await page.getByTestId(`open-flow-${flowId}`).click();
  await page.getByText('Ready to publish').waitFor();

  await page.getByTestId('tab-tests').click();
  await page.getByTestId('new-test').click();
  await page.getByTestId('test-name').fill('Bread order');
  await page.getByTestId('turn-1-text').fill('A loaf of bread, please');
  await page.getByTestId('turn-1-expect-add').selectOption('says');
  await page.getByTestId('turn-1-expect-row-0-value').fill('Enjoy your bread');
  await page.getByTestId('turn-1-expect-add').selectOption('outcome');
  await page.getByTestId('turn-1-expect-row-1-value').selectOption('resolved_by_bot');
  await page.getByTestId('expect-end-add').selectOption('notVisited');
  await page.getByTestId('expect-end-row-0-value').selectOption('gone');
  await h.screenshot('tests-01-written');

  // Red: the flow says goodbye, not what the test expects; the turn says so, the path is lit.
  await page.getByTestId('run-test').click();
  await page.getByTestId('test-status-test-1').filter({ hasText: 'failed' }).waitFor({ timeout: 90_000 });
  const red = page.getByTestId('turn-1-result');
  await red.getByText('Expected: says “Enjoy your bread” — but said “Thanks, see you soon!”').waitFor();
  await page.getByTestId('test-result').getByText('Failed at customer: “A loaf of bread, please”').waitFor();
  await page.locator('[data-testid="node-bye"].mark-visited').waitFor();
  await page.locator('[data-testid="node-gone"].mark-not-visited').waitFor();
  await h.screenshot('tests-02-red');

  // The test is saved with the flow.
  const saved = await h.call<{ document: { tests: { name: string; turns: { text?: string; expect?: unknown }[] }[] } }>('GET', `/v1/flows/${flowId}`);
  expect(saved.body.document.tests).toMatchObject([{ name: 'Bread order', turns: [{ text: 'A loaf of bread, please', expect: { says: ['Enjoy your bread'], outcome: 'resolved_by_bot' } }] }]);

  // Fix the flow, run the test again: green.
  await setGoodbye(page, 'Enjoy your bread, see you soon!');
  await page.getByTestId('tab-tests').click();
  await page.getByTestId('run-test').click();
  await page.getByTestId('test-status-test-1').filter({ hasText: 'passed' }).waitFor({ timeout: 90_000 });
  await page.getByTestId('turn-1-result').filter({ hasText: 'passed' }).waitFor();
  await page.getByTestId('test-result').getByText('Passed').waitFor();
  await h.screenshot('tests-03-green');

  // Publish: the tests run first and pass.
  await page.getByTestId('tab-versions').click();
  await page.getByTestId('publish-note').fill('Bread orders end with the right goodbye');
  await page.getByTestId('publish').click();
  await page.getByTestId('versions-message').getByText('Published version 1. Its 1 test: 1 passed.').waitFor({ timeout: 90_000 });
  await page.getByTestId('version-1-tests').getByText('tests 1/1').waitFor();
});

it('refuses to publish a flow whose test fails, naming the failing turn; an admin publishes over it with a reason', async () => {
  const { page } = h;
  await setGoodbye(page, 'Bye now.');
  await page.getByTestId('tab-versions').click();
  await page.getByTestId('publish').click();
  const refusal = page.getByTestId('publish-refusal');
  await refusal.waitFor({ timeout: 90_000 });
  await refusal.getByTestId('refusal-test-1').getByText('— at customer: “A loaf of bread, please”: expected: says “Enjoy your bread” — but said “Bye now.”').waitFor();
  await page.getByTestId('versions-message').getByText('Not published: 1 of 1 test(s) failed — “Bread order”, turn 1 (customer: “A loaf of bread, please”)').waitFor();
  expect(await refusal.getByTestId('publish-override').count()).toBe(0);
  expect((await h.call<unknown[]>('GET', `/v1/flows/${flowId}/versions`)).body).toHaveLength(1);
  await h.screenshot('tests-04-refused');

  // An admin, in their own browser session, publishes over it and says why.
  const admin = await (await h.browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await signIn(admin, h.webUrl, h.adminToken);
  await admin.getByTestId(`open-flow-${flowId}`).click();
  await admin.getByTestId('tab-versions').click();
  await admin.getByTestId('publish').click();
  await admin.getByTestId('publish-refusal').waitFor({ timeout: 90_000 });
  await admin.getByTestId('override-reason').fill('The shorter goodbye is approved by marketing; the test is being updated.');
  await admin.getByTestId('publish-override').click();
  await admin.getByTestId('versions-message').getByText('Published version 2. Its 1 test: 0 passed, 1 failing (published over them).').waitFor({ timeout: 90_000 });
  await admin.getByTestId('version-2-tests').getByText('published over 1 failing by admin@e2e.test: “The shorter goodbye is approved by marketing; the test is being updated.”').waitFor();
  await admin.screenshot({ path: path.join(ARTIFACTS, 'tests-05-override.png') });
  await admin.context().close();
});
