import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LlmReplyDrafter, LlmSummarizer, llmSettingsFromEnv, providersFromEnv, LocalReplyDrafter, KnowledgeBase } from '../src';

/** A loopback stand-in for an external OpenAI-compatible vendor; each test sets how it answers. */
let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let baseUrl: string;
const requests: { url?: string; auth?: string; body: { model?: string; temperature?: number; messages: { content: string }[] } }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(body || '{"messages":[]}') as (typeof requests)[number]['body'] });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const transcript = [{ at: '2026-03-04T10:00:00Z', from: 'customer' as const, text: 'How long does a refund take?' }];
const articles = [KnowledgeBase.default().get('kb-refund-policy')!];
// Generous unless the test is about the timeout: a loaded CI machine must not turn a success into a fallback.
const settings = (timeoutMs = 10_000) => ({ baseUrl, model: 'tiny-model', apiKey: 'sk-test', timeoutMs });

describe('OpenAI-compatible provider', () => {
  it('drafts with the endpoint: chat/completions, model, bearer key, temperature 0, articles in the prompt', async () => {
    handler = (_req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { content: ' Refunds take 5 to 10 days. ' } }] }));
    const draft = await new LlmReplyDrafter(settings()).draftReply({ transcript, articles });
    expect(draft).toEqual({ text: 'Refunds take 5 to 10 days.', source: 'openai-compatible', articleIds: ['kb-refund-policy'] });
    const last = requests.at(-1)!;
    expect(last).toMatchObject({ url: '/v1/chat/completions', auth: 'Bearer sk-test', body: { model: 'tiny-model', temperature: 0 } });
    expect(last.body.messages[1]!.content).toMatch(/kb-refund-policy/);
  });

  it('falls back to the local drafter on timeout', async () => {
    handler = () => undefined; // never answers
    const draft = await new LlmReplyDrafter(settings(300)).draftReply({ transcript, articles });
    const local = await new LocalReplyDrafter().draftReply({ transcript, articles });
    expect(draft).toEqual({ ...local, source: 'local-fallback', fallbackReason: 'no answer within 300 ms' });
  });

  it('falls back on a malformed response, a non-JSON body and an HTTP error', async () => {
    handler = (_req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [] }));
    expect((await new LlmSummarizer(settings()).summarize({ transcript })).fallbackReason).toMatch(/no choices\[0\]\.message\.content/);
    handler = (_req, _body, res) => res.writeHead(200).end('<html>oops</html>');
    expect((await new LlmSummarizer(settings()).summarize({ transcript })).fallbackReason).toBe('response is not JSON');
    handler = (_req, _body, res) => res.writeHead(503).end();
    const summary = await new LlmSummarizer(settings()).summarize({ transcript });
    expect(summary).toMatchObject({ source: 'local-fallback', fallbackReason: expect.stringMatching(/HTTP 503/), text: expect.stringMatching(/refund/) });
  });

  it('is off by default and configured by TANDEM_LLM_* variables', () => {
    expect(llmSettingsFromEnv({})).toBeNull();
    expect(providersFromEnv({}).drafter).toBeInstanceOf(LocalReplyDrafter);
    expect(llmSettingsFromEnv({ TANDEM_LLM_PROVIDER: 'openai-compatible', TANDEM_LLM_BASE_URL: 'http://127.0.0.1:9/v1/', TANDEM_LLM_MODEL: 'm' })).toEqual({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      timeoutMs: 4000,
    });
    expect(providersFromEnv({ TANDEM_LLM_PROVIDER: 'openai-compatible', TANDEM_LLM_BASE_URL: 'http://127.0.0.1:9/v1', TANDEM_LLM_MODEL: 'm' }).drafter).toBeInstanceOf(LlmReplyDrafter);
    expect(() => llmSettingsFromEnv({ TANDEM_LLM_PROVIDER: 'openai-compatible' })).toThrow(/TANDEM_LLM_BASE_URL: required[\s\S]*TANDEM_LLM_MODEL: required/);
    expect(() => llmSettingsFromEnv({ TANDEM_LLM_PROVIDER: 'gpt' })).toThrow(/TANDEM_LLM_PROVIDER/);
    expect(() => llmSettingsFromEnv({ TANDEM_LLM_PROVIDER: 'openai-compatible', TANDEM_LLM_BASE_URL: 'not a url', TANDEM_LLM_MODEL: 'm' })).toThrow(/TANDEM_LLM_BASE_URL/);
  });
});
