// Clerk sign-in, when configured: Clerk's browser bundle comes from the instance's own Frontend API (the
// host its publishable key encodes), its sign-in modal signs the person in, and the session token is
// exchanged for a Firebase custom token (`exchangeClerkToken`), so the rest of the studio sees a Firebase user.
import { useState } from 'react';
import { signInWithCustomToken } from 'firebase/auth';
import { useBackend } from '../lib/hooks.js';

interface ClerkBrowser {
  load(): Promise<void>;
  openSignIn(): void;
  session?: { getToken(): Promise<string | null> } | null;
  addListener(listener: (state: { session?: unknown }) => void): () => void;
}

/** `pk_test_<base64("clerk.example.com$")>` -> `clerk.example.com`. */
export function frontendApiOf(publishableKey: string): string {
  const encoded = publishableKey.replace(/^pk_(test|live)_/, '');
  return atob(encoded).replace(/\$$/, '');
}

function loadClerk(publishableKey: string): Promise<ClerkBrowser> {
  const host = frontendApiOf(publishableKey);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = `https://${host}/npm/@clerk/clerk-js@5/dist/clerk.browser.js`;
    script.async = true;
    script.crossOrigin = 'anonymous';
    script.dataset.clerkPublishableKey = publishableKey;
    script.onload = () => {
      const clerk = (window as unknown as { Clerk?: ClerkBrowser }).Clerk;
      if (clerk) resolve(clerk);
      else reject(new Error('Clerk did not load'));
    };
    script.onerror = () => reject(new Error(`could not load Clerk from ${host}`));
    document.head.appendChild(script);
  });
}

export function ClerkSignIn({ publishableKey }: { publishableKey: string }) {
  const { auth, rf } = useBackend();
  const [error, setError] = useState<string>();

  async function start() {
    setError(undefined);
    try {
      const clerk = await loadClerk(publishableKey);
      await clerk.load();
      const exchange = async () => {
        const token = await clerk.session?.getToken();
        if (!token) return;
        const { custom_token } = await rf.exchangeClerkToken({ token });
        await signInWithCustomToken(auth, custom_token);
      };
      if (clerk.session) await exchange();
      else {
        const stop = clerk.addListener(({ session }) => {
          if (!session) return;
          stop();
          exchange().catch((err: unknown) => setError(String(err)));
        });
        clerk.openSignIn();
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <div className="clerk">
      <button type="button" onClick={() => void start()}>
        Sign in with Clerk
      </button>
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
