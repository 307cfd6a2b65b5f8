// All writes to a project go through `mutateProject`: read the document, check ownership, let the caller
// change it in memory, recompute the derived fields, and write it back only if nobody wrote it in between.
//
// Why a compare-and-set on the document's update time rather than a Firestore transaction: the project
// document is hot (every job of the project writes to it), and a transaction holds a lock on it from its
// read to its commit. Under a few dozen concurrent writers, lock waits turn into "Transaction lock timeout"
// aborts that the SDK retries after a second or more of backoff (measured: 168 aborts and 70 s for six
// scenes' jobs on the emulator). A write with the `lastUpdateTime` precondition is the same atomic
// read-check-write for a single document, holds no lock, and a lost race is retried with the fresh document
// after a wait that grows with the races lost in a row. The callback may therefore run more than once and
// must be a pure function of its input, whose decision is its return value. Changes made in this process
// to one project at the same time share one read and one write (see `mutateProject`).
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { ProjectDocSchema, type ProjectDoc } from '@reelforge/schema';
import { db } from '../firebase.js';
import { Contention, GRPC, LimitReached, NotFound, hasCode } from '../errors.js';
import { errorText, log } from '../log.js';
import { computeStats } from './stats.js';
import { addToProjectSpend, endedJobs, unfinishedSnapshot, type EndedJob } from './usage/job-ends.js';
import { settleEndedJobs } from './usage/settle.js';
import { jobsEnded } from './follow-ups.js';

export const PROJECTS = 'projects';
export const projectsCol = () => db().collection(PROJECTS);
export const projectRef = (projectId: string) => projectsCol().doc(projectId);

/** Returned by a mutation callback to leave the document untouched (a no-op, no write). */
export const NO_WRITE = Symbol('no-write');
/** Returned by a mutation callback that writes nothing but has decided something: `result` is `value`. */
export class Unchanged<T> {
  constructor(readonly value: T) {}
}
export const unchanged = <T>(value: T) => new Unchanged(value);

/** Returned by a mutation callback to delete the project document (under the same precondition). */
export const DELETE_PROJECT = Symbol('delete-project');

/** Rounds a batch of changes may lose before its callers are told the project is too contended. */
const WRITE_ATTEMPTS = 40;

/**
 * The wait before the next round after `lost` races lost in a row: exponential with full jitter (10 ms,
 * 20, 40, ... capped at 1.6 s, times a random 0..1). The old wait grew by 10 ms a round and capped at
 * 250 ms, so 20 writers kept colliding (bench/hot-document: 475 lost races for 100 writes); waiting longer
 * as the measured contention grows spreads the rivals out, and changes arriving meanwhile join the round.
 */
export function retryWaitMs(lost: number, random: () => number = Math.random): number {
  return random() * Math.min(1_600, 10 * 2 ** Math.max(0, lost - 1));
}

export interface MutationContext {
  now: Timestamp;
  /**
   * Counts the jobs this change has ended so far as ended, with their state as it is now. For a change
   * that goes on to put another job in an ended job's place (a production placing a scene's next step in
   * the write that completes its last, jobs/production/advance.ts): without it the ended job would look
   * gone with its scene, i.e. canceled.
   */
  markEnds(): void;
  /**
   * Other documents written in the same atomic commit as the project (a take beside the job that made it).
   * Only sets and deletes, which never fail on the other document's state, so one change's side write can
   * never make the round's other changes fail. Written only if this change is; a rerun collects them anew.
   */
  also: SideWrites;
}

/** A write to another document than the project, committed with it. */
export type SideWrite = { path: string; data: Record<string, unknown> } | { path: string; data: null };

export interface SideWrites {
  set(path: string, data: Record<string, unknown>): void;
  delete(path: string): void;
}

/** A sink for side writes that are not to be written (a decision planned on a copy). */
export const DISCARD_WRITES: SideWrites = { set() {}, delete() {} };

/** A project document as read, with the version a conditional write must still find. */
export interface StoredProject {
  data: Record<string, unknown>;
  /** The document's update time when it was read. */
  version: Timestamp;
}

/**
 * Where project documents live. Production uses Firestore; the unit tests use an in-memory store, and a
 * test may wrap the Firestore one to make a write lose its race at a chosen moment.
 */
