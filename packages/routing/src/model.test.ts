import { mergeSkills, queueDefinitionSchema, relaxedRequirement } from './model';

describe('skill rules', () => {
  it('merges requirements at the higher level', () => {
    expect(mergeSkills({ billing: 2, spanish: 1 }, { billing: 1, tech: 3 })).toEqual({ billing: 2, spanish: 1, tech: 3 });
  });

  it('relaxes a requirement step by step; the lowest applicable level wins and 0 drops it', () => {
    const steps = [
      { afterSeconds: 60, skill: 'billing', level: 2 },
      { afterSeconds: 120, skill: 'billing', level: 1 },
      { afterSeconds: 90, skill: 'spanish', level: 0 },
    ];
    expect(relaxedRequirement({ billing: 3, spanish: 2 }, steps, 59)).toEqual({ billing: 3, spanish: 2 });
    expect(relaxedRequirement({ billing: 3, spanish: 2 }, steps, 60)).toEqual({ billing: 2, spanish: 2 });
    expect(relaxedRequirement({ billing: 3, spanish: 2 }, steps, 90)).toEqual({ billing: 2 });
    expect(relaxedRequirement({ billing: 3, spanish: 2 }, steps, 500)).toEqual({ billing: 1 });
    // Relaxation never raises a requirement.
    expect(relaxedRequirement({ billing: 1 }, [{ afterSeconds: 1, skill: 'billing', level: 3 }], 10)).toEqual({ billing: 1 });
  });

  it('explains what is wrong with a queue definition', () => {
    const result = queueDefinitionSchema.safeParse({ name: 'Billing Queue', slaTargetSeconds: 0, overflowQueue: 'spill' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['name', 'slaTargetSeconds']));
    const noWait = queueDefinitionSchema.safeParse({ name: 'billing', slaTargetSeconds: 30, overflowQueue: 'spill' });
    expect(noWait.error!.issues).toEqual([expect.objectContaining({ path: ['maxWaitSeconds'] })]);
  });
});
