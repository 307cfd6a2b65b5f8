// Email and password on Firebase Auth (the Auth emulator locally); Clerk too when a publishable key is
// configured (its session token is exchanged for a Firebase custom token by `exchangeClerkToken`).
import { useState, type FormEvent } from 'react';
import { createUserWithEmailAndPassword, signInWithEmailAndPassword } from 'firebase/auth';
import { useBackend } from '../lib/hooks.js';
import { sendVerification } from '../lib/verify-email.js';
import { ClerkSignIn } from './ClerkSignIn.js';

export function SignIn() {
  const backend = useBackend();
  const { auth } = backend;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (mode === 'sign-up') {
        const { user } = await createUserWithEmailAndPassword(auth, email, password);
        await sendVerification(backend, user);
      } else await signInWithEmailAndPassword(auth, email, password);
    } catch (err) {
      setError(authMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const title = mode === 'sign-up' ? 'Create your account' : 'Sign in';
  return (
    <section className="card narrow" aria-labelledby="signin-title">
      <h1 id="signin-title">{title}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Email
          <input
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
            required
            minLength={6}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && <p role="alert">{error}</p>}
        <button type="submit" disabled={busy}>
          {mode === 'sign-up' ? 'Sign up' : 'Sign in'}
        </button>
      </form>
      <button
        type="button"
        className="link"
        onClick={() => setMode(mode === 'sign-up' ? 'sign-in' : 'sign-up')}
      >
        {mode === 'sign-up' ? 'I have an account: sign in' : 'New here? Create an account'}
      </button>
      {import.meta.env.VITE_CLERK_PUBLISHABLE_KEY && (
        <ClerkSignIn publishableKey={import.meta.env.VITE_CLERK_PUBLISHABLE_KEY} />
      )}
    </section>
  );
}

function authMessage(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  switch (code) {
    case 'auth/email-already-in-use':
      return 'That email already has an account: sign in instead.';
    case 'auth/invalid-credential':
    case 'auth/wrong-password':
    case 'auth/user-not-found':
      return 'Wrong email or password.';
    case 'auth/weak-password':
      return 'Choose a password of at least 6 characters.';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
