// Storage reconciliation. Every write that drops a file reference deletes the file after it commits, but
// a function can die between the two, and a project deletion whose task could not be enqueued leaves its
// whole prefix. Once an hour this walks the project prefixes in the bucket: the prefix of a project that
// no longer exists is deleted; under a live project, an object the document does not name is deleted once
// it is an hour old (younger ones may be outputs whose job has not completed yet), unless it belongs to one
// of the project's unfinished jobs (its name carries the job id).
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { REGION } from '../config.js';
import { bucket } from '../firebase.js';
import { errorText, log } from '../log.js';
import { referencedPaths } from '../projects/files.js';
import { unfinishedJobs } from '../projects/stats.js';
import { parseProject, projectRef } from '../projects/store.js';
import { deleteFiles, deleteProjectFiles } from '../storage/files.js';

/** Unreferenced objects younger than this are left alone: their job may still be completing. */
export const ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;
const PROJECTS_PREFIX = 'projects/';

export interface ReconcileResult {
  projects: number;
  deletedPrefixes: number;
  deletedObjects: number;
}

/** Every `projects/{id}/` prefix in the bucket, page by page. */
async function projectIds(): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const page: unknown[] = await bucket().getFiles({
      prefix: PROJECTS_PREFIX,
      delimiter: '/',
      autoPaginate: false,
      ...(pageToken ? { pageToken } : {}),
    });
    const next = page[1] as { pageToken?: string } | null | undefined;
    const response = page[2] as { prefixes?: string[] } | undefined;
    for (const prefix of response?.prefixes ?? []) {
      const id = prefix.slice(PROJECTS_PREFIX.length).replace(/\/$/, '');
      if (id) ids.push(id);
    }
    pageToken = next?.pageToken;
  } while (pageToken);
  return ids;
}

async function reconcileProject(projectId: string, nowMs: number, result: ReconcileResult) {
  const snap = await projectRef(projectId).get();
  if (!snap.exists) {
    await deleteProjectFiles(projectId);
    result.deletedPrefixes += 1;
    return;
  }
  const project = parseProject(projectId, snap.data());
  const keep = referencedPaths(project);
  const running = unfinishedJobs(project).map((job) => job.job_id);
  const [files] = await bucket().getFiles({ prefix: `${PROJECTS_PREFIX}${projectId}/` });
  const orphans = files
    .filter((file) => !keep.has(file.name))
    .filter((file) => !running.some((jobId) => file.name.includes(jobId)))
    .filter((file) => {
      const created = Date.parse(String(file.metadata.timeCreated ?? ''));
      return Number.isFinite(created) && nowMs - created >= ORPHAN_MIN_AGE_MS;
    })
    .map((file) => file.name);
  await deleteFiles(orphans);
  result.deletedObjects += orphans.length;
}

export async function reconcileStorage(now: Date): Promise<ReconcileResult> {
  const result: ReconcileResult = { projects: 0, deletedPrefixes: 0, deletedObjects: 0 };
  for (const projectId of await projectIds()) {
    result.projects += 1;
    await reconcileProject(projectId, now.getTime(), result).catch((err: unknown) =>
      log.warn('storage reconciliation of a project failed', {
        project_id: projectId,
        error: errorText(err),
      }),
    );
  }
  log.cleanup('storage reconciled', { ...result });
  return result;
}

export const reconcileStorageScheduled = onSchedule(
  { schedule: 'every 60 minutes', region: REGION, timeoutSeconds: 540 },
  async () => {
    await reconcileStorage(new Date());
  },
);
