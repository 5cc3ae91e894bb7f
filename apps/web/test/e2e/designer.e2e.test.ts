/**
 * The designer end to end, in Debian's Chromium, against the real API on a fresh database: draw a
 * flow from the palette, connect it, see a diagnostic pinned on a node, fix it in the inspector,
 * publish, compare two versions on the canvas, survive a reload and an API outage. Screenshots go to
 * test-artifacts/ (and the README screenshot to docs/images/designer.png).
 */
import { waitFor } from '@tandem/testkit';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, type Harness, signIn, startHarness } from './harness';
import { connect, dragFromPalette, typeInExpression } from './support';
import { generateFlow } from '../../bench/generate-flow';

jest.setTimeout(240_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  expect((await h.call('PUT', '/v1/catalog/queues/billing', { description: 'Billing', slaTargetSeconds: 120 })).status).toBeLessThan(300);
});
afterAll(async () => h?.close());

interface Flow {
  revision: number;
  latestVersion: number | null;
  document: { nodes: { id: string; type: string; label?: string; config: Record<string, unknown> }[]; edges: { source: string; sourcePort: string; target: string }[] };
}

const flowOnServer = async (id: string) => (await h.call<Flow>('GET', `/v1/flows/${id}`)).body;

describe('designing a flow', () => {
  const flowId = 'billing-questions';

  it('signs in with a designer token and creates a flow', async () => {
    const { page } = h;
    await signIn(page, h.webUrl, h.designerToken);
    await page.getByTestId('new-flow-name').fill('Billing questions');
    await page.getByTestId('create-flow').click();
    await page.getByTestId('node-start').waitFor();
    expect((await h.call('GET', `/v1/flows/${flowId}`)).status).toBe(200);
  });

  it('drags steps from the palette and connects them', async () => {
    const { page } = h;
    await dragFromPalette(page, 'decision', { x: 420, y: 300 });
    await page.getByTestId('node-decision').waitFor();
    await page.getByTestId('palette-search').fill('end');
    await dragFromPalette(page, 'end', { x: 780, y: 170 });
    await dragFromPalette(page, 'end', { x: 780, y: 480 });
    await page.getByTestId('palette-search').fill('');
    await page.getByTestId('node-end-2').waitFor();

    await connect(page, 'start', 'next', 'decision');
    await connect(page, 'decision', 'rule1', 'end');
    await connect(page, 'decision', 'default', 'end-2');
    // A connection into the start is refused while drawing, with the reason.
    await connect(page, 'decision', 'default', 'start');

    await waitFor(async () => {
      const edges = (await flowOnServer(flowId)).document.edges.map((e) => `${e.source}.${e.sourcePort}->${e.target}`).sort();
      return JSON.stringify(edges) === JSON.stringify(['decision.default->end-2', 'decision.rule1->end', 'start.next->decision']);
    }, { timeoutMs: 20_000, what: 'the three connections saved as the draft' });
    // A new decision's rule starts without a condition (not `true`, which would make Otherwise
    // unreachable): the step asks for one before the flow can be published.
    await page.getByTestId('node-issues-decision').waitFor();
    await page.getByTestId('problem-row').filter({ hasText: 'empty' }).waitFor();
  });

  it('pins a diagnostic on the node, and the fix in the inspector clears it', async () => {
    const { page } = h;
    await page.getByTestId('node-decision').click();
    await page.getByTestId('inspector').waitFor();
    await typeInExpression(page, 'cel-decision-rules.0.condition', 'customer.tierr == "vip"');
    // Pinned on the node, listed in the problems panel, underlined in the field.
    await page.getByTestId('node-issues-decision').waitFor();
    const row = page.getByTestId('problem-row').filter({ hasText: 'tierr' });
    await row.waitFor();
    await page.locator('[data-testid="inspector"] .cm-lintRange-error').waitFor();
    await h.screenshot('01-diagnostic-pinned');

    // The problems panel focuses the node on click.
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
    await page.getByTestId('flow-settings').waitFor();
    await row.click();
    await page.getByTestId('inspector').waitFor();
    expect(await page.locator('.react-flow__node.selected').getAttribute('data-id')).toBe('decision');

    // Completion offers the environment's fields as you type.
    await typeInExpression(page, 'cel-decision-rules.0.condition', 'customer.ti');
    await page.locator('.cm-tooltip-autocomplete').getByText('tier', { exact: true }).click();
    await page.getByTestId('cel-decision-rules.0.condition').pressSequentially(' == "vip"');
    await page.getByTestId('node-issues-decision').waitFor({ state: 'detached' });
    await page.getByText('Ready to publish').waitFor();
    await waitFor(async () => ((await flowOnServer(flowId)).document.nodes.find((n) => n.id === 'decision')?.config as { rules: { condition: string }[] }).rules[0]?.condition === 'customer.tier == "vip"', {
      timeoutMs: 15_000,
      what: 'the fixed condition saved',
    });
  });

  it('sets the conversation guarantees once for the flow: the topics that go to a person, what the customer is told, the quiet period', async () => {
    const { page } = h;
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
    const settings = page.getByTestId('guarantees');
    await settings.waitFor();
    // Safe defaults, shown as such: the sensitive topics ticked, a request for a person always honoured.
    expect(await page.getByTestId('guarantees-trigger-legal_threat').isChecked()).toBe(true);
    expect(await page.getByTestId('guarantees-trigger-frustration').isChecked()).toBe(false);
    expect(await settings.getByRole('checkbox', { name: /a request for a person \(always\)/ }).isDisabled()).toBe(true);

    await page.getByTestId('guarantees-trigger-complaint').uncheck();
    await page.getByTestId('guarantees-trigger-frustration').check();
    await page.getByTestId('guarantees-quiet').fill('45');
    // A template error in the message is a problem of the flow, named where it is.
    await page.getByTestId('guarantees-message').fill('Of course, {{customer.nam}}: a colleague is coming.');
    await page.getByTestId('flow-settings').locator('.inspector__problems').filter({ hasText: "the escape hatch's message" }).waitFor();
    await page.getByTestId('guarantees-message').fill('Of course, {{customer.name}}: a colleague is coming.');
    await page.getByTestId('flow-settings').locator('.inspector__problems').waitFor({ state: 'detached' });
    await page.getByText('Ready to publish').waitFor();
    await waitFor(async () => {
      const { guarantees } = (await h.call<{ document: { guarantees: { escalation: { triggers: string[]; message: string }; containment: { quietSeconds: number } } } }>('GET', `/v1/flows/${flowId}`)).body.document;
      return (
        guarantees.containment.quietSeconds === 45 &&
        guarantees.escalation.message === 'Of course, {{customer.name}}: a colleague is coming.' &&
        JSON.stringify([...guarantees.escalation.triggers].sort()) === JSON.stringify(['frustration', 'human_request', 'legal_threat', 'regulatory', 'vulnerable_customer'])
      );
    }, { timeoutMs: 15_000, what: 'the guarantees saved with the draft' });
  });

  it('publishes with a note, then publishes a change and shows the diff of the two versions on the canvas', async () => {
    const { page } = h;
    await page.getByTestId('tab-versions').click();
    await page.getByTestId('publish-note').fill('First version: VIPs end with a person');
    await page.getByTestId('publish').click();
    await page.getByTestId('versions-message').filter({ hasText: 'Published version 1' }).waitFor();
    expect((await flowOnServer(flowId)).latestVersion).toBe(1);

    // Change the flow: a message before the VIP end, and a new label on the decision.
    await dragFromPalette(page, 'message', { x: 600, y: 60 });
    await page.getByTestId('tab-settings').click();
    await typeInExpression(page, 'cel-message-text', 'Thanks {{customer.name}}, a specialist will join you.');
    await connect(page, 'decision', 'rule1', 'message');
    await connect(page, 'message', 'next', 'end');
    await page.getByTestId('node-decision').click();
    await page.locator('#node-label').fill('VIP or not?');
    await page.getByText('Ready to publish').waitFor();
    await page.getByTestId('tab-versions').click();
    await page.getByTestId('publish-note').fill('Tell VIPs a specialist is coming');
    await page.getByTestId('publish').click();
    await page.getByTestId('versions-message').filter({ hasText: 'Published version 2' }).waitFor();
    expect((await page.getByTestId('versions').locator('li').count())).toBe(2);

    await page.getByTestId('diff-from').selectOption('1');
    await page.getByTestId('diff-to').selectOption('2');
    await page.getByTestId('show-diff').click();
    await page.locator('[data-testid="node-message"].mark-added').waitFor();
    await page.locator('[data-testid="node-decision"].mark-changed').waitFor();
    await page.locator('[data-testid="node-end"].mark-unchanged').waitFor();
    await page.getByTestId('versions-message').filter({ hasText: '1 added' }).waitFor();
    await h.screenshot('02-diff-v1-v2');
    await page.getByTestId('close-diff').click();
    await page.locator('.mark-added').first().waitFor({ state: 'detached' });
  });

  it('rolls back to version 1, exports the draft and imports it as a new flow', async () => {
    const { page } = h;
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('versions').getByRole('button', { name: 'Roll back to this' }).click();
    await page.getByTestId('versions-message').filter({ hasText: 'Version 1 is live again, as version 3' }).waitFor();
    expect((await flowOnServer(flowId)).latestVersion).toBe(3);
    await page.getByTestId('versions').getByText('re-publishes v1').waitFor();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).first().click();
    const file = await (await download).path();
    const exported = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: string; document: { id: string; name: string } };
    expect(exported).toMatchObject({ format: 'tandem.flow', document: { id: flowId } });

    // The same file under another id and name comes in as a new flow, opened in the designer.
    const copy = path.join(ARTIFACTS, 'billing-copy.tandem-flow.json');
    fs.writeFileSync(copy, JSON.stringify({ ...exported, document: { ...exported.document, id: 'billing-copy', name: 'Billing (copy)' } }));
    await page.locator('.topbar input[type="file"]').setInputFiles(copy);
    await page.locator('.topbar__name').filter({ hasText: 'Billing (copy)' }).waitFor();
    expect((await h.call('GET', '/v1/flows/billing-copy')).status).toBe(200);
    await page.getByRole('button', { name: 'Back to all flows' }).click();
    await page.getByTestId(`open-flow-${flowId}`).click();
    await page.getByTestId('node-decision').waitFor();
  });

  it('undo / redo, copy / paste with the keyboard', async () => {
    const { page } = h;
    await page.getByTestId('node-message').click();
    // Copy takes the selection: wait until the click has selected the step (CI once copied too early).
    await page.locator('.react-flow__node.selected[data-id="message"]').waitFor();
    await page.keyboard.press('ControlOrMeta+C');
    await page.keyboard.press('ControlOrMeta+V');
    await page.getByTestId('node-message-2').waitFor();
    await page.keyboard.press('ControlOrMeta+Z');
    await page.getByTestId('node-message-2').waitFor({ state: 'detached' });
    await page.keyboard.press('ControlOrMeta+Shift+Z');
    await page.getByTestId('node-message-2').waitFor();
    await page.keyboard.press('Delete');
    await page.getByTestId('node-message-2').waitFor({ state: 'detached' });
    await page.keyboard.press('?');
    await page.getByRole('dialog').getByText('Keyboard shortcuts').waitFor();
    await page.keyboard.press('Escape');
  });

  it('keeps what was typed across a reload, and says so clearly when the API is unreachable', async () => {
    const { page } = h;
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('node-end-2').click();
    await page.route(`${h.apiUrl}/**`, (route) => route.abort('connectionrefused'));
    await page.locator('#node-label').fill('Bot resolved it');
    await page.getByTestId('api-unreachable').waitFor();
    await waitFor(async () => (await page.getByTestId('save-state').textContent())?.includes('Offline') ?? false, { timeoutMs: 15_000, what: 'the offline save state' });
    await h.screenshot('03-api-unreachable');
    // Reload while the API is still down: the label typed offline is still there.
    await page.reload();
    await page.unroute(`${h.apiUrl}/**`);
    await page.getByTestId('node-end-2').getByText('Bot resolved it').waitFor();
    // …and reaches the server once it answers again.
    await waitFor(async () => (await flowOnServer(flowId)).document.nodes.find((n) => n.id === 'end-2')?.label === 'Bot resolved it', { timeoutMs: 20_000, what: 'the offline edit saved' });
    await page.getByTestId('api-unreachable').waitFor({ state: 'detached' });
  });

  it('tidies the layout into columns, left to right', async () => {
    const { page } = h;
    await page.getByTestId('auto-layout').click();
    await waitFor(async () => {
      const x = async (id: string) => (await page.getByTestId(`node-${id}`).boundingBox())?.x ?? NaN;
      const [start, decision, message, end] = await Promise.all(['start', 'decision', 'message', 'end'].map(x));
      return start! < decision! && decision! < message! && message! < end!;
    }, { what: 'start → decision → message → end laid out left to right' });
    await h.screenshot('04-tidied');
  });
});

