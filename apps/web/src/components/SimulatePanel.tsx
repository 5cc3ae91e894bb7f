/**
 * Test chat: a conversation against the draft on the real runtime. The canvas highlights the path
 * taken as it happens; when the flow hands the customer to a person, the handoff the agent would
 * receive is shown.
 */
import type { HandledBy } from '@tandem/api-contract';
import type { Channel, HandoffPackage } from '@tandem/contracts';
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { createSimulation } from '../services/simulation';
import { moodInWords } from '../graph/words';
import { useDesigner } from '../store';

/**
 * The chat of a simulation the designer keeps (created with the flow, not with the tab): switching to
 * another tab and back finds the conversation where it was.
 */
export function SimulatePanel({ simulation }: { simulation: Simulation }) {
  const flowId = useDesigner((s) => s.meta?.id);
  const channels = useDesigner((s) => s.meta?.channels ?? []);
  const errors = useDesigner((s) => s.diagnosticIndex.errors);
  if (!flowId) return null;
  return <Chat simulation={simulation} flowId={flowId} channels={channels} errors={errors} />;
}

export type Simulation = ReturnType<typeof createSimulation>;

function Chat({ simulation, flowId, channels, errors }: { simulation: Simulation; flowId: string; channels: Channel[]; errors: number }) {
  const state = useStore(simulation.store);
  const [text, setText] = useState('');
  const [channel, setChannel] = useState<Channel>(channels[0] ?? 'chat');
  const [tier, setTier] = useState('standard');
  const [name, setName] = useState('Test Customer');
  const bottom = useRef<HTMLDivElement>(null);
  // Braces: newer browsers' scrollIntoView returns a promise, which an effect must not return.
  useEffect(() => {
    void bottom.current?.scrollIntoView({ block: 'end' });
  }, [state.transcript.length]);

  const started = state.status !== 'idle' && state.status !== 'error';
  const submit = () => {
    const message = text.trim();
    if (!message) return;
    setText('');
    if (!started) void simulation.start(flowId, { channel, customer: { id: `test-${Date.now()}`, name, tier }, firstMessage: message });
    else void simulation.send(message);
  };

  return (
    <div className="panel chat" data-testid="simulate-panel">
      <h2>Test chat</h2>
      {!started && (
        <>
          <p className="muted">Chat with your draft as a customer would. The steps it goes through light up on the canvas.</p>
          {errors > 0 && <p className="banner banner--warning">The draft has {errors} problem{errors > 1 ? 's' : ''}; fix them first, or the test cannot start.</p>}
          <div className="row">
            <label>
              Channel{' '}
              <select value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
                {channels.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label>
              Customer tier{' '}
              <select value={tier} onChange={(e) => setTier(e.target.value)}>
                {['standard', 'gold', 'vip'].map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </label>
          </div>
          <label className="field__label" htmlFor="sim-name">
            Customer name
          </label>
          <input id="sim-name" value={name} onChange={(e) => setName(e.target.value)} />
        </>
      )}
      <div className="chat__log" aria-live="polite" data-testid="chat-log">
        {state.transcript.map((m, i) => (
          <div key={i} className={`bubble bubble--${m.from}`}>
            <span className="bubble__who">{m.from === 'customer' ? 'Customer' : m.from === 'bot' ? 'Bot' : m.from === 'agent' ? 'Agent' : 'System'}</span>
            {m.text}
          </div>
        ))}
        {(state.status === 'starting' || state.sending) && <div className="bubble bubble--system">…</div>}
        <div ref={bottom} />
      </div>
      {state.handledBy && state.status === 'running' && (
        <p className="muted" data-testid="handled-by">
          {HANDLED_BY[state.handledBy]}
        </p>
      )}
      {state.error && (
        <p className="banner banner--error" role="alert">
          {state.error}
        </p>
      )}
      {state.workItem && (
        <section className="handoff" data-testid="handoff">
          <h3>Handed to a person</h3>
          <p>
            Queue <strong>{state.workItem.queue}</strong>
            {state.workItem.agentId ? `, with ${state.workItem.agentId}` : ''}
          </p>
        </section>
      )}
      {state.handoff && <HandoffView handoff={state.handoff} />}
      {state.outcome && (
        <p className="banner banner--ok" data-testid="sim-outcome">
          Conversation ended: {state.outcome.replace(/_/g, ' ')}
        </p>
      )}
      <form
        className="chat__input"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder={started ? 'Reply as the customer…' : 'Type the customer’s first message…'} aria-label="Customer message" data-testid="chat-input" disabled={state.sending || state.status === 'ended'} />
        <button type="submit" className="button button--primary" disabled={!text.trim() || state.sending} data-testid="chat-send">
          {started ? 'Send' : 'Start'}
        </button>
      </form>
      {state.status !== 'idle' && (
        <button type="button" className="link-button" onClick={() => simulation.reset()}>
          Start over
        </button>
      )}
    </div>
  );
}

const HANDLED_BY: Record<HandledBy, string> = {
  bot: 'The bot is answering.',
  queue: 'Waiting for an agent (the work item is in the queue).',
  human: 'An agent has the conversation: they answer from the agents’ desk.',
  flow: 'The flow is working (a timer, a ticket, an activity…).',
  ended: 'The conversation has ended.',
};

function HandoffView({ handoff: h }: { handoff: HandoffPackage }) {
  return (
    <section className="handoff" data-testid="handoff-package">
      <h3>What the agent receives</h3>
      <dl>
        {h.trigger && (
          <>
            <dt>Why</dt>
            <dd>
              {h.trigger.reason} <span className="pill">{h.trigger.kind.replace(/_/g, ' ')}</span>
            </dd>
          </>
        )}
        {h.intent && (
          <>
            <dt>Intent</dt>
            <dd>
              {h.intent.name} ({Math.round(h.intent.confidence * 100)}%)
            </dd>
          </>
        )}
        <dt>Mood</dt>
        <dd>
          <span title={`sentiment ${h.sentiment.current.toFixed(2)} on a scale from -1 to 1`}>{moodInWords(h.sentiment)}</span>
        </dd>
        {h.stuckAt && (
          <>
            <dt>Bot stopped at</dt>
            <dd>
              {h.stuckAt.label ?? h.stuckAt.nodeId}: {h.stuckAt.reason}
            </dd>
          </>
        )}
        {h.entities.length > 0 && (
          <>
            <dt>Details</dt>
            <dd>{h.entities.map((e) => `${e.type}: ${e.value}`).join(', ')}</dd>
          </>
        )}
        {h.tried.length > 0 && (
          <>
            <dt>Already tried</dt>
            <dd>{h.tried.map((t) => t.detail).join('; ')}</dd>
          </>
        )}
        {h.summary && (
          <>
            <dt>Summary</dt>
            <dd>{h.summary}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
