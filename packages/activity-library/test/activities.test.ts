/** The custom activities Tandem ships, against real PostgreSQL and a real loopback HTTP server. */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ActivityRegistry } from '@tandem/activity-kit';
import { compileFlow, createStaticResolver, exampleResolverData, type FlowDocument } from '@tandem/flow';
import { createTestDatabase, type TestDatabase } from '@tandem/testkit';
import { Pool } from 'pg';
import { createDraftEmailReplyActivity, createHttpRequestActivity, createOrderLookupActivity } from '../src';

const loadExample = (name: string) => JSON.parse(fs.readFileSync(require.resolve(`@tandem/flow/examples/${name}.json`), 'utf8')) as FlowDocument;

const context = () => ({ attempt: 1, contactId: 'c1', nodeId: 'n1', signal: new AbortController().signal });

describe('orders.lookup', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase('orders');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await pool.query(fs.readFileSync(path.join(__dirname, '..', 'examples', 'orders.sql'), 'utf8'));
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('finds an order whatever the case of its number, and says when there is none', async () => {
    const lookup = createOrderLookupActivity({ pool });
    await expect(lookup.invoke({ orderNumber: 'a-10042' }, context())).resolves.toMatchObject({ found: true, status: 'shipped', carrier: 'DHL', total: 59.9, currency: 'GBP' });
    await expect(lookup.invoke({ orderNumber: 'Z-1' }, context())).resolves.toEqual({ found: false, orderNumber: 'Z-1' });
    await expect(lookup.invoke({ orderNumber: '' }, context())).rejects.toThrow(/orders\.lookup: invalid input: orderNumber/);
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => createOrderLookupActivity({ pool, table: 'orders; drop table x' })).toThrow(/not a plain table name/);
  });
});

describe('http.request', () => {
  let server: http.Server;
  let host: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/json') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ tier: 'gold', method: req.method }));
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 2000);
      } else if (req.url === '/big') {
        res.end('x'.repeat(10_000));
      } else if (req.url === '/boom') {
        res.statusCode = 503;
        res.end('down');
      } else {
        res.statusCode = 404;
        res.end('nope');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('returns status and parsed JSON from an allowed host', async () => {
    const call = createHttpRequestActivity({ allowedHosts: [host] });
    await expect(call.invoke({ url: `http://${host}/json`, method: 'POST', body: { a: 1 } }, context())).resolves.toEqual({ status: 200, ok: true, body: { tier: 'gold', method: 'POST' } });
    await expect(call.invoke({ url: `http://${host}/missing` }, context())).resolves.toEqual({ status: 404, ok: false, body: 'nope' });
  });

  it('refuses other hosts, times out, caps the body and fails on server errors so Temporal retries', async () => {
    const call = createHttpRequestActivity({ allowedHosts: [host], timeoutMs: 300, maxBytes: 1000 });
    await expect(call.invoke({ url: 'http://169.254.169.254/latest/meta-data' }, context())).rejects.toThrow(/not in the allowed hosts/);
    await expect(call.invoke({ url: `http://${host}/slow` }, context())).rejects.toThrow(/no answer within 300 ms/);
    await expect(call.invoke({ url: `http://${host}/big` }, context())).rejects.toThrow(/larger than 1000 bytes/);
    await expect(call.invoke({ url: `http://${host}/boom` }, context())).rejects.toThrow(/answered 503/);
  });
});

describe('draft_email_reply and the catalog', () => {
  it('drafts a reply from the knowledge base', async () => {
    const draft = createDraftEmailReplyActivity();
    const out = await draft.invoke({ contactId: 'c1', intent: 'refund', customerEmail: 'a@b.c', tone: 'warm' }, context());
    expect(out.subject).toBe('We are on it: refund');
    expect(out.body.length).toBeGreaterThan(20);
  });

  it('the descriptors the worker registers (and the seed lists) satisfy the example flows the compiler checks against them', () => {
    const registry = new ActivityRegistry([createDraftEmailReplyActivity(), createHttpRequestActivity({ allowedHosts: [] })]);
    const resolver = createStaticResolver({
      ...exampleResolverData,
      activities: registry.descriptors().map((d) => ({ name: d.name, description: d.description, inputSchema: d.inputSchema, outputSchema: d.outputSchema })),
    });
    const result = compileFlow(loadExample('parallel-ai-and-human'), resolver);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
