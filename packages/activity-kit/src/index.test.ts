import { z } from 'zod';
import { ActivityContractError, ActivityRegistry, defineActivity, isCustomActivity } from './index';

const context = { attempt: 1, contactId: 'c1', nodeId: 'n1', signal: new AbortController().signal };

const double = defineActivity({
  name: 'math.double',
  title: 'Double a number',
  description: 'Returns twice the input.',
  input: z.object({ n: z.number().describe('the number') }),
  output: z.object({ doubled: z.number() }),
  async execute({ n }) {
    return { doubled: n * 2 };
  },
});

describe('defineActivity', () => {
  it('describes input and output as JSON Schema for the catalog and the compiler', () => {
    expect(double.descriptor).toMatchObject({
      name: 'math.double',
      version: 1,
      category: 'Custom',
      timeoutSeconds: 30,
      retry: { maximumAttempts: 3 },
      inputSchema: { type: 'object', properties: { n: { type: 'number', description: 'the number' } }, required: ['n'] },
      outputSchema: { type: 'object', properties: { doubled: { type: 'number' } } },
    });
    expect(JSON.parse(JSON.stringify(double.descriptor))).toEqual(double.descriptor);
  });

  it('validates input and output on every call', async () => {
    await expect(double.invoke({ n: 4 }, context)).resolves.toEqual({ doubled: 8 });
    await expect(double.invoke({ n: 'four' }, context)).rejects.toThrow(/math\.double: invalid input: n: /);
    const liar = defineActivity({
      name: 'math.liar',
      title: 'Liar',
      description: 'Returns the wrong shape.',
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      execute: async () => ({ ok: 'yes' }) as unknown as { ok: boolean },
    });
    const error = await liar.invoke({}, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActivityContractError);
    expect((error as ActivityContractError).side).toBe('output');
    expect((error as ActivityContractError).issues[0]?.path).toBe('ok');
  });

  it('rejects bad names and missing descriptions at definition time', () => {
    const base = { title: 't', description: 'd', input: z.object({}), output: z.object({}), execute: async () => ({}) };
    expect(() => defineActivity({ ...base, name: 'Orders Lookup' })).toThrow(/dotted lower case/);
    expect(() => defineActivity({ ...base, name: 'a.b', description: ' ' })).toThrow(/title and a description/);
    expect(() => defineActivity({ ...base, name: 'a.b', timeoutSeconds: 0 })).toThrow(/timeoutSeconds/);
  });
});

describe('ActivityRegistry', () => {
  it('refuses duplicate names and lists descriptors by name', () => {
    const other = defineActivity({ ...double.definition, name: 'a.first' });
    const registry = new ActivityRegistry([double, other]);
    expect(registry.descriptors().map((d) => d.name)).toEqual(['a.first', 'math.double']);
    expect(() => registry.register(double)).toThrow(/registered twice/);
    expect(registry.get('math.double')).toBe(double);
    expect(isCustomActivity(double)).toBe(true);
    expect(isCustomActivity({ name: 'x' })).toBe(false);
  });
});
