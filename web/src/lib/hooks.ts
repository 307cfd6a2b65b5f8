// The studio's data hooks: a live project (the SDK's listener), asset URLs (the SDK's cache) and actions
// (a callable in flight, its error kept for the page to show).
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ProjectSnapshot, ReelforgeClient, ReelforgeError } from '@reelforge/client';
import { toReelforgeError } from '@reelforge/client';
import type { Backend } from './firebase.js';

export const BackendContext = createContext<Backend | null>(null);

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('useBackend outside BackendContext');
  return backend;
}

export function useRf(): ReelforgeClient {
  return useBackend().rf;
}

export interface LiveProject {
  snapshot?: ProjectSnapshot;
  error?: ReelforgeError;
}

export function useProject(projectId: string): LiveProject {
  const rf = useRf();
  const [state, setState] = useState<LiveProject>({});
  useEffect(() => {
    setState({});
    return rf.subscribeProject(
      projectId,
      (snapshot) => setState({ snapshot }),
      (error) => setState((prev) => ({ ...prev, error })),
    );
  }, [rf, projectId]);
  return state;
}

/** The URL of a stored file, or undefined while it loads (or when there is no file). */
export function useAssetUrl(projectId: string, path: string | undefined): string | undefined {
  const rf = useRf();
  const [url, setUrl] = useState<{ path: string; url: string | undefined }>();
  useEffect(() => {
    if (!path) return;
    let live = true;
    rf.assetUrl(projectId, path).then(
      (u) => live && setUrl({ path, url: u }),
      () => live && setUrl({ path, url: undefined }),
    );
    return () => {
      live = false;
    };
  }, [rf, projectId, path]);
  return path && url?.path === path ? url.url : undefined;
}

export interface Actions {
  /** Runs a call; its failure becomes `error` (shown by the page) instead of a rejection. */
  run<T>(label: string, work: () => Promise<T>): Promise<T | undefined>;
  busy: ReadonlySet<string>;
  error?: { label: string; error: ReelforgeError };
  clearError(): void;
}

export function useActions(): Actions {
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<Actions['error']>();
  const run = useCallback(async <T>(label: string, work: () => Promise<T>) => {
    setBusy((prev) => new Set(prev).add(label));
    setError(undefined);
    try {
      return await work();
    } catch (err) {
      setError({ label, error: toReelforgeError(err, label) });
      return undefined;
    } finally {
      setBusy((prev) => {
        const next = new Set(prev);
        next.delete(label);
        return next;
      });
    }
  }, []);
  const clearError = useCallback(() => setError(undefined), []);
  return { run, busy, ...(error ? { error } : {}), clearError };
}

/** Pushes a path onto the history and tells the app (a tiny router: two screens need no library). */
export function navigate(path: string): void {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return path;
}