describe('typing in a step\'s settings (issue 20, observation 1)', () => {
  it('keeps the focus in an empty field from the first letter on: nothing typed reaches the canvas, and undo of a deleted step brings its connections back', async () => {
    const { page } = h;
    const doc = {
      id: 'typing',
      name: 'Typing',
      channels: ['chat'],
      nodes: [
        { id: 'start', type: 'start', position: { x: 0, y: 0 }, config: {} },
        { id: 'bot', type: 'bot', position: { x: 300, y: 0 }, config: {} },
        { id: 'done', type: 'end', position: { x: 650, y: 0 }, config: { outcome: 'resolved_by_bot' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourcePort: 'next', target: 'bot' },
        ...['resolved', 'escalate', 'no_match'].map((port) => ({ id: `e-${port}`, source: 'bot', sourcePort: port, target: 'done' })),
      ],
    };
    expect((await h.call('POST', '/v1/flows', doc)).status).toBe(201);
    await page.evaluate((id) => localStorage.setItem('tandem.lastFlow', id), 'typing');
    await page.goto(`${h.webUrl}/`);
    await page.getByTestId('node-bot').click();
    await page.getByTestId('inspector').waitFor();
    // The bot's greeting is empty; its editor is the template editor from the start. "Fl" would tidy
    // up and fit, Backspace delete the step, were the keys to reach the canvas.
    const greeting = page.getByTestId('cel-bot-greeting');
    await greeting.click();
    await page.keyboard.type('Hello, how can I help?Fl', { delay: 20 });
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    expect(await greeting.textContent()).toBe('Hello, how can I help?');
    await page.getByTestId('node-bot').waitFor();
    await waitFor(async () => (await flowOnServer('typing')).document.nodes.find((n) => n.id === 'bot')?.config.greeting === 'Hello, how can I help?', {
      timeoutMs: 15_000,
      what: 'the greeting saved',
    });

    // Delete the step from the canvas, then one undo: the step and its four connections are back.
    await page.getByTestId('node-bot').click();
    await page.locator('.react-flow__node.selected[data-id="bot"]').waitFor();
    await page.keyboard.press('Delete');
    await page.getByTestId('node-bot').waitFor({ state: 'detached' });
    await page.keyboard.press('ControlOrMeta+Z');
    await page.getByTestId('node-bot').waitFor();
    await waitFor(async () => (await page.locator('.react-flow__edge').count()) === 4, { what: 'the four connections back with the step' });
  });
});

describe('a large flow seen from afar', () => {
  it('pans a picture of the flow instead of its steps, and brings the steps back when the gesture ends', async () => {
    const { page } = h;
    const doc = generateFlow('large-far', 240);
    expect((await h.call('POST', '/v1/flows', doc)).status).toBe(201);
    await page.evaluate((id) => localStorage.setItem('tandem.lastFlow', id), 'large-far');
    await page.goto(`${h.webUrl}/`);
    await page.getByTestId('node-start').waitFor();
    // Fit the whole flow: far out. A programmatic move keeps the steps' DOM.
    await page.keyboard.press('f');
    await page.locator('.canvas.is-far').waitFor();
    await page.waitForTimeout(400); // the fit animation (300 ms)
    expect(await page.getByTestId('far-snapshot').count()).toBe(0);
    const shown = () => page.evaluate(() => [...document.querySelectorAll('.react-flow__node')].filter((n) => n.getBoundingClientRect().width > 0).length);
    expect(await shown()).toBeGreaterThan(200);

    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    const start = await page.getByTestId('node-start').boundingBox();
    await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
    await page.mouse.down();
    await page.mouse.move(pane.x + pane.width / 2 + 40, pane.y + pane.height / 2 + 20, { steps: 4 });
    // Mid-gesture: the picture is there and drawn (opaque pixels), the steps are out of rendering.
    await page.getByTestId('far-snapshot').waitFor();
    expect(await shown()).toBe(0);
    const painted = await page.getByTestId('far-snapshot').evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let opaque = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) opaque++;
      return opaque;
    });
    expect(painted).toBeGreaterThan(1000);
    await h.screenshot('05-far-pan-picture');
    await page.mouse.up();

    // After it: the steps are back where the pan put them, the picture is gone.
    await page.getByTestId('far-snapshot').waitFor({ state: 'detached' });
    expect(await shown()).toBeGreaterThan(200);
    const moved = await page.getByTestId('node-start').boundingBox();
    expect(moved!.x - start!.x).toBeCloseTo(40, -1);
    expect(moved!.y - start!.y).toBeCloseTo(20, -1);
  });
});
