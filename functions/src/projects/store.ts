// All writes to a project go through `mutateProject`: read the document, check ownership, let the caller
// change it in memory, recompute the derived fields, and write it back only if nobody wrote it in between.
//
// Why a compare-and-set on the document's update time rather than a Firestore transaction: the project
// document is hot (every job of the project writes to it), and a transaction holds a lock on it from its
// read to its commit. Under a few dozen concurrent writers, lock waits turn into "Transaction lock timeout"
// aborts that the SDK retries after a second or more of backoff (measured: 168 aborts and 70 s for six
// scenes' jobs on the emulator). A write with the `lastUpdateTime` precondition is the same atomic
// read-check-write for a single document, holds no lock, and a lost race is retried at once with the fresh
// document. The callback may therefore run more than once and must be a pure function of its input.
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { ProjectDocSchema, type ProjectDoc } from '@reelforge/schema';
import { db } from '../firebase.js';
import { Contention, GRPC, LimitReached, NotFound, hasCode } from '../errors.js';
import { errorText, log } from '../log.js';
import { computeStats } from './stats.js';
import { addToProjectSpend, endedJobs, unfinishedSnapshot, type EndedJob } from './usage/job-ends.js';
import { settleEndedJobs } from './usage/settle.js';

export const PROJECTS = 'projects';
export const projectsCol = () => db().collection(PROJECTS);
export const projectRef = (projectId: string) => projectsCol().doc(projectId);

/** Returned by a mutation callback to leave the document untouched (a no-op, no write). */
export const NO_WRITE = Symbol('no-write');
/** Returned by a mutation callback to delete the project document (under the same precondition). */
export const DELETE_PROJECT = Symbol('delete-project');

/** Enough for 50 writers racing on one document (bench/hot-document), with jittered waits between rounds. */
const WRITE_ATTEMPTS = 40;

export interface MutationContext {
  now: Timestamp;
}

/** How many writes lost a race and were retried, since the process started (read by the benchmarks). */
export const writeStats = { conflicts: 0, writes: 0 };

export function parseProject(id: string, data: unknown): ProjectDoc {
  const parsed = ProjectDocSchema.safeParse(data);
  if (!parsed.success) {
    // A document we cannot read is a bug or a manual edit; say which project so it can be found.
    throw new Error(`Project ${id} does not match the schema: ${parsed.error.message}`);
  }
  return parsed.data;
}

/** Reads a project for `uid`; another user's project is reported as not found (no existence leak). */
export async function readOwnedProject(projectId: string, uid: string): Promise<ProjectDoc> {
  const snap = await projectRef(projectId).get();
  const data = snap.data();
  if (!snap.exists || !data || data.user_id !== uid) throw new NotFound('Project');
  return parseProject(projectId, data);
}

export interface MutateOptions {
  /** Owner check; `null` for trusted server-side callers (tasks, sweep, webhooks). */
  uid: string | null;
}

type Outcome<T> = T | typeof NO_WRITE | typeof DELETE_PROJECT;

export async function mutateProject<T>(
  projectId: string,
  opts: MutateOptions,
  change: (project: ProjectDoc, ctx: MutationContext) => Outcome<T> | Promise<Outcome<T>>,
): Promise<{ project: ProjectDoc; result: Outcome<T> }> {
  const ref = projectRef(projectId);
  for (let attempt = 1; ; attempt++) {
    const snap = await ref.get();
    const data = snap.data();
    if (!snap.exists || !data || (opts.uid !== null && data.user_id !== opts.uid))
      throw new NotFound('Project');
    const project = parseProject(projectId, data);
    const before = unfinishedSnapshot(project);
    const now = Timestamp.now();
    const result = await change(project, { now });
    if (result === NO_WRITE) return { project, result };
    const precondition = { lastUpdateTime: snap.updateTime! };
    const ended = endedJobs(before, result === DELETE_PROJECT ? null : project, now);
    try {
      if (result === DELETE_PROJECT) {
        await ref.delete(precondition);
      } else {
        addToProjectSpend(project, ended);
        project.updated_at = now;
        project.stats = computeStats(project, now);
        checkSize(projectId, project);
        await ref.update(wholeDocument(data, project), precondition);
      }
      writeStats.writes += 1;
    } catch (err) {
      // A lost race: the stored update time is no longer the one this attempt read.
      if (!hasCode(err, GRPC.FAILED_PRECONDITION)) throw err;
      writeStats.conflicts += 1;
      if (attempt >= WRITE_ATTEMPTS) throw new Contention(projectId, WRITE_ATTEMPTS);
      // Someone wrote first: wait a moment (jittered, so racing writers spread out) and redo on fresh data.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(250, 10 * attempt)));
      continue;
    }
    await settleQuietly(project.user_id, projectId, ended);
    return { project, result };
  }
}

/**
 * Frees the slots and books the cost of the jobs a write ended. The project write has happened whatever
 * this does: a failure here is logged, not thrown, and the sweep's reconciliation settles those jobs later.
 */
async function settleQuietly(uid: string, projectId: string, ended: EndedJob[]): Promise<void> {
  if (ended.length === 0) return;
  await settleEndedJobs(uid, projectId, ended).catch((err: unknown) =>
    log.warn('could not settle ended jobs; the sweep will', {
      project_id: projectId,
      jobs: ended.map((e) => e.job.job_id),
      error: errorText(err),
    }),
  );
}

/**
 * Firestore refuses documents over 1 MiB. The schema's limits keep a full project well under it (see
 * test/e2e/hardening-limits.test.ts); this guard turns any surprise into a clear refusal instead of a failed
 * write. The UTF-8 length of the JSON is a slight over-estimate of Firestore's own size rules.
 */
const MAX_PROJECT_BYTES = 1_000_000;

function checkSize(projectId: string, project: ProjectDoc): void {
  const bytes = Buffer.byteLength(JSON.stringify(project));
  if (bytes > MAX_PROJECT_BYTES) {
    throw new LimitReached(
      `Project ${projectId} would grow to about ${bytes} bytes, over Firestore's 1 MiB document limit; shorten some texts.`,
    );
  }
}

/**
 * The update that replaces the document with `next`: every top-level field written whole (a map value
 * replaces the stored map), and top-level fields that `next` no longer has deleted.
 */
function wholeDocument(stored: Record<string, unknown>, next: ProjectDoc): Record<string, unknown> {
  const update: Record<string, unknown> = { ...next };
  for (const key of Object.keys(stored)) {
    if (!(key in next) || next[key as keyof ProjectDoc] === undefined) update[key] = FieldValue.delete();
  }
  return update;
}
