// Removal of a project's Storage objects, used when the project is deleted.
import { bucket } from '../firebase.js';
import { projectPrefix } from './paths.js';

/** Deletes every object under `projects/{projectId}/`. `force` keeps going past a failed object and reports
 * them together at the end, so one bad file does not leave the rest behind. */
export async function deleteProjectFiles(projectId: string): Promise<void> {
  await bucket().deleteFiles({ prefix: projectPrefix(projectId), force: true });
}
