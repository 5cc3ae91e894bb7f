import {
  contactListSchema,
  customActivityDescriptorSchema,
  errorBodySchema,
  flowDiffSchema,
  listWorkItemsQuerySchema,
  maxCustomerMessageLength,
  queueSchema,
  startContactSchema,
  ttlSchema,
  validationResultSchema,
  type QueueView,
} from './index';

const queue: QueueView = {
  name: 'billing',
  description: '',
  skills: {},
  distribution: 'pull',
  slaTargetSeconds: 60,
  businessHours: null,
  overflowQueue: null,
  maxWaitSeconds: null,
  relaxation: [],
  offerTimeoutSeconds: 30,
  aging: { perMinute: 0, cap: 0 },
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
};

describe('api contract', () => {
  it('takes null where the API sends null, and a value where it sends one', () => {
    expect(queueSchema.parse(queue)).toEqual(queue);
    expect(queueSchema.parse({ ...queue, businessHours: 'support-hours', overflowQueue: 'general' })).toMatchObject({ businessHours: 'support-hours' });
    expect(contactListSchema.parse({ items: [], nextPageToken: null }).nextPageToken).toBeNull();
    expect(validationResultSchema.safeParse({ valid: false, diagnostics: [], planHash: null }).success).toBe(true);
    // null is not "anything": a missing nullable field is still an error.
    const { businessHours: _dropped, ...missing } = queue;
    expect(queueSchema.safeParse(missing).error?.issues[0]?.path).toEqual(['businessHours']);
  });

  it('describes a diff where a value appeared or disappeared (JSON has no undefined)', () => {
    const diff = {
      flowId: 'support',
      from: 1,
      to: 'draft',
      identical: false,
      flow: [{ path: 'description', to: 'new' }],
      nodes: { added: [], removed: [], changed: [{ id: 'bot', type: 'bot', changes: [{ path: 'config.greeting', from: 'hi' }] }], moved: [] },
      edges: { added: [], removed: [], changed: [] },
    };
    expect(flowDiffSchema.parse(diff)).toEqual(diff);
    expect(flowDiffSchema.safeParse({ ...diff, from: 'latest' }).success).toBe(false);
  });

  it('validates what clients send: one of draft or version, messages up to the workflow limit', () => {
    const start = { flowId: 'support', channel: 'chat', customer: { id: 'c-1' } };
    expect(startContactSchema.parse({ ...start, draft: true }).customer).toMatchObject({ id: 'c-1', tier: 'standard' });
    expect(startContactSchema.safeParse({ ...start, draft: true, version: 2 }).error?.issues[0]?.path).toEqual(['version']);
    expect(startContactSchema.safeParse({ ...start, firstMessage: 'x'.repeat(maxCustomerMessageLength) }).success).toBe(true);
    expect(startContactSchema.safeParse({ ...start, firstMessage: 'x'.repeat(maxCustomerMessageLength + 1) }).success).toBe(false);
    expect(startContactSchema.safeParse({ ...start, surprise: 1 }).error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('parses queries the way the API reads them: comma lists, defaults, bounded lifetimes', () => {
    expect(listWorkItemsQuerySchema.parse({ status: 'queued, assigned' })).toEqual({ status: ['queued', 'assigned'], limit: 100 });
    expect(listWorkItemsQuerySchema.safeParse({ status: 'queued,lost' }).success).toBe(false);
    expect(ttlSchema.safeParse('366d').success).toBe(true);
    expect(ttlSchema.safeParse('367d').success).toBe(false);
    const descriptor = {
      name: 'orders.lookup',
      version: 1,
      title: 'Look up an order',
      description: 'Finds an order by number.',
      inputSchema: {},
      outputSchema: {},
      timeoutSeconds: 5,
      retry: { maximumAttempts: 3, initialIntervalSeconds: 1, backoffCoefficient: 2 },
    };
    expect(customActivityDescriptorSchema.parse(descriptor).category).toBe('Custom');
    expect(customActivityDescriptorSchema.safeParse({ ...descriptor, name: 'Orders.Lookup' }).success).toBe(false);
  });

  it('has one error body: field errors say where', () => {
    const body = { statusCode: 400, error: 'Bad Request', code: 'validation_failed', message: 'body.name: required', errors: [{ location: 'body', path: 'name', message: 'required', code: 'invalid_type' }] };
    expect(errorBodySchema.parse(body)).toEqual(body);
    expect(errorBodySchema.safeParse({ ...body, errors: [{ ...body.errors[0], location: 'cookie' }] }).success).toBe(false);
  });
});
