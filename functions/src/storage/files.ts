// Removal of Storage objects: a project's whole folder when the project is deleted, and single files a job
// replaced or must not leave behind.
import { bucket } from '../firebase.js';
import { errorText, log } from '../log.js';
import { projectPrefix } from './paths.js';

/** Deletes every object under `projects/{projectId}/`. `force` keeps going past a failed object and reports
 * them together at the end, so one bad file does not leave the rest behind. */
export async function deleteProjectFiles(projectId: string): Promise<void> {
  await bucket().deleteFiles({ prefix: projectPrefix(projectId), force: true });
}

/** Deletes every object under each prefix; a failure is logged, never thrown (cleanup is best effort). */
export async function deletePrefixes(prefixes: readonly string[]): Promise<void> {
  await Promise.all(
    prefixes.map((prefix) =>
      bucket()
        .deleteFiles({ prefix, force: true })
        .catch((err: unknown) => log.warn('could not delete files', { prefix, error: errorText(err) })),
    ),
  );
}

/** Deletes each file, ignoring ones already gone; a failure is logged, never thrown (cleanup is best effort). */
export async function deleteFiles(paths: readonly string[]): Promise<void> {
  await Promise.all(
    paths.map((path) =>
      bucket()
        .file(path)
        .delete({ ignoreNotFound: true })
        .catch((err: unknown) => log.warn('could not delete a file', { path, error: errorText(err) })),
    ),
  );
}
