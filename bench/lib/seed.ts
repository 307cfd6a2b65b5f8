// Projects written straight into Firestore with admin, in exactly the shape the functions write (validated
// by the schema before the write), so a benchmark starts at the step it measures instead of paying for
// mood boards and storyboards from the language model first.
import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { ProjectDocSchema, type ProjectDoc, type SceneJobType } from '@reelforge/schema';
import { newJob } from '../../functions/src/jobs/state.js';
import { adminDb, brief, projectDoc } from '../../test/e2e/support/index.js';

export interface SeedOptions {
  uid: string;
  scenes: number;
  name?: string;
  /** Each scene gets a job of this type in status `queued`, as `startJob` leaves it before its task runs. */
  queued?: SceneJobType;
}

export function projectData(id: string, options: SeedOptions): ProjectDoc {
  const now = Timestamp.now();
  const scenes = Array.from({ length: options.scenes }, (_, i) => {
    const sceneId = randomUUID();
    return {
      id: sceneId,
      scene_number: i + 1,
      title: `Scene ${i + 1}`,
      description: `A calm city at dawn, shot ${i + 1}: the can catches the first light.`,
      duration_seconds: 5,
      assets: {},
      ...(options.queued ? { active_job: newJob(options.queued, now, sceneId) } : {}),
    };
  });
  const active = options.queued ? options.scenes : 0;
  return ProjectDocSchema.parse({
    id,
    name: options.name ?? 'Benchmark project',
    user_id: options.uid,
    created_at: now,
    updated_at: now,
    settings: { aspect_ratio: '9:16', target_duration_seconds: 30 },
    storyboard: {
      id: randomUUID(),
      title: 'Benchmark storyboard',
      creative_brief: brief(),
      selected_mood: null,
    },
    moods: [],
    assets: {},
    scenes,
    stats: {
      total_scenes: options.scenes,
      completed_scenes: 0,
      active_jobs: active,
      last_activity: now,
      oldest_active_update: active > 0 ? now : null,
      stale_at: active > 0 ? now : null,
    },
  });
}

export async function seedProject(options: SeedOptions): Promise<ProjectDoc> {
  const id = adminDb().collection('projects').doc().id;
  const project = projectData(id, options);
  await projectDoc(id).set(project);
  return project;
}
