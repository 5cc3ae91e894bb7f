import { z } from 'zod';
import { VirtualAgentInputError } from '../errors';
import {
  ExtractiveSummarizer,
  LocalReplyDrafter,
  type Draft,
  type DraftRequest,
  type ReplyDrafter,
  type Summarizer,
  type Summary,
  type SummaryRequest,
} from './providers';

/** Settings of an OpenAI-compatible chat-completions endpoint. */
export interface LlmSettings {
  /** e.g. `https://llm.internal.example/v1` (the client appends `/chat/completions`). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Per request; on timeout the local implementation answers instead. */
  timeoutMs: number;
}

type Env = Record<string, string | undefined>;

const envSchema = z.object({
  TANDEM_LLM_PROVIDER: z.enum(['local', 'openai-compatible']).default('local'),
  TANDEM_LLM_BASE_URL: z.url({ message: 'expected an http(s) URL such as http://127.0.0.1:8000/v1' }).optional(),
  TANDEM_LLM_MODEL: z.string().min(1).optional(),
  TANDEM_LLM_API_KEY: z.string().min(1).optional(),
  TANDEM_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(4000),
});

/**
 * Reads the LLM settings from the environment. Off by default: returns `null` unless
 * `TANDEM_LLM_PROVIDER=openai-compatible`, in which case `TANDEM_LLM_BASE_URL` and `TANDEM_LLM_MODEL`
 * are required (`TANDEM_LLM_API_KEY` and `TANDEM_LLM_TIMEOUT_MS`, default 4000, are optional).
 */
export function llmSettingsFromEnv(env: Env = process.env): LlmSettings | null {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('TANDEM_LLM_') && v !== '')));
  if (!parsed.success) throw new VirtualAgentInputError('environment', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const c = parsed.data;
  if (c.TANDEM_LLM_PROVIDER === 'local') return null;
  const missing = [!c.TANDEM_LLM_BASE_URL && 'TANDEM_LLM_BASE_URL: required with TANDEM_LLM_PROVIDER=openai-compatible', !c.TANDEM_LLM_MODEL && 'TANDEM_LLM_MODEL: required with TANDEM_LLM_PROVIDER=openai-compatible'].filter(
    (p): p is string => typeof p === 'string',
  );
  if (missing.length > 0) throw new VirtualAgentInputError('environment', missing);
  return {
    baseUrl: c.TANDEM_LLM_BASE_URL!.replace(/\/+$/, ''),
    model: c.TANDEM_LLM_MODEL!,
    timeoutMs: c.TANDEM_LLM_TIMEOUT_MS,
    ...(c.TANDEM_LLM_API_KEY ? { apiKey: c.TANDEM_LLM_API_KEY } : {}),
  };
}

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().min(1) }) })).min(1),
});

/** Why a remote call failed, short enough for a log line and `fallbackReason`. */
export class LlmCallError extends Error {
  override name = 'LlmCallError';
}

/**
 * A minimal client for an OpenAI-compatible `/chat/completions` endpoint (vLLM, llama.cpp server,
 * Ollama, hosted APIs). Temperature 0; the transcript is sent as data, never as instructions.
 */
export class OpenAiCompatibleClient {
  constructor(private readonly settings: LlmSettings) {}

  async complete(system: string, user: string): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: this.settings.model,
          temperature: 0,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: user },
          ],
        }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new LlmCallError(`no answer within ${this.settings.timeoutMs} ms`);
      throw new LlmCallError(`request failed: ${(error as Error).message}`);
    }
    if (!response.ok) throw new LlmCallError(`HTTP ${response.status} from ${this.settings.baseUrl}`);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new LlmCallError('response is not JSON');
    }
    const parsed = completionSchema.safeParse(body);
    if (!parsed.success) throw new LlmCallError('response has no choices[0].message.content');
    return parsed.data.choices[0]!.message.content.trim();
  }
}

function transcriptText(request: { transcript: DraftRequest['transcript'] }): string {
  return request.transcript.map((e) => `${e.from}: ${e.text}`).join('\n');
}

/** Drafts replies with an LLM; falls back to the local drafter on any error or timeout. */
export class LlmReplyDrafter implements ReplyDrafter {
  private readonly client: OpenAiCompatibleClient;
  constructor(
    settings: LlmSettings,
    private readonly fallback: ReplyDrafter = new LocalReplyDrafter(),
  ) {
    this.client = new OpenAiCompatibleClient(settings);
  }

  async draftReply(request: DraftRequest): Promise<Draft> {
    const articles = request.articles.slice(0, 3);
    const system =
      'You draft short, polite customer-service replies for a human agent to review. Use only the knowledge articles given. Never ask for card numbers or passwords. Reply with the message text only.';
    const user = `Knowledge articles:\n${articles.map((a) => `[${a.id}] ${a.title}: ${a.body}`).join('\n')}\n\nConversation:\n${transcriptText(request)}`;
    try {
      const text = await this.client.complete(system, user);
      return { text, source: 'openai-compatible', articleIds: articles.map((a) => a.id) };
    } catch (error) {
      const draft = await this.fallback.draftReply(request);
      return { ...draft, source: 'local-fallback', fallbackReason: (error as Error).message };
    }
  }
}

/** Summarises with an LLM; falls back to the extractive summary on any error or timeout. */
export class LlmSummarizer implements Summarizer {
  private readonly client: OpenAiCompatibleClient;
  constructor(
    settings: LlmSettings,
    private readonly fallback: Summarizer = new ExtractiveSummarizer(),
  ) {
    this.client = new OpenAiCompatibleClient(settings);
  }

  async summarize(request: SummaryRequest): Promise<Summary> {
    const system = 'Summarise this customer-service conversation for the human agent taking over, in at most three sentences. Facts only.';
    try {
      return { text: await this.client.complete(system, transcriptText(request)), source: 'openai-compatible' };
    } catch (error) {
      const summary = await this.fallback.summarize(request);
      return { ...summary, source: 'local-fallback', fallbackReason: (error as Error).message };
    }
  }
}

/** The providers to use given the environment: local unless an OpenAI-compatible endpoint is configured. */
export function providersFromEnv(env: Env = process.env): { drafter: ReplyDrafter; summarizer: Summarizer } {
  const settings = llmSettingsFromEnv(env);
  if (!settings) return { drafter: new LocalReplyDrafter(), summarizer: new ExtractiveSummarizer() };
  return { drafter: new LlmReplyDrafter(settings), summarizer: new LlmSummarizer(settings) };
}
