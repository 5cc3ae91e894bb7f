/** The app shell: sign-in, the list of flows, or the designer. */
import { useEffect } from 'react';
import { Designer } from './components/Designer';
import { FlowPicker } from './components/FlowPicker';
import { SignIn } from './components/SignIn';
import { lastFlow } from './services/local-drafts';
import { sessionStore, useSession } from './store';

export function App() {
  const token = useSession((s) => s.token);
  const screen = useSession((s) => s.screen);

  // Reopen the flow that was open before a reload.
  useEffect(() => {
    const last = lastFlow.get();
    if (token && last && sessionStore.getState().screen.kind === 'flows') sessionStore.getState().openFlow(last);
  }, [token]);

  if (!token) return <SignIn />;
  if (screen.kind === 'designer') return <Designer key={screen.flowId} flowId={screen.flowId} />;
  return <FlowPicker />;
}
