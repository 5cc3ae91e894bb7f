/** Sign-in: paste a designer token (an administrator creates one with the API's CLI). */
import { useState } from 'react';
import { sessionStore, useSession } from '../store';

export function SignIn() {
  const message = useSession((s) => s.signInMessage);
  const apiUrl = useSession((s) => s.apiUrl);
  const [token, setToken] = useState('');
  return (
    <main className="signin">
      <form
        className="card signin__card"
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) sessionStore.getState().signIn(token);
        }}
      >
        <h1>
          <span className="logo">⟲</span> Tandem flow designer
        </h1>
        <p>Draw how bots and people share your customer conversations, test them, publish them and see how they perform.</p>
        {message && (
          <p className="banner banner--warning" role="alert">
            {message}
          </p>
        )}
        <label htmlFor="token" className="field__label">
          Designer token
        </label>
        <textarea id="token" rows={4} value={token} onChange={(e) => setToken(e.target.value)} placeholder="Paste the token you were given" data-testid="token-input" autoFocus />
        <p className="field__help">
          Ask your administrator for a token with the designer role. It is kept in this browser until you sign out. Service: <code>{apiUrl}</code>
        </p>
        <button type="submit" className="button button--primary" disabled={!token.trim()} data-testid="sign-in">
          Sign in
        </button>
      </form>
    </main>
  );
}
