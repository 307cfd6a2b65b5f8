// Project callables: create, list (newest first, cursor-paginated summaries), get, update, delete.
import { Timestamp } from 'firebase-admin/firestore';
import { IdSchema, LIMITS, toWire } from '@reelforge/schema';
import { PROVIDER_SECRETS, readProviderConfig } from '../config.js';
import { enqueueProjectDeletion, finishProjectDeletion } from '../jobs/project-deletion.js';
import { log } from '../log.js';
import { definedOnly, newProject } from '../projects/new-project.js';
import { unfinishedJobs } from '../projects/stats.js';
import { listSummaries, type SummaryCursor } from '../projects/summaries.js';
import { createWithinProjectLimit } from '../projects/usage/project-limit.js';
import { DELETE_PROJECT, mutateProject, projectsCol, readOwnedProject } from '../projects/store.js';
import { projectPrefix } from '../storage/paths.js';
import { callable } from './callable.js';
import { invalidArgument } from './errors.js';

export const createProject = callable('createProject', async (request, { uid }) => {
  const project = newProject({ id: projectsCol().doc().id, uid, request, now: Timestamp.now() });
  await createWithinProjectLimit(project);
  return { project: toWire(project) };
});

export const getProject = callable('getProject', async ({ project_id }, { uid }) => {
  return { project: toWire(await readOwnedProject(project_id, uid)) };
});

export const updateProject = callable('updateProject', async (request, { uid }) => {
  const { project_id, name, description, title, creative_brief, settings } = request;
  const { project } = await mutateProject(project_id, { uid }, (p) => {
    if (name !== undefined) p.name = name;
    if (description !== undefined) p.description = description;
    if (title !== undefined) p.storyboard.title = title;
    // Brief and settings merge: fields the request does not name keep their values.
    if (creative_brief) {
      const brief = { ...p.storyboard.creative_brief, ...definedOnly(creative_brief) };
      // An empty call to action is how a client removes it.
      if (brief.call_to_action === '') delete brief.call_to_action;
      p.storyboard.creative_brief = brief;
    }
    if (settings) {
      const next = { ...p.settings, ...definedOnly(settings) };
      // An empty disclaimer is how a client removes it.
      if (next.disclaimer === '') delete next.disclaimer;
      p.settings = next as typeof p.settings;
    }
  });
  return { project: toWire(project) };
});

export const deleteProject = callable(
  'deleteProject',
  async ({ project_id }, { uid }) => {
    const { project } = await mutateProject(project_id, { uid }, () => DELETE_PROJECT);
    // The document is gone first, so a task that still runs finds no project and stops. Stopping its jobs
    // and deleting its files is a retried task, so it finishes even if this function dies now.
    const jobs = unfinishedJobs(project).map(({ job_id, type, provider_ref, deliveries }) => ({
      job_id,
      type,
      ...(provider_ref !== undefined ? { provider_ref } : {}),
      ...(deliveries !== undefined ? { deliveries } : {}),
    }));
    try {
      await enqueueProjectDeletion({ project_id, jobs });
    } catch (err) {
      // No task: do the work here, once; the storage reconciliation deletes what is left of a missing project.
      log.warn('could not enqueue the deletion of a project; deleting here', {
        project_id,
        error: String(err),
      });
      await finishProjectDeletion({ project_id, jobs }, readProviderConfig()).catch((cleanupErr: unknown) =>
        log.warn('files of a deleted project could not all be removed', {
          project_id,
          prefix: projectPrefix(project_id),
          error: String(cleanupErr),
        }),
      );
    }
    return { project_id, deleted: true as const };
  },
  // Stopping the deleted project's jobs cancels their predictions: without the keys they would keep running.
  { secrets: PROVIDER_SECRETS },
);

export const listProjects = callable('listProjects', async ({ limit, cursor }, { uid }) => {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const page = await listSummaries(uid, limit ?? LIMITS.PAGE_SIZE_DEFAULT, after);
  return { projects: page.projects, next_cursor: page.next ? encodeCursor(page.next) : null };
});

// The cursor is the sort key of the page's last project: (created_at, id), the timestamp kept to the
// nanosecond so no project sharing a millisecond is skipped. Opaque to clients: base64url JSON.
function encodeCursor(p: SummaryCursor): string {
  const t = p.created_at;
  return Buffer.from(JSON.stringify([t.seconds, t.nanoseconds, p.id])).toString('base64url');
}

function decodeCursor(cursor: string): SummaryCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3) {
      const [seconds, nanos, id] = value as unknown[];
      if (
        Number.isSafeInteger(seconds) &&
        Number.isInteger(nanos) &&
        (nanos as number) >= 0 &&
        (nanos as number) < 1e9 &&
        IdSchema.safeParse(id).success
      ) {
        return { created_at: new Timestamp(seconds as number, nanos as number), id: id as string };
      }
    }
  } catch {
    // Not JSON: reported below like any other foreign cursor.
  }
  throw invalidArgument([{ path: 'cursor', message: 'is not a cursor returned by listProjects' }]);
}
