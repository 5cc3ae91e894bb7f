import { unstorableText } from './storable-text';

describe('text PostgreSQL cannot store', () => {
  it('finds NUL characters and unpaired surrogates in values and keys, with their paths', () => {
    const issues = unstorableText({ name: 'a\u0000b', tags: ['ok', 'half \ud83d'], schema: { 'key\u0000': 1, fine: 'é 😀' } });
    expect(issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['name', 'contains a NUL character (U+0000), which cannot be stored'],
      ['tags.1', 'contains an unpaired surrogate (not valid Unicode), which cannot be stored'],
      ['schema.key\u0000', 'its name contains a NUL character (U+0000), which cannot be stored'],
    ]);
  });

  it('lets any well-formed text through, surrogate pairs included', () => {
    expect(unstorableText({ emoji: '😀👍🏽', lone: '\udc00x'.slice(1), n: 3, nothing: null })).toEqual([]);
    expect(unstorableText('\udc00')).toHaveLength(1);
  });
});
