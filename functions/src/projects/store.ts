// All writes to a project go through `mutateProject`: read the document, check ownership, let the caller
// change it in memory, recompute the derived fields, and write it back only if nobody wrote it in between.
//
// Why a compare-and-set on the document's update time rather than a Firestore transaction: the project
// document is hot (every job of the project writes to it), and a transaction holds a lock on it from its
// read to its commit. Under a few dozen concurrent writers, lock waits turn into "Transaction lock timeout"
// aborts that the SDK retries after a second or more of backoff (measured: 168 aborts and 70 s for six
// scenes' jobs on the emulator). A write with the `lastUpdateTime` precondition is the same atomic
// read-check-write for a single document, holds no lock, and a lost race is retried at once with the fresh
// document. The callback may therefore run more than once and must be a pure function of its input, whose
// decision is its return value.
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { ProjectDocSchema, type ProjectDoc } from '@reelforge/schema';
import { db } from '../firebase.js';
import { Contention, GRPC, LimitReached, NotFound, hasCode } from '../errors.js';
import { computeStats } from './stats.js';

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

/** Enough for 50 writers racing on one document (bench/hot-document), with jittered waits between rounds. */
const WRITE_ATTEMPTS = 40;

export interface MutationContext {
  now: Timestamp;
}

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
  /** Writes the update if the document is still at `version`; false when another write came first. */
  update(projectId: string, update: Record<string, unknown>, version: Timestamp): Promise<boolean>;
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
  update: (projectId, update, version) =>
    unlessRaced(projectRef(projectId).update(update, { lastUpdateTime: version })),
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

export interface MutateOptions {
  /** Owner check; `null` for trusted server-side callers (tasks, sweep, webhooks). */
  uid: string | null;
}

type Outcome<T> = T | Unchanged<T> | typeof NO_WRITE | typeof DELETE_PROJECT;

/**
 * Reads the project, lets `change` decide on it in memory, and writes the result back only if nobody
 * wrote in between; otherwise runs `change` again on the fresh document. What `change` decided is its
 * return value (the one of the run that was written), never a variable it set: an earlier run's
 * decision may have been about a document that no longer exists.
 */
export async function mutateProject<T>(
  projectId: string,
  opts: MutateOptions,
  change: (project: ProjectDoc, ctx: MutationContext) => Outcome<T> | Promise<Outcome<T>>,
): Promise<{ project: ProjectDoc; result: T | typeof NO_WRITE | typeof DELETE_PROJECT }> {
  for (let attempt = 1; ; attempt++) {
    const stored = await store.read(projectId);
    if (!stored || (opts.uid !== null && stored.data.user_id !== opts.uid)) throw new NotFound('Project');
    const project = parseProject(projectId, stored.data);
    const now = Timestamp.now();
    const result = await change(project, { now });
    if (result === NO_WRITE) return { project, result };
    if (result instanceof Unchanged) return { project, result: result.value as T };
    let written: boolean;
    if (result === DELETE_PROJECT) {
      written = await store.delete(projectId, stored.version);
    } else {
      project.updated_at = now;
      project.stats = computeStats(project, now);
      checkSize(projectId, project);
      written = await store.update(projectId, wholeDocument(stored.data, project), stored.version);
    }
    if (written) return { project, result };
    if (attempt >= WRITE_ATTEMPTS) throw new Contention(projectId, WRITE_ATTEMPTS);
    // Someone wrote first: wait a moment (jittered, so racing writers spread out) and redo on fresh data.
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(250, 10 * attempt)));
  }
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
