// The studio shell: connects to the backend, follows the signed-in user, and shows one of two screens
// (the project list at `/`, a project at `/projects/{id}`).
import { useEffect, useState } from 'react';
import { onAuthStateChanged, signOut, type User } from 'firebase/auth';
import { connectBackend, type Backend } from './lib/firebase.js';
import { withVerifiedEmail } from './lib/verify-email.js';
import { BackendContext, navigate, usePath } from './lib/hooks.js';
import { SignIn } from './components/SignIn.js';
import { ProjectList } from './components/ProjectList.js';
import { ProjectPage } from './components/ProjectPage.js';

export function App() {
  const [backend, setBackend] = useState<Backend>();
  const [failure, setFailure] = useState<string>();
  // undefined: not known yet (the SDK restores a session from IndexedDB first); null: signed out.
  const [user, setUser] = useState<User | null>();
  const path = usePath();

  useEffect(() => {
    connectBackend().then(setBackend, (err: unknown) => setFailure(String(err)));
  }, []);
  useEffect(
    () =>
      backend
        ? onAuthStateChanged(backend.auth, (next) => {
            withVerifiedEmail(backend, next).then(setUser, () => setUser(next));
          })
        : undefined,
    [backend],
  );

  if (failure) return <p role="alert">The studio could not start: {failure}</p>;
  if (!backend || user === undefined) return <p className="loading">Loading the studio…</p>;

  const projectId = /^\/projects\/([A-Za-z0-9_-]+)$/.exec(path)?.[1];
  return (
    <BackendContext.Provider value={backend}>
      <header className="topbar">
        <a
          className="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate('/');
          }}
        >
          Reelforge Studio
        </a>
        {user && (
          <div className="account">
            <span aria-label="Signed in as">{user.email ?? user.uid}</span>
            <button type="button" onClick={() => void signOut(backend.auth).then(() => navigate('/'))}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main>
        {!user ? (
          <SignIn />
        ) : projectId ? (
          <ProjectPage key={projectId} projectId={projectId} />
        ) : (
          <ProjectList key={user.uid} />
        )}
      </main>
    </BackendContext.Provider>
  );
}
