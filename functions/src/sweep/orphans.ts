// Storage reconciliation. Every write that drops a file reference deletes the file after it commits, but
// a function can die between the two, and a project deletion whose task could not be enqueued leaves its
// whole prefix. Once an hour this walks the project prefixes in the bucket: the prefix of a project that
// no longer exists is deleted; under a live project, an object the document does not name is deleted once
// it is an hour old (younger ones may be outputs whose job has not completed yet), unless it belongs to one
// of the project's unfinished jobs (its name carries the job id). A kept take's files are named by the take
// (projects/takes.ts), so they stay; the takes of a scene that no longer exists go with their files, and a
// deleted project's takes with its prefix.
//
// A bucket can hold more projects than one run can reach (a Firestore read and a listing each), so each run
// takes a bounded slice of the prefixes in listing order, after the place the previous run left in
// `sweep_state/orphans`, and stops before the function's timeout; the run that reaches the last prefix
// wraps the cursor to the start. Every project is reached within ceil(projects / per-run bound) + 1 runs.
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { REGION } from '../config.js';
import { bucket } from '../firebase.js';
import { errorText, log } from '../log.js';
import { referencedPaths } from '../projects/files.js';
import {
  afterCursor,
  loadCursor,
  nextCursor,
  saveCursor,
  sliceAfter,
  withinBudget,
} from '../projects/sweep-cursor.js';
import { unfinishedJobs } from '../projects/stats.js';
import { parseProject, projectRef } from '../projects/store.js';
import { deleteFiles, deleteProjectFiles } from '../storage/files.js';
import { deleteAllTakeDocs, deleteTakes, readTakes } from '../projects/takes.js';
import { deleteStaleUploads } from '../storage/uploads.js';

/** Unreferenced objects younger than this are left alone: their job may still be completing. */
export const ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;
/** A user's upload is attached (and deleted) within seconds of its upload; one still there after an hour never
 * was, and goes at the next hourly run: within two hours, well inside the day the studio promises. */
export const UPLOAD_MAX_AGE_MS = 60 * 60 * 1000;
const PROJECTS_PREFIX = 'projects/';
/** Projects per run: one document read and one listing each, well inside the timeout at Firestore's pace. */
export const ORPHAN_PROJECTS_PER_RUN = 2000;
/** The scheduled function has 540 s; past this no further project is started. */
const RUN_BUDGET_MS = 420_000;
/** The cursor is saved this often too, so a run killed mid-way does not redo its whole slice. */
const SAVE_EVERY = 100;
const CURSOR = 'orphans';

export interface ReconcileResult {
  projects: number;
  deletedPrefixes: number;
  deletedObjects: number;
  /** Take documents of scenes that no longer exist. */
  deletedTakes: number;
  /** Uploads under uploads/ that nobody attached within UPLOAD_MAX_AGE_MS. */
  deletedUploads: number;
  /** Where the next run starts (the last project id this run reached), null when it wrapped around. */
  cursor: string | null;
  /** True when the time budget stopped the run before the end of its slice. */
  stoppedEarly: boolean;
}

export interface ReconcileOptions {
  /** Projects per run (tests use a small one; production `ORPHAN_PROJECTS_PER_RUN`). */
  maxProjects?: number;
  budgetMs?: number;
}

/** A prefix's key in listing order: the id with its delimiter, so that ids with "-" or "_" sort as the
 * bucket lists them ("a-b/" before "a/"). */
const keyOf = (id: string) => `${id}/`;
const idOf = (key: string) => key.slice(0, -1);

/**
 * Up to `limit` project prefixes after `cursor`, in listing order, and whether more follow. The listing
 * starts at the cursor's prefix (`startOffset`); the cursor's own prefix and anything before it are also
 * dropped here, for a listing that ignores `startOffset` (the Storage emulator does).
 */
