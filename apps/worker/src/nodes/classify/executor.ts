import { log } from '@temporalio/workflow';
import type { ClassifyConfig } from '@tandem/flow';
import { workflowNowIso } from '../../workflows/clock';
import { builtinActivities } from '../../workflows/runtime/proxies';
import { defineExecutor } from '../../workflows/runtime/step';
import type { ClassifyActivities } from './activities';

const classifier = builtinActivities<ClassifyActivities>();

export const classifyExecutor = defineExecutor<ClassifyConfig>({
  type: 'classify',
  version: 1,
  doc: 'the virtual agent\'s classifiers on the latest customer message → `nlu` (a detected trigger is kept for a later escalation\'s handoff)',
  run({ node, visit }, rt) {
    const { transcript } = rt.state;
    let index = transcript.length - 1;
    while (index >= 0 && transcript[index]?.from !== 'customer') index--;
    if (index < 0) {
      log.info('classify: no customer message yet; nlu left as it is', { nodeId: node.id });
      return 'next';
    }
    return classifier
      .classify({ ...rt.site(node, visit), config: node.config, text: transcript[index]!.text, index, customer: rt.state.contact.customer, now: workflowNowIso() })
      .then((result) => {
        rt.state.nlu = result.nlu;
        if (result.trigger) rt.lastTrigger = result.trigger;
        return 'next';
      });
  },
});
