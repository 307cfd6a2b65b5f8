// All writes to a project go through `mutateProject`: one Firestore transaction that reads the document,
// checks ownership, lets the caller change it in memory, then recomputes derived fields and writes it back
// whole. Firestore retries the transaction on contention, so the callback must be a pure function of the
// document it is given.
import { Timestamp, type Transaction } from 'firebase-admin/firestore';
import { ProjectDocSchema, type ProjectDoc } from '@reelforge/schema';
import { db } from '../firebase.js';
import { notFound } from '../api/errors.js';
import { computeStats } from './stats.js';

export const PROJECTS = 'projects';
export const projectsCol = () => db().collection(PROJECTS);
export const projectRef = (projectId: string) => projectsCol().doc(projectId);

/** Returned by a mutation callback to leave the document untouched (a no-op, no write). */
export const NO_WRITE = Symbol('no-write');

const TRANSACTION_ATTEMPTS = 12;

export interface MutationContext {
  tx: Transaction;
  now: Timestamp;
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
export async function readOwnedProject(
  projectId: string,
  uid: string,
  tx?: Transaction,
): Promise<ProjectDoc> {
  const ref = projectRef(projectId);
  const snap = tx ? await tx.get(ref) : await ref.get();
  const data = snap.data();
  if (!snap.exists || !data || data.user_id !== uid) throw notFound('Project');
  return parseProject(projectId, data);
}

export interface MutateOptions {
  /** Owner check; `null` for trusted server-side callers (tasks, sweep, webhooks). */
  uid: string | null;
}

export async function mutateProject<T>(
  projectId: string,
  opts: MutateOptions,
  change: (project: ProjectDoc, ctx: MutationContext) => T | typeof NO_WRITE | Promise<T | typeof NO_WRITE>,
): Promise<{ project: ProjectDoc; result: T | typeof NO_WRITE }> {
  const ref = projectRef(projectId);
  // The project document is hot (every job of the project writes it); Firestore aborts contended
  // transactions and the client SDK retries them. Measured on the emulator, 20 writers on one document need
  // up to 7 attempts, so the default of 5 is too few.
  return db().runTransaction(
    async (tx) => {
      const snap = await tx.get(ref);
      const data = snap.data();
      if (!snap.exists || !data || (opts.uid !== null && data.user_id !== opts.uid))
        throw notFound('Project');
      const project = parseProject(projectId, data);
      const now = Timestamp.now();
      const result = await change(project, { tx, now });
      if (result === NO_WRITE) return { project, result };
      project.updated_at = now;
      project.stats = computeStats(project, now);
      tx.set(ref, project);
      return { project, result };
    },
    { maxAttempts: TRANSACTION_ATTEMPTS },
  );
}