async function prefixesAfter(
  cursor: string | null,
  limit: number,
): Promise<{ keys: string[]; more: boolean }> {
  const after = cursor === null ? null : keyOf(cursor);
  const keys: string[] = [];
  let pageToken: string | undefined;
  do {
    const page: unknown[] = await bucket().getFiles({
      prefix: PROJECTS_PREFIX,
      delimiter: '/',
      autoPaginate: false,
      maxResults: Math.min(1000, limit + 2),
      ...(after ? { startOffset: `${PROJECTS_PREFIX}${after}` } : {}),
      ...(pageToken ? { pageToken } : {}),
    });
    const next = page[1] as { pageToken?: string } | null | undefined;
    const response = page[2] as { prefixes?: string[] } | undefined;
    const listed = (response?.prefixes ?? [])
      .map((prefix) => prefix.slice(PROJECTS_PREFIX.length))
      .filter((key) => key.length > 1);
    keys.push(...afterCursor(listed, after));
    pageToken = next?.pageToken;
  } while (pageToken && keys.length <= limit);
  const sorted = afterCursor(keys, null);
  return { keys: sorted, more: sorted.length > limit || !!pageToken };
}

async function reconcileProject(projectId: string, nowMs: number, result: ReconcileResult) {
  const snap = await projectRef(projectId).get();
  if (!snap.exists) {
    await deleteAllTakeDocs(projectId);
    await deleteProjectFiles(projectId);
    result.deletedPrefixes += 1;
    return;
  }
  const project = parseProject(projectId, snap.data());
  const keep = referencedPaths(project);
  const scenes = new Set(project.scenes.map((s) => s.id));
  const takes = await readTakes(projectId);
  // A scene deleted by a call that died before its takes: they go now, documents before files.
  const sceneless = takes.filter((take) => !scenes.has(take.scene_id));
  await deleteTakes(projectId, sceneless);
  result.deletedTakes += sceneless.length;
  for (const take of takes) if (scenes.has(take.scene_id)) for (const path of take.paths) keep.add(path);
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

export async function reconcileStorage(now: Date, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const startedMs = Date.now();
  const limit = options.maxProjects ?? ORPHAN_PROJECTS_PER_RUN;
  const budgetMs = options.budgetMs ?? RUN_BUDGET_MS;
  const cursor = await loadCursor(CURSOR);
  const listed = await prefixesAfter(cursor, limit);
  const slice = sliceAfter(listed.keys, limit, listed.more);
  const result: ReconcileResult = {
    projects: 0,
    deletedPrefixes: 0,
    deletedObjects: 0,
    deletedTakes: 0,
    deletedUploads: 0,
    cursor,
    stoppedEarly: false,
  };
  const done: string[] = [];
  for (const key of slice.take) {
    if (!withinBudget(startedMs, Date.now(), budgetMs)) {
      result.stoppedEarly = true;
      break;
    }
    const projectId = idOf(key);
    result.projects += 1;
    await reconcileProject(projectId, now.getTime(), result).catch((err: unknown) =>
      log.warn('storage reconciliation of a project failed', {
        project_id: projectId,
        error: errorText(err),
      }),
    );
    done.push(key);
    if (done.length % SAVE_EVERY === 0) await saveCursor(CURSOR, idOf(key));
  }
  // Unattached uploads: a listing of their own (one folder for every user), first in line for no cursor since an
  // upload lives at most a couple of hours, so the folder stays small.
  result.deletedUploads = await deleteStaleUploads(now.getTime(), UPLOAD_MAX_AGE_MS).catch((err: unknown) => {
    log.warn('deleting unattached uploads failed', { error: errorText(err) });
    return 0;
  });
  const next = nextCursor(slice, done, cursor === null ? null : keyOf(cursor));
  result.cursor = next === null ? null : idOf(next);
  await saveCursor(CURSOR, result.cursor);
  log.cleanup('storage reconciled', { ...result });
  return result;
}

export const reconcileStorageScheduled = onSchedule(
  { schedule: 'every 60 minutes', region: REGION, timeoutSeconds: 540 },
  async () => {
    await reconcileStorage(new Date());
  },
);
