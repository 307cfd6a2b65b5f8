// Step 1: `stats.stale_at` for projects written before it existed. The stale sweep finds candidates only by
// an indexed range query on that field, so a stale job in such a project would never be rescued until
// something else wrote the project. Firestore cannot query for a missing field, so every project is read,
// a page at a time in document-id order, fetching only that field; the few that lack it are read whole and
// get all of their stats recomputed by the functions' own `computeStats`.
import { FieldPath, type Timestamp } from 'firebase-admin/firestore';
import type { ProjectDoc } from '@reelforge/schema';
import { computeStats } from '../../functions/src/projects/stats.js';
import { parseProject, projectsCol } from '../../functions/src/projects/store.js';
import { changeProject } from './project-write.js';

/** Projects read per page: bounded memory and request size whatever the number of projects. */
export const PAGE_SIZE = 300;

export interface StaleAtResult {
  scanned: number;
  /** Projects that got `stats.stale_at` (or would, in a dry run). */
  backfilled: number;
  /** Lacked it when listed, but a function wrote the project (and its stats) before the migration did. */
  writtenMeanwhile: number;
  /** Conditional writes lost to a concurrent function write, then redone on the fresh document. */
  raced: number;
  /** Projects that could not be migrated, with the reason (e.g. a document the schema refuses). */
  errors: string[];
}

/** Whether the stored document already carries the field (null counts: no unfinished job). */
export function hasStaleAt(data: Record<string, unknown> | undefined): boolean {
  const stats = data?.stats as Record<string, unknown> | undefined;
  return stats !== undefined && stats.stale_at !== undefined;
}

/**
 * The stats a project's next write would store, except `last_activity`, which keeps its stored value: the
 * migration is not activity, and clients show it.
 */
export function backfilledStats(project: ProjectDoc): ProjectDoc['stats'] {
  return computeStats(project, project.stats.last_activity as Timestamp);
}

/** The change of one project: its recomputed stats, or nothing when a write gave it `stale_at` meanwhile. */
export const staleAtChange = (projectId: string) => (data: Record<string, unknown>) =>
  hasStaleAt(data) ? null : { stats: backfilledStats(parseProject(projectId, data)) };

export async function backfillStaleAt(dryRun: boolean, pageSize = PAGE_SIZE): Promise<StaleAtResult> {
  const result: StaleAtResult = { scanned: 0, backfilled: 0, writtenMeanwhile: 0, raced: 0, errors: [] };
  let after: string | undefined;
  for (;;) {
    let query = projectsCol().orderBy(FieldPath.documentId()).select('stats.stale_at').limit(pageSize);
    if (after !== undefined) query = query.startAfter(after);
    const page = await query.get();
    result.scanned += page.size;
    for (const doc of page.docs) {
      if (hasStaleAt(doc.data())) continue;
      try {
        const { outcome, raced } = await changeProject(doc.id, staleAtChange(doc.id), dryRun);
        result.raced += raced;
        if (outcome === 'written') result.backfilled += 1;
        else if (outcome === 'unchanged') result.writtenMeanwhile += 1;
      } catch (err) {
        result.errors.push(`project ${doc.id}: ${(err as Error).message}`);
      }
    }
    if (page.size < pageSize) return result;
    after = page.docs[page.docs.length - 1]!.id;
  }
}