export interface ProjectStore {
  read(projectId: string): Promise<StoredProject | undefined>;
  /**
   * Writes the update (and `also`, atomically with it) if the document is still at `version`; false when
   * another write came first.
   */
  update(
    projectId: string,
    update: Record<string, unknown>,
    version: Timestamp,
    also?: readonly SideWrite[],
  ): Promise<boolean>;
  /** Deletes the document if it is still at `version`; false when another write came first. */
  delete(projectId: string, version: Timestamp): Promise<boolean>;
}

/** Runs a conditional write; a failed `lastUpdateTime` precondition means another write came first. */
async function unlessRaced(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (hasCode(err, GRPC.FAILED_PRECONDITION)) return false;
    throw err;
  }
}

export const firestoreProjectStore: ProjectStore = {
  async read(projectId) {
    const snap = await projectRef(projectId).get();
    const data = snap.data();
    return snap.exists && data && snap.updateTime ? { data, version: snap.updateTime } : undefined;
  },
  update(projectId, update, version, also = []) {
    if (also.length === 0)
      return unlessRaced(projectRef(projectId).update(update, { lastUpdateTime: version }));
    // One batch: the project's conditional update and the other documents commit together or not at all.
    const batch = db().batch();
    batch.update(projectRef(projectId), update, { lastUpdateTime: version });
    for (const write of also) {
      if (write.data === null) batch.delete(db().doc(write.path));
      else batch.set(db().doc(write.path), write.data);
    }
    return unlessRaced(batch.commit());
  },
  delete: (projectId, version) => unlessRaced(projectRef(projectId).delete({ lastUpdateTime: version })),
};

let store: ProjectStore = firestoreProjectStore;

/** Replaces the project store (tests); returns the function that puts the previous one back. */
export function useProjectStore(next: ProjectStore): () => void {
  const previous = store;
  store = next;
  return () => {
    store = previous;
  };
}

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
  const stored = await store.read(projectId);
  if (!stored || stored.data.user_id !== uid) throw new NotFound('Project');
  return parseProject(projectId, stored.data);
}

/** Reads a project for the server's own work (tasks, sweep, productions); undefined when it is gone. */
export async function readProject(projectId: string): Promise<ProjectDoc | undefined> {
  const stored = await store.read(projectId);
  return stored ? parseProject(projectId, stored.data) : undefined;
}

export interface MutateOptions {
  /** Owner check; `null` for trusted server-side callers (tasks, sweep, webhooks). */
  uid: string | null;
}

/** What a change callback may return: a value to write, a decision without a write, or a marker. */
type Outcome<T> = T | Unchanged<T> | typeof NO_WRITE | typeof DELETE_PROJECT;
type Change<T> = (project: ProjectDoc, ctx: MutationContext) => Outcome<T> | Promise<Outcome<T>>;
/** A change that always decides something (it never returns `NO_WRITE` or `DELETE_PROJECT`). */
type DecidingChange<T> = (
  project: ProjectDoc,
  ctx: MutationContext,
) => T | Unchanged<T> | Promise<T | Unchanged<T>>;
/** Any value but a symbol: what lets the compiler tell a deciding change from one that may return a marker. */
type Plain = object | string | number | boolean | bigint | null | undefined;

/**
 * What a change decided, as settled by the round that was written. `project` is the document as that
 * round left it (after the change), or as read when nothing was written.
 */
export type Mutation<T> =
  | { written: true; deleted: false; value: T; project: ProjectDoc }
  | { written: true; deleted: true; project: ProjectDoc }
  | { written: false; reason: 'unchanged'; value: T; project: ProjectDoc }
  | { written: false; reason: 'nothing-to-do'; project: ProjectDoc };

/** The outcome of a change that always decides: written or not, it carries the decided value. */
export type Decided<T> = Extract<Mutation<T>, { value: T }>;

/** One caller's change waiting for its round. */
interface Pending {
  opts: MutateOptions;
  change: Change<unknown>;
  resolve(value: Mutation<unknown>): void;
  reject(err: unknown): void;
}

/** What a change decided in a round: its outcome, or the error it threw. Final once the round's write lands. */
type Decision =
  | { pending: Pending; ok: true; mutation: Mutation<unknown> }
  | { pending: Pending; ok: false; error: unknown };

/**
 * How long a busy project's next round waits for more changes to join it. Status changes are delayed by at
 * most this (plus the rounds themselves); a burst of twenty completions then takes a handful of writes.
 */
export const COALESCE_MS = 250;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Per project, the changes of this process waiting for the next round (a round is one read and one write). */
const queues = new Map<string, Pending[]>();

