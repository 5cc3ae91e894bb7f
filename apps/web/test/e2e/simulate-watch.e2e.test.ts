/**
 * Test chat and performance, end to end on the real runtime: the API with its phase-2 contacts, the
 * real contact worker (interpreter, virtual agent, routing) on this suite's task queue, and the event
 * projections. In Chromium, a designer chats with the draft of the "AI first, human backup" example
 * until the bot escalates: the path lights up on the canvas live and the handoff the agent would
 * receive is shown. Then, with the flow published and contacts run through it, the performance panel
 * paints per-node metrics on the canvas.
 */
import { waitFor } from '@tandem/testkit';
import { type Harness, signIn, startHarness } from './harness';
import { exampleDocument, seedExampleCatalog } from './support';

jest.setTimeout(300_000);

const flowId = 'ai-first-human-backup';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ worker: true, background: ['projections'] });
  await seedExampleCatalog(h.call);
  expect((await h.call('POST', '/v1/flows/import', { format: 'tandem.flow', formatVersion: 1, document: exampleDocument(flowId) })).status).toBe(201);
});
afterAll(async () => h?.close());

it('runs a test chat against the draft that escalates: the path lights up live and the handoff is shown', async () => {
  const { page } = h;
  await signIn(page, h.webUrl, h.designerToken);
  await page.getByTestId(`open-flow-${flowId}`).click();
  await page.getByText('Ready to publish').waitFor();
  await page.getByTestId('tab-test').click();

  await page.getByTestId('chat-input').fill('Hi, I need help with my account');
  await page.getByTestId('chat-send').click();
  // The bot answers, and the canvas shows where the contact is: the support bot.
  await page.locator('.bubble--bot').first().waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="node-support-bot"].is-current').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="node-understand"].mark-visited').waitFor();
  await page.locator('[data-testid="node-support-agents"].mark-not-visited').waitFor();
  await h.screenshot('sim-01-bot-answering');

  await page.getByTestId('chat-input').fill('I want to speak to a real person please');
  await page.getByTestId('chat-send').click();
  // Escalated: the contact waits in the support queue, with the handoff the agent receives.
  await page.locator('[data-testid="node-support-agents"].is-current').waitFor({ timeout: 60_000 });
  await page.getByTestId('handoff').filter({ hasText: 'support' }).waitFor();
  const handoff = page.getByTestId('handoff-package');
  await handoff.waitFor();
  await handoff.getByText('human request').waitFor();
  await page.getByTestId('handled-by').filter({ hasText: 'Waiting for an agent' }).waitFor();
  expect(await page.locator('.react-flow__edge.edge-taken').count()).toBeGreaterThanOrEqual(3);
  await h.screenshot('sim-02-escalated');
  // Another tab and back: the conversation is where it was (issue 20, observation 9: it reset).
  await page.getByTestId('tab-settings').click();
  await page.getByTestId('tab-test').click();
  await page.getByTestId('handled-by').filter({ hasText: 'Waiting for an agent' }).waitFor();
  expect(await page.locator('.bubble--customer').count()).toBe(2);
});

it('shows per-node metrics of a published version as badges and a heat map', async () => {
  const { page } = h;
  expect((await h.call('POST', `/v1/flows/${flowId}/publish`, { note: 'live' })).status).toBe(201);
  // Two contacts on version 1: one escalates, one stays with the bot.
  for (const [i, text] of ['I want to speak to a real person please', 'What are your opening hours?'].entries()) {
    const started = await h.call<{ contactId: string }>('POST', '/v1/contacts', { flowId, channel: 'chat', customer: { id: `cust-${i}`, name: 'Sam' }, firstMessage: 'Hi, I need help with my account' }, 'service');
    expect(started.status).toBe(201);
    await waitFor(async () => ((await h.call<{ steps: string[] }>('GET', `/v1/contacts/${started.body.contactId}`, undefined, 'service')).body.steps ?? []).includes('support-bot'), {
      what: 'the contact at the support bot',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect((await h.call('POST', `/v1/contacts/${started.body.contactId}/messages`, { text }, 'service')).status).toBe(200);
  }
  await waitFor(async () => {
    const m = await h.call<{ nodes: { nodeId: string; entered: number }[] }>('GET', `/v1/flows/${flowId}/versions/1/metrics`);
    return m.status === 200 && (m.body.nodes.find((n) => n.nodeId === 'support-bot')?.entered ?? 0) >= 2;
  }, { what: 'the projections to count both contacts at the support bot', timeoutMs: 60_000, intervalMs: 500 });

  await page.getByTestId('tab-test').click();
  await page.getByText('Start over').click();
  await page.getByTestId('tab-watch').click();
  await page.getByTestId('watch-panel').getByRole('button', { name: 'Refresh' }).click();
  await page.getByTestId('node-support-bot').locator('.tnode__metrics').filter({ hasText: '2 in' }).waitFor();
  await page.getByTestId('node-support-bot').click();
  await page.getByTestId('watch-panel').getByText('contacts entered').waitFor();
  await h.screenshot('watch-01-metrics');
});
