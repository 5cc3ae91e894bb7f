import { nodeCatalog } from '@tandem/flow';
import { expressionSites, getAt, humanize, initialConfig, type JsonSchema, newItem, newListItem, setAt, textKindOf, variantOf, widgetFor } from '../../src/forms/schema';

const schemaOf = (type: string) => nodeCatalog().find((n) => n.type === type)!.configSchema as JsonSchema;

describe('schema-driven form helpers', () => {
  it('picks a widget per schema', () => {
    const escalate = schemaOf('escalate');
    expect(widgetFor(escalate.properties!.queue!)).toEqual({ kind: 'text', text: 'text' });
    expect(widgetFor(escalate.properties!.requiredSkills!).kind).toBe('list');
    expect(widgetFor(escalate.properties!.sla!).kind).toBe('group');
    expect(widgetFor(escalate.properties!.maxWaitSeconds!)).toEqual({ kind: 'number', integer: true });
    expect(widgetFor(schemaOf('classify').properties!.detect!)).toEqual({ kind: 'multi-choice', options: ['intent', 'sentiment', 'topics', 'triggers'] });
    expect(widgetFor(schemaOf('end').properties!.outcome!)).toMatchObject({ kind: 'choice' });
    expect(widgetFor(schemaOf('activity').properties!.input!).kind).toBe('map');
    const wait = widgetFor(schemaOf('wait'));
    expect(wait).toMatchObject({ kind: 'variant', discriminator: 'mode' });
    expect(variantOf(wait as never, { mode: 'timer' })?.value).toBe('timer');
  });

  it('knows CEL expressions and templates, exactly from the definition or from the description', () => {
    const sites = expressionSites('decision', 1, { rules: [{ id: 'vip', condition: 'true' }] });
    expect(sites.get('rules.0.condition')).toBe('expression');
    expect(expressionSites('decision', 1, { rules: [] }).size).toBe(0); // does not parse
    const escalate = schemaOf('escalate');
    expect(textKindOf(escalate.properties!.priority!, ['priority'], new Map())).toBe('expression');
    expect(textKindOf(schemaOf('message').properties!.text!, ['text'], new Map())).toBe('template');
    expect(textKindOf(escalate.properties!.queue!, ['queue'], new Map())).toBe('text');
  });

  it('gets and sets values by path immutably, removing emptied optional fields', () => {
    const config = { rules: [{ id: 'a', condition: 'true' }], label: 'x' };
    const next = setAt(config, ['rules', 0, 'condition'], 'false');
    expect(getAt(next, ['rules', 0, 'condition'])).toBe('false');
    expect(config.rules[0]!.condition).toBe('true');
    expect(setAt(config, ['label'], undefined)).toEqual({ rules: config.rules });
    expect(setAt({}, ['sla', 'targetSeconds'], 60)).toEqual({ sla: { targetSeconds: 60 } });
  });

  it('makes new list items and starting configs', () => {
    expect(newItem(schemaOf('escalate').properties!.requiredSkills!.items)).toEqual({ skill: '' });
    // A new rule is incomplete (the step asks for its condition), never `true`, which would make Otherwise unreachable.
    expect(initialConfig('decision', schemaOf('decision'))).toEqual({ rules: [{ id: 'rule1', label: 'Rule 1', condition: '' }] });
    const rules = schemaOf('decision').properties!.rules!.items;
    expect(newListItem('rules', rules, [{ id: 'rule1' }, { id: 'rule3' }])).toEqual({ id: 'rule4', label: 'Rule 4', condition: '' });
    expect(newListItem('rules', rules, [{ id: 'vip' }])).toMatchObject({ id: 'rule2', label: 'Rule 2' });
    expect(newListItem('branches', schemaOf('parallel').properties!.branches!.items, [{ id: 'branch1' }, { id: 'branch2' }])).toMatchObject({ id: 'branch3', label: 'Branch 3' });
    expect(initialConfig('escalate', schemaOf('escalate'))).toEqual({ queue: '' });
    expect(humanize('targetSeconds')).toBe('Target seconds');
    expect(humanize('save_reply_as')).toBe('Save reply as');
  });
});