/**
 * Reads the project, lets `change` decide on it in memory, and writes the result back only if nobody
 * wrote in between; otherwise runs `change` again on the fresh document. What `change` decided is its
 * return value (the one of the run that was written), never a variable it set: an earlier run's
 * decision may have been about a document that no longer exists.
 *
 * Changes to one project made in this process meanwhile are applied in arrival order to the same read and
 * written together (group commit): the project document sustains about one write per second, so twenty jobs
 * finishing together become one or two writes instead of twenty, and they never race one another. Each
 * change still sees the document as the changes before it left it, throws or decides on its own, and is
 * settled only with the round that was written; a lost round reruns all of its changes on fresh data.
 *
 * A change that never returns a marker gets a `Decided<T>` (always a `value`); one that may gets a
 * `Mutation<T>` to narrow on `written` / `reason` / `deleted`.
 */
export function mutateProject<T extends Plain>(
  projectId: string,
  opts: MutateOptions,
  change: DecidingChange<T>,
): Promise<Decided<T>>;
export function mutateProject<T>(
  projectId: string,
  opts: MutateOptions,
  change: Change<T>,
): Promise<Mutation<T>>;
export function mutateProject<T>(
  projectId: string,
  opts: MutateOptions,
  change: Change<T>,
): Promise<Mutation<T>> {
  return new Promise<Mutation<T>>((resolve, reject) => {
    const queue = queues.get(projectId);
    const pending: Pending = {
      opts,
      change: change as Change<unknown>,
      resolve: resolve as (value: Mutation<unknown>) => void,
      reject,
    };
    if (queue) {
      queue.push(pending);
      return;
    }
    queues.set(projectId, [pending]);
    void drain(projectId);
  });
}

/** Runs rounds for the project until no change is waiting: the retry loop around `round`. */
async function drain(projectId: string): Promise<void> {
  let lost = 0;
  for (;;) {
    const queue = queues.get(projectId)!;
    if (queue.length === 0) {
      queues.delete(projectId);
      return;
    }
    const batch = queue.splice(0, queue.length);
    let outcome: RoundOutcome;
    try {
      outcome = await round(projectId, batch);
    } catch (err) {
      // The store failed (not a lost race): every change of the round hears it.
      for (const p of batch) p.reject(err);
      continue;
    }
    if (outcome.written) {
      queue.unshift(...outcome.deferred);
      lost = 0;
      // Changes arrived while that round was in flight: the project is busy here (a burst of jobs starting or
      // finishing together). Let the next round gather a little longer, so the burst takes a few writes
      // rather than one per change; a lone change (nothing waiting) is never held back.
      if (queue.length > 0 && outcome.deferred.length === 0) await sleep(COALESCE_MS);
      continue;
    }
    lost += 1;
    if (lost >= WRITE_ATTEMPTS) {
      for (const p of batch) p.reject(new Contention(projectId, WRITE_ATTEMPTS));
      lost = 0;
      continue;
    }
    // Someone else wrote first: the round's changes go back ahead of those that arrived meanwhile, and all
    // of them run on fresh data after a wait that grows with the races lost in a row.
    queue.unshift(...batch);
    await sleep(retryWaitMs(lost));
  }
}

type RoundOutcome = { written: true; deferred: Pending[] } | { written: false };

/** What a batch's changes made of one read: the write it needs, and each change's decision. */
interface Plan {
  /** `update`: the changed document; `delete`: the project goes; `none`: every change decided without writing. */
  write: 'update' | 'delete' | 'none';
  project: ProjectDoc;
  decisions: Decision[];
  /**
   * The jobs the written changes end (completed, failed, canceled, or gone with their scene or project), each
   * as the change that ended it left it: their cost joins the project's spend in this write, and their
   * users' slots are freed once it has committed.
   */
  ended: EndedJob[];
  /** The written changes' side writes, in order (MutationContext.also). */
  also: SideWrite[];
  /** The changes that wait for the next round (those after a deletion, or a deletion after changes). */
  deferred: Pending[];
}

/**
 * One read, every change of `batch` applied in order (`applyChanges`), one conditional write (`commit`),
 * then the ended jobs settled and each caller told. Not written when another writer came first (nothing
 * is settled then).
 */
