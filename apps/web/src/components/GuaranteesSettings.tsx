/**
 * The flow's conversation guarantees, set once per flow (docs/flow-language.md, "Conversation
 * guarantees"): where a request for a person goes from any step that waits for the customer, which
 * sensitive topics go there too, what the customer is told, and how long a silence after an answer
 * counts as the customer being done. The defaults are safe; problems (an unknown target, a template
 * error) show in the flow's "Needs attention" list above.
 */
import type { EscalationTriggerKind } from '@tandem/contracts';
import { DEFAULT_ESCAPE_HATCH_MESSAGE, type FlowGuarantees } from '@tandem/flow';
import { useShallow } from 'zustand/react/shallow';
import { designerStore, useDesigner } from '../store';

/** What the escape hatch can act on at a waiting step: what a customer's message shows, in plain words. */
const HATCH_TRIGGERS: { kind: EscalationTriggerKind; label: string }[] = [
  { kind: 'complaint', label: 'a complaint' },
  { kind: 'legal_threat', label: 'a legal threat' },
  { kind: 'regulatory', label: 'a regulator or ombudsman named' },
  { kind: 'vulnerable_customer', label: 'a vulnerable customer (bereavement, illness, money trouble)' },
  { kind: 'frustration', label: 'frustration' },
  { kind: 'negative_sentiment', label: 'strongly negative sentiment' },
];

export function GuaranteesSettings({ guarantees }: { guarantees: FlowGuarantees }) {
  // Selected as strings: useShallow compares items by identity, so fresh objects would re-render for ever.
  const humanStepKeys = useDesigner(useShallow((s) => s.nodes.filter((n) => n.data.nodeType === 'escalate').map((n) => `${n.id}\u0000${n.data.label ?? n.id}`)));
  const humanSteps = humanStepKeys.map((key) => {
    const [id = '', label = id] = key.split('\u0000');
    return { id, label };
  });
  const update = (patch: { escalation?: Partial<FlowGuarantees['escalation']>; containment?: Partial<FlowGuarantees['containment']> }, key: string) =>
    designerStore.getState().updateFlowMeta(
      {
        guarantees: {
          escalation: { ...guarantees.escalation, ...patch.escalation },
          containment: { ...guarantees.containment, ...patch.containment },
        },
      },
      key,
    );
  const { escalation, containment } = guarantees;
  const setTarget = (target: string) => {
    const { target: _previous, ...rest } = escalation;
    designerStore.getState().updateFlowMeta({ guarantees: { ...guarantees, escalation: target ? { ...rest, target } : rest } }, 'meta:guarantees:target');
  };
  const toggle = (kind: EscalationTriggerKind, on: boolean) => {
    const triggers = on ? [...new Set([...escalation.triggers, kind])] : escalation.triggers.filter((k) => k !== kind);
    // A request for a person is always honoured: the guarantee is not the designer's to remove.
    update({ escalation: { triggers: triggers.includes('human_request') ? triggers : ['human_request', ...triggers] } }, 'meta:guarantees:triggers');
  };
  const automatic = humanSteps.length === 1 ? `automatic: ${humanSteps[0]!.label}` : 'automatic (the flow has no single escalate step)';

  return (
    <fieldset className="field field--group" data-testid="guarantees">
      <legend>Conversation guarantees</legend>
      <p className="field__help">
        Wherever the contact waits for the customer (a bot, a wait for a reply, a survey), a request for a person is honoured in that turn — and so are the topics ticked here.
      </p>
      <div className="field">
        <label className="field__label" htmlFor="guarantees-target">
          Requests for a person go to
        </label>
        <select id="guarantees-target" data-testid="guarantees-target" value={escalation.target ?? ''} onChange={(e) => setTarget(e.target.value)}>
          <option value="">{automatic}</option>
          {humanSteps.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
          {escalation.target && !humanSteps.some((s) => s.id === escalation.target) && <option value={escalation.target}>{escalation.target} (not an escalate step)</option>}
        </select>
      </div>
      <fieldset className="field field--choices">
        <legend>Also go there on</legend>
        <div className="choices">
          <label className="choice">
            <input type="checkbox" checked disabled /> a request for a person (always)
          </label>
          {HATCH_TRIGGERS.map((t) => (
            <label key={t.kind} className="choice">
              <input type="checkbox" data-testid={`guarantees-trigger-${t.kind}`} checked={escalation.triggers.includes(t.kind)} onChange={(e) => toggle(t.kind, e.target.checked)} />
              {t.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label className="field__label" htmlFor="guarantees-message">
          What the customer is told
        </label>
        <textarea
          id="guarantees-message"
          data-testid="guarantees-message"
          rows={3}
          value={escalation.message}
          placeholder={DEFAULT_ESCAPE_HATCH_MESSAGE}
          onChange={(e) => update({ escalation: { message: e.target.value } }, 'meta:guarantees:message')}
        />
        <p className="field__help">A template: {'{{customer.name}}'} and the like are filled in.</p>
      </div>
      <div className="field">
        <label className="field__label" htmlFor="guarantees-quiet">
          After an answer, a silence of this many seconds counts as the customer being done
        </label>
        <input
          id="guarantees-quiet"
          data-testid="guarantees-quiet"
          type="number"
          min={1}
          max={86_400}
          value={containment.quietSeconds}
          onChange={(e) => {
            const seconds = Math.round(Number(e.target.value));
            if (Number.isFinite(seconds) && seconds >= 1 && seconds <= 86_400) update({ containment: { quietSeconds: seconds } }, 'meta:guarantees:quiet');
          }}
        />
        <p className="field__help">Otherwise the bot counts a conversation as resolved only when the customer confirms.</p>
      </div>
    </fieldset>
  );
}
