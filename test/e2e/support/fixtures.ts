// Valid inputs and seeded states for tests: a creative brief, moods, running jobs.
import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import type {
  ActiveJobDoc,
  CreateProjectRequest,
  CreativeBrief,
  JobStatus,
  JobType,
  Mood,
} from '@reelforge/schema';

export function brief(overrides: Partial<CreativeBrief> = {}): CreativeBrief {
  return {
    brand_name: 'Glacier Cold Brew',
    product_description: 'Slow-steeped cold brew coffee in a recyclable can.',
    target_audience: 'Commuters aged 20-35 who want calm energy.',
    key_message: 'Smooth energy without the jitters.',
    tone: 'Calm, confident, a little playful',
    ...overrides,
  };
}

export function createProjectRequest(overrides: Partial<CreateProjectRequest> = {}): CreateProjectRequest {
  return { name: 'Glacier launch', description: 'Spring launch ad', creative_brief: brief(), ...overrides };
}

export function mood(overrides: Partial<Mood> = {}): Mood {
  const id = overrides.id ?? `mood-${randomUUID()}`;
  return {
    id,
    name: 'Morning mist',
    description: 'Soft light over a quiet city.',
    visual_style: 'Pastel, hazy, slow camera',
    color_palette: ['#dfe7ef', '#8aa1b4', '#2e3a46'],
    mood_keywords: ['calm', 'dawn', 'mist', 'city', 'fresh'],
    image_paths: [],
    ...overrides,
  };
}

/** A scene or project job as the job machinery would have written it. */
export function activeJob(
  type: JobType,
  status: JobStatus = 'processing',
  extra: Partial<ActiveJobDoc> = {},
): ActiveJobDoc {
  const now = Timestamp.now();
  return {
    job_id: `job-${randomUUID()}`,
    type,
    status,
    progress: status === 'completed' ? 100 : 40,
    started_at: now,
    last_update: now,
    attempt: 1,
    ...extra,
  };
}

export function sceneInput(n: number) {
  return { title: `Scene ${n}`, description: `What happens in scene ${n}.`, duration_seconds: 5 };
}
