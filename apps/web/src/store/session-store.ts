/**
 * The app shell's state beside the designer store: who is signed in, whether the API answers, and
 * which screen is open. The token is kept in localStorage so a reload keeps the session.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type ApiClient, type ApiError, createApiClient } from '../api/client';

export type ApiStatus = 'unknown' | 'ok' | 'unreachable';

export type Screen = { kind: 'flows' } | { kind: 'designer'; flowId: string };

export interface SessionState {
  apiUrl: string;
  token: string | null;
  api: ApiClient | null;
  apiStatus: ApiStatus;
  apiMessage: string | null;
  /** Why the user was sent back to sign-in (an expired token), shown there. */
  signInMessage: string | null;
  screen: Screen;

  configure(apiUrl: string): void;
  signIn(token: string): void;
  signOut(message?: string): void;
  setApiStatus(status: ApiStatus, message?: string | null): void;
  openFlow(flowId: string): void;
  closeFlow(): void;
}

const TOKEN_KEY = 'tandem.designerToken';

function storage(): Storage | null {
  return typeof localStorage === 'undefined' ? null : localStorage;
}

export function createSessionStore(): StoreApi<SessionState> {
  return createStore<SessionState>()((set, get) => {
    const makeClient = (apiUrl: string) =>
      createApiClient({
        baseUrl: apiUrl,
        token: () => get().token,
        onUnauthorized: (e: ApiError) => get().signOut(e.code === 'token_expired' ? 'Your sign-in expired. Paste a new designer token.' : 'That token was not accepted. Paste a valid designer token.'),
      });
    return {
      apiUrl: '',
      token: storage()?.getItem(TOKEN_KEY) ?? null,
      api: null,
      apiStatus: 'unknown',
      apiMessage: null,
      signInMessage: null,
      screen: { kind: 'flows' },

      configure(apiUrl) {
        set({ apiUrl, api: makeClient(apiUrl) });
      },
      signIn(token) {
        const clean = token.trim().replace(/^Bearer\s+/i, '');
        storage()?.setItem(TOKEN_KEY, clean);
        set({ token: clean, signInMessage: null });
      },
      signOut(message) {
        storage()?.removeItem(TOKEN_KEY);
        set({ token: null, signInMessage: message ?? null });
      },
      setApiStatus(apiStatus, apiMessage = null) {
        if (get().apiStatus !== apiStatus || get().apiMessage !== apiMessage) set({ apiStatus, apiMessage });
      },
      openFlow(flowId) {
        set({ screen: { kind: 'designer', flowId } });
      },
      closeFlow() {
        set({ screen: { kind: 'flows' } });
      },
    };
  });
}
