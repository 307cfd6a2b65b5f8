// Real-time view of one project: a Firestore listener on `projects/{id}` (the rules let only the owner
// read it), each snapshot parsed with the document schema, then delivered in the wire shape (ISO
// timestamps, as the callables return it) and in the camelCase view.
import { doc, onSnapshot, type Firestore } from 'firebase/firestore';
import type { z } from 'zod';
import { ProjectDocSchema, toCamel, toWire, type Project, type ProjectCamel } from '@reelforge/schema';
import { ReelforgeError, toReelforgeError } from './errors.js';

export interface ProjectSnapshot {
  /** snake_case, ISO timestamps: the same shape as `getProject`'s `project`. */
  project: Project;
  /** The same data with camelCase keys. */
  camel: ProjectCamel;
  /** True while the data comes from the local cache (offline, or before the server answered). */
  fromCache: boolean;
}

export type Unsubscribe = () => void;

/**
 * One document's listener as every subscription here runs it: each snapshot parsed with `schema` and handed
 * to `onData`; an absent document to `onMissing` (which may end the subscription with an error). One error
 * ends the subscription: Firestore stops a refused listener anyway, and a parse failure means the client is
 * older than the data, which listening on does not fix.
 */
export function subscribeDoc<S extends z.ZodType>(
  db: Firestore,
  path: readonly [string, string],
  spec: {
    operation: string;
    /** The document in words, for the schema error: "project p1", "usage of u1". */
    what: string;
    schema: S;
    onData: (data: z.infer<S>, fromCache: boolean) => void;
    onMissing: () => ReelforgeError | undefined;
    /** How a listener error reaches the caller (default: as Firestore said it). */
    mapError?: (error: ReelforgeError) => ReelforgeError;
  },
  onError?: (error: ReelforgeError) => void,
): Unsubscribe {
  let stopped = false;
  let unsubscribe: Unsubscribe = () => {};
  const fail = (error: ReelforgeError) => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    onError?.(error);
  };
  unsubscribe = onSnapshot(
    doc(db, ...path),
    (snap) => {
      if (stopped) return;
      if (!snap.exists()) {
        const missing = spec.onMissing();
        if (missing) fail(missing);
        return;
      }
      const parsed = spec.schema.safeParse(snap.data());
      if (!parsed.success) {
        return fail(
          new ReelforgeError(
            'invalid-response',
            `${spec.what} does not match its schema: ${parsed.error.message}`,
            undefined,
            spec.operation,
          ),
        );
      }
      spec.onData(parsed.data, snap.metadata.fromCache);
    },
    (err) => {
      const error = toReelforgeError(err, spec.operation);
      fail(spec.mapError ? spec.mapError(error) : error);
    },
  );
  return () => {
    stopped = true;
    unsubscribe();
  };
}

export function subscribeProject(
  db: Firestore,
  projectId: string,
  onChange: (snapshot: ProjectSnapshot) => void,
  onError?: (error: ReelforgeError) => void,
): Unsubscribe {
  const operation = 'subscribeProject';
  const notFound = () =>
    new ReelforgeError('not-found', `project ${projectId} not found`, undefined, operation);
  return subscribeDoc(
    db,
    ['projects', projectId],
    {
      operation,
      what: `project ${projectId}`,
      schema: ProjectDocSchema,
      onData: (data, fromCache) => {
        const project = toWire(data);
        onChange({ project, camel: toCamel(project), fromCache });
      },
      onMissing: notFound,
      // Another user's project and a deleted one are both refused by the rules: the callables say
      // `not-found` for both, and so does the listener.
      mapError: (error) => (error.code === 'permission-denied' ? notFound() : error),
    },
    onError,
  );
}
