import type { JoinConfig } from '@tandem/flow';
import { defineExecutor } from '../../workflows/runtime/step';

/** The branches of a parallel stop before the join; the forking path runs it once the join's mode lets the flow go on. */
export const joinExecutor = defineExecutor<JoinConfig>({
  type: 'join',
  version: 1,
  doc: 'passes through once its parallel lets the flow go on (see parallel)',
  run: () => 'next',
});
