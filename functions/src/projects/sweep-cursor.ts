// The paging decision of the reconciliations that walk a keyspace a slice per run (storage prefixes by
// project id, usage records by uid): where a run starts, how much it takes, and where the next one starts.
// A run that reaches the end wraps the cursor back to the start, so every key is reached within a bounded
// number of runs however many there are, and a run cut short by its time budget resumes where it stopped.
// The decisions are pure; the cursor itself is kept in `sweep_state/{name}` (loadCursor, saveCursor).
import { FieldValue } from 'firebase-admin/firestore';
import { db } from '../firebase.js';

/** Keys strictly after `cursor` (null: from the start), in the order the run walks them. */
export function afterCursor(keys: readonly string[], cursor: string | null): string[] {
  const sorted = [...new Set(keys)].sort(compareKeys);
  return cursor === null ? sorted : sorted.filter((key) => compareKeys(key, cursor) > 0);
}

/** Plain code-unit order: the order of a Firestore document id query and of GCS listings for the ASCII ids
 * `IdSchema` allows. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface Slice {
  /** What this run works on, in order. */
  take: string[];
  /** Whether nothing lies beyond `take`: a run that finishes it wraps around. */
  last: boolean;
}

/**
 * This run's share of the keys listed after the cursor: at most `limit`. `more` says whether the listing
 * stopped before the end of the keyspace (a further page exists), in which case the slice is never last.
 */
export function sliceAfter(listed: readonly string[], limit: number, more: boolean): Slice {
  const take = listed.slice(0, Math.max(0, limit));
  return { take, last: !more && take.length === listed.length };
}

/**
 * Where the next run starts, given the keys this run finished in order (a prefix of the slice's `take`,
 * shorter when the time budget stopped it). A finished last slice wraps around (null); otherwise the next
 * run starts after the last key done, or where this one started if it did none.
 */
export function nextCursor(slice: Slice, done: readonly string[], started: string | null): string | null {
  if (slice.last && done.length === slice.take.length) return null;
  return done[done.length - 1] ?? started;
}

/** Whether a run that started at `startedMs` may begin another item: it stops before its function's
 * timeout, leaving the rest to the next run. */
export function withinBudget(startedMs: number, nowMs: number, budgetMs: number): boolean {
  return nowMs - startedMs < budgetMs;
}

/** The persisted place of one reconciliation in its keyspace: `sweep_state/{name}`, `{ after }`. */
const stateRef = (name: string) => db().collection('sweep_state').doc(name);

export async function loadCursor(name: string): Promise<string | null> {
  const after: unknown = (await stateRef(name).get()).get('after');
  return typeof after === 'string' && after !== '' ? after : null;
}

export async function saveCursor(name: string, after: string | null): Promise<void> {
  await stateRef(name).set({ after: after ?? '', updated_at: FieldValue.serverTimestamp() });
}
