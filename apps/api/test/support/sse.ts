/** One Server-Sent Event as received. */
export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/**
 * A minimal SSE client over fetch (as a browser desk would use it: EventSource cannot send an
 * Authorization header). Collects events and comments; `next` waits for a matching event.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  contentType: string | undefined;
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];
  private done: Promise<void> = Promise.resolve();

  static async connect(url: string, token: string): Promise<SseClient> {
    const client = new SseClient();
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, signal: client.controller.signal });
    client.status = res.status;
    client.contentType = res.headers.get('content-type') ?? undefined;
    if (res.ok && res.body) client.done = client.read(res.body).catch(() => undefined);
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { event: 'message', data: '' };
        let isEvent = false;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
          else if (line.startsWith('event: ')) {
            event.event = line.slice(7);
            isEvent = true;
          } else if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('data: ')) {
            event.data += line.slice(6);
            isEvent = true;
          }
        }
        if (isEvent) this.events.push(event);
        for (const w of this.waiters.splice(0)) w();
      }
    }
  }

  /** The first event (from `from` on) that matches, waiting up to `timeoutMs`. */
  async next(match: (e: SseEvent) => boolean, timeoutMs = 15_000, from = 0): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching SSE event within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}
