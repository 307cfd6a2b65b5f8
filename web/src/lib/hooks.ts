// The studio's data hooks: a live project (the SDK's listener), asset URLs (the SDK's cache) and actions
// (each a callable with its own pending state and error, kept for the page to show beside its control).
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ProjectSnapshot, ReelforgeClient, ReelforgeError } from '@reelforge/client';
import { toReelforgeError } from '@reelforge/client';
import type { Take } from '@reelforge/schema';
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

/** The project's takes, live (newest first); empty until the first snapshot. */
export function useTakes(projectId: string): Take[] {
  const rf = useRf();
  const [takes, setTakes] = useState<Take[]>([]);
  useEffect(() => {
    setTakes([]);
    return rf.subscribeTakes(projectId, setTakes);
  }, [rf, projectId]);
  return takes;
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

/** A call the person can start, with its own pending state and its own last failure: two actions never share
 * an error slot, so a failure is shown beside the control that caused it and a success elsewhere does not
 * clear it. */
export interface Action {
  readonly label: string;
  /** True while at least one of its calls is in flight. */
  readonly pending: boolean;
  readonly failure?: ActionFailure;
  /** Runs a call; its failure becomes `failure` (shown by the page) instead of a rejection. */
  run<T>(work: () => Promise<T>): Promise<T | undefined>;
  clear(): void;
}

export interface ActionFailure {
  label: string;
  error: ReelforgeError;
}

export function useAction(label: string): Action {
  const [inFlight, setInFlight] = useState(0);
  const [failure, setFailure] = useState<ActionFailure>();
  const run = useCallback(
    async <T>(work: () => Promise<T>) => {
      setInFlight((n) => n + 1);
      setFailure(undefined);
      try {
        return await work();
      } catch (err) {
        setFailure({ label, error: toReelforgeError(err, label) });
        return undefined;
      } finally {
        setInFlight((n) => n - 1);
      }
    },
    [label],
  );
  const clear = useCallback(() => setFailure(undefined), []);
  return { label, pending: inFlight > 0, ...(failure ? { failure } : {}), run, clear };
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