async function round(projectId: string, batch: Pending[]): Promise<RoundOutcome> {
  const stored = await store.read(projectId);
  if (!stored) {
    for (const p of batch) p.reject(new NotFound('Project'));
    return { written: true, deferred: [] };
  }
  const now = Timestamp.now();
  const read = parseProject(projectId, stored.data);
  const plan = await applyChanges(projectId, stored, read, batch, now);
  const ended = plan.write === 'none' ? [] : plan.ended;
  if (!(await commit(projectId, stored, plan, ended, now))) return { written: false };
  await settleQuietly(String(stored.data.user_id), projectId, ended);
  // Not awaited here: what it starts writes this project again, through this same queue.
  jobsEnded({
    uid: String(stored.data.user_id),
    projectId,
    project: plan.write === 'delete' ? null : plan.project,
    ended,
  });
  for (const d of plan.decisions) {
    if (d.ok) d.pending.resolve(d.mutation);
    else d.pending.reject(d.error);
  }
  return { written: true, deferred: plan.deferred };
}

/**
 * Runs the batch's changes in order on the document as read, each after the owner check and on its own
 * copy (so one that throws halfway leaves nothing behind for the others). Pure apart from the changes.
 */
async function applyChanges(
  projectId: string,
  stored: StoredProject,
  read: ProjectDoc,
  batch: Pending[],
  now: Timestamp,
): Promise<Plan> {
  let project = read;
  let write: Plan['write'] = 'none';
  const decisions: Decision[] = [];
  const ended: EndedJob[] = [];
  const also: SideWrite[] = [];
  for (const [index, pending] of batch.entries()) {
    if (pending.opts.uid !== null && stored.data.user_id !== pending.opts.uid) {
      decisions.push({ pending, ok: false, error: new NotFound('Project') });
      continue;
    }
    const draft = parseProject(projectId, project);
    // The jobs this change ends: those unfinished before it (or before its last `markEnds`) that are not now.
    const endedHere: EndedJob[] = [];
    let mark = unfinishedSnapshot(draft);
    const markEnds = () => {
      endedHere.push(...endedJobs(mark, draft, now));
      mark = unfinishedSnapshot(draft);
    };
    const writes: SideWrite[] = [];
    const sink: SideWrites = {
      set: (path, data) => writes.push({ path, data }),
      delete: (path) => writes.push({ path, data: null }),
    };
    let result: unknown;
    try {
      result = await pending.change(draft, { now, markEnds, also: sink });
    } catch (err) {
      decisions.push({ pending, ok: false, error: err });
      continue;
    }
    if (result === NO_WRITE) {
      decisions.push({
        pending,
        ok: true,
        mutation: { written: false, reason: 'nothing-to-do', project: draft },
      });
    } else if (result instanceof Unchanged) {
      decisions.push({
        pending,
        ok: true,
        mutation: { written: false, reason: 'unchanged', value: result.value, project: draft },
      });
    } else if (result === DELETE_PROJECT) {
      // Deleting comes after the changes already made this round: it waits for the next one.
      if (write === 'update') return { write, project, decisions, ended, also, deferred: batch.slice(index) };
      decisions.push({ pending, ok: true, mutation: { written: true, deleted: true, project: draft } });
      return {
        write: 'delete',
        project,
        decisions,
        ended: endedJobs(unfinishedSnapshot(project), null, now),
        also: [],
        deferred: batch.slice(index + 1),
      };
    } else {
      draft.updated_at = now;
      draft.stats = computeStats(draft, now);
      try {
        checkSize(projectId, draft);
      } catch (err) {
        decisions.push({ pending, ok: false, error: err });
        continue;
      }
      markEnds();
      ended.push(...endedHere);
      also.push(...writes);
      project = draft;
      write = 'update';
      decisions.push({
        pending,
        ok: true,
        mutation: { written: true, deleted: false, value: result, project: draft },
      });
    }
  }
  return { write, project, decisions, ended, also, deferred: [] };
}

/** The round's one conditional write; false when another writer came first. */
async function commit(
  projectId: string,
  stored: StoredProject,
  plan: Plan,
  ended: EndedJob[],
  now: Timestamp,
): Promise<boolean> {
  if (plan.write === 'delete') return store.delete(projectId, stored.version);
  if (plan.write === 'none') return true;
  if (ended.length > 0) {
    addToProjectSpend(plan.project, ended);
    plan.project.stats = computeStats(plan.project, now);
  }
  return store.update(projectId, wholeDocument(stored.data, plan.project), stored.version, plan.also);
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
 * test/e2e/project-at-limits.test.ts); this guard turns any surprise into a clear refusal instead of a failed
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
