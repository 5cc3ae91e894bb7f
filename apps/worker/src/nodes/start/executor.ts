import type { StartConfig } from '@tandem/flow';
import { defineExecutor } from '../../workflows/runtime/step';

export const startExecutor = defineExecutor<StartConfig>({
  type: 'start',
  version: 1,
  doc: 'passes through',
  run: () => 'next',
});
