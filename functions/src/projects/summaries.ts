// The user's projects as listProjects shows them: summaries, newest first, a page at a time. Only the
// fields a summary is made of are read (a field mask): not the moods, the brief, the project job or the
// assets. A mask cannot reach into the scenes array, and the thumbnail is the first scene's keyframe, so
// the scenes still come whole.
import { FieldPath, type Timestamp } from 'firebase-admin/firestore';
import { z } from 'zod';
import { ProjectDocSchema, toWire, type ProjectSummary, type ProjectSummaryDoc } from '@reelforge/schema';
import { projectsCol } from './store.js';

/** The only fields of a project a summary reads. */
export const SUMMARY_FIELDS = [
  'name',
  'description',
  'created_at',
  'updated_at',
  'settings',
  'stats',
  'storyboard.title',
  'storyboard.selected_mood.name',
  'scenes',
] as const;

const doc = ProjectDocSchema.shape;
/** The masked read, parsed with the document's own field schemas (unknown keys in a scene are dropped). */
const SummaryReadSchema = z.object({
  name: doc.name,
  description: doc.description,
  created_at: doc.created_at,
  updated_at: doc.updated_at,
  settings: doc.settings,
  stats: doc.stats,
  storyboard: z.object({
    title: doc.storyboard.shape.title,
    selected_mood: z.object({ name: z.string() }).nullable().optional(),
  }),
  scenes: z.array(z.object({ assets: z.object({ thumbnail_path: z.string().optional() }) })),
});

/** Where a page starts: the sort key of the previous page's last project. */
export interface SummaryCursor {
  created_at: Timestamp;
  id: string;
}

export interface SummaryPage {
  projects: ProjectSummary[];
  /** The sort key of this page's last project when another page follows, else null. */
  next: SummaryCursor | null;
}

export async function listSummaries(
  uid: string,
  pageSize: number,
  after?: SummaryCursor,
): Promise<SummaryPage> {
  let query = projectsCol()
    .where('user_id', '==', uid)
    .orderBy('created_at', 'desc')
    .orderBy(FieldPath.documentId(), 'desc')
    .select(...SUMMARY_FIELDS)
    .limit(pageSize + 1);
  if (after) query = query.startAfter(after.created_at, after.id);
  const snap = await query.get();
  const docs = snap.docs.slice(0, pageSize);
  const projects = docs.map((d) => summary(d.id, d.data()));
  const last = docs[docs.length - 1];
  const next =
    snap.docs.length > pageSize && last
      ? { created_at: last.get('created_at') as Timestamp, id: last.id }
      : null;
  return { projects, next };
}

function summary(id: string, data: unknown): ProjectSummary {
  const parsed = SummaryReadSchema.safeParse(data);
  // A document we cannot read is a bug or a manual edit; say which project so it can be found.
  if (!parsed.success) throw new Error(`Project ${id} does not match the schema: ${parsed.error.message}`);
  const p = parsed.data;
  const thumbnail = p.scenes[0]?.assets.thumbnail_path;
  const view: ProjectSummaryDoc = {
    id,
    name: p.name,
    ...(p.description !== undefined && { description: p.description }),
    created_at: p.created_at,
    updated_at: p.updated_at,
    settings: p.settings,
    stats: p.stats,
    storyboard_title: p.storyboard.title,
    ...(thumbnail !== undefined && { thumbnail_path: thumbnail }),
    ...(p.storyboard.selected_mood && { selected_mood_name: p.storyboard.selected_mood.name }),
  };
  return toWire(view) as ProjectSummary;
}
