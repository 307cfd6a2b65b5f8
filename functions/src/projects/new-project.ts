// The document a new project starts as (DESIGN.md "Data"): empty moods, scenes and assets, settings with
// their defaults, stats computed like on every other write.
import { randomUUID } from 'node:crypto';
import type { Timestamp } from 'firebase-admin/firestore';
import { ProjectSettingsSchema, type CreateProjectRequest, type ProjectDoc } from '@reelforge/schema';
import { computeStats } from './stats.js';

export interface NewProjectInput {
  id: string;
  uid: string;
  request: CreateProjectRequest;
  now: Timestamp;
}

export function newProject({ id, uid, request, now }: NewProjectInput): ProjectDoc {
  const project: ProjectDoc = {
    id,
    name: request.name,
    ...(request.description !== undefined && { description: request.description }),
    user_id: uid,
    created_at: now,
    updated_at: now,
    // Defaults come from the schema, so a field the request left out gets the documented default.
    // An empty disclaimer means none (the patch schema allows '' so that an update can remove one).
    settings: ProjectSettingsSchema.parse(
      definedOnly({ ...request.settings, disclaimer: request.settings?.disclaimer || undefined }),
    ),
    storyboard: { id: randomUUID(), title: '', creative_brief: request.creative_brief, selected_mood: null },
    moods: [],
    assets: {},
    scenes: [],
    stats: {
      total_scenes: 0,
      completed_scenes: 0,
      active_jobs: 0,
      last_activity: now,
      oldest_active_update: null,
      stale_at: null,
      cost_usd: 0,
    },
  };
  project.stats = computeStats(project, now);
  return project;
}

/** Copy without the keys whose value is undefined: a patch merged with it never erases a field. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
