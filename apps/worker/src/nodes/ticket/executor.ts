import type { TicketConfig } from '@tandem/flow';
import { workflowNow } from '../../workflows/clock';
import { builtinActivities } from '../../workflows/runtime/proxies';
import type { PreparedActivation } from '@tandem/flow/runtime';
import { defineExecutor, type StepExit } from '../../workflows/runtime/step';
import type { TicketActivities } from './activities';

const tickets = builtinActivities<TicketActivities>();

export const ticketExecutor = defineExecutor<TicketConfig>({
  type: 'ticket',
  version: 1,
  doc: 'creates a callback or follow-up ticket in routing, once per step, with the handoff package; the first ticket\'s id is `ctx.ticketId`',
  run({ node, visit }, rt) {
    const { config } = node;
    const { expressions: x, state } = rt;
    const created = (ticketId: string, activation?: PreparedActivation): StepExit => {
      state.ctx.ticketId ??= ticketId;
      const delivery = config.confirmation === undefined ? undefined : rt.say('bot', x.render(node, 'confirmation', activation), node.id);
      return delivery ? { port: 'next', after: delivery } : 'next';
    };
    // A sandbox run (a flow test) creates no ticket: nobody would work it.
    if (rt.input.options?.sandbox) return created(`sandbox-${node.id}-${visit}`);
    return x.withActivation(node, (activation) => {
      // A priority that fails at run time is 0: the ticket is still created.
      const priority = x.attempt(() => Number(x.evaluate(config.priority, activation)));
      return tickets
        .createTicket({
          ...rt.site(node, visit),
          kind: config.kind,
          queue: config.queue ?? null,
          subject: x.render(node, 'subject', activation),
          body: config.body !== undefined ? x.render(node, 'body', activation) : null,
          priority: priority.ok && Number.isFinite(priority.value) ? priority.value : 0,
          dueAt: config.dueInSeconds !== undefined ? new Date(workflowNow().getTime() + config.dueInSeconds * 1000).toISOString() : null,
          customer: state.contact.customer,
          channel: state.contact.channel,
          handoff: config.includeHandoff ? state.handoff : null,
        })
        .then(({ ticketId }) => created(ticketId, activation));
    });
  },
});
