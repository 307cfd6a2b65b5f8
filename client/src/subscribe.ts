// Real-time view of one project: a Firestore listener on `projects/{id}` (the rules let only the owner
// read it), each snapshot parsed with the document schema, then delivered in the wire shape (ISO
// timestamps, as the callables return it) and in the camelCase view.
import { doc, onSnapshot, type Firestore } from 'firebase/firestore';
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

export function subscribeProject(
  db: Firestore,
  projectId: string,
  onChange: (snapshot: ProjectSnapshot) => void,
  onError?: (error: ReelforgeError) => void,
): Unsubscribe {
  const operation = 'subscribeProject';
  let stopped = false;
  let unsubscribe: Unsubscribe = () => {};
  const fail = (error: ReelforgeError) => {
    // One error ends the subscription: Firestore stops a refused listener anyway, and a parse failure
    // means the client is older than the data, which a retry does not fix.
    if (stopped) return;
    stopped = true;
    unsubscribe();
    onError?.(error);
  };
  const notFound = () =>
    new ReelforgeError('not-found', `project ${projectId} not found`, undefined, operation);
  unsubscribe = onSnapshot(
    doc(db, 'projects', projectId),
    (snap) => {
      if (stopped) return;
      if (!snap.exists()) return fail(notFound());
      const parsed = ProjectDocSchema.safeParse(snap.data());
      if (!parsed.success) {
        return fail(
          new ReelforgeError(
            'invalid-response',
            `project ${projectId} does not match its schema: ${parsed.error.message}`,
            undefined,
            operation,
          ),
        );
      }
      const project = toWire(parsed.data);
      onChange({ project, camel: toCamel(project), fromCache: snap.metadata.fromCache });
    },
    (err) => {
      const error = toReelforgeError(err, operation);
      // Another user's project and a deleted one are both refused by the rules: the callables say
      // `not-found` for both, and so does the listener.
      fail(error.code === 'permission-denied' ? notFound() : error);
    },
  );
  return () => {
    stopped = true;
    unsubscribe();
  };
}
