// Complete, valid sample data (every optional field present) shared by the schema tests.
import type { Mood, Project, ProjectDoc, TimestampLike } from '@reelforge/schema';

/** Stands in for a Firestore Timestamp: the structural part the schema relies on. */
export class FakeTimestamp implements TimestampLike {
  constructor(private readonly millis: number) {}
  toMillis(): number {
    return this.millis;
  }
  toDate(): Date {
    return new Date(this.millis);
  }
}

export const T0 = Date.parse('2025-03-01T10:00:00.000Z');
export const iso = (offsetSeconds: number): string => new Date(T0 + offsetSeconds * 1000).toISOString();
export const ts = (offsetSeconds: number): FakeTimestamp => new FakeTimestamp(T0 + offsetSeconds * 1000);

const SCENE_IDS = ['0b7c6f1e-4a43-4d2e-9a51-3c9c1f0e2a11', '5d2e8a90-1f3b-4c6d-8e7f-9a0b1c2d3e4f'] as const;

function mood(index: number): Mood {
  return {
    id: `mood_${index}`,
    name: `Mood ${index}`,
    description: 'Warm morning light over a quiet kitchen',
    visual_style: 'Soft film grain, shallow depth of field',
    color_palette: ['#f4e1c1', '#c97b4a', '#2e2a24'],
    mood_keywords: ['warm', 'calm', 'homely', 'natural', 'sunlit'],
    image_paths: [`projects/p1/moods/mood_${index}/0.png`, `projects/p1/moods/mood_${index}/1.png`],
  };
}

/** A project in wire form: ISO timestamps, two scenes with active jobs, three moods, one selected. */
export function wireProject(): Project {
  const moods = [mood(0), mood(1), mood(2)];
  return {
    id: 'p1',
    name: 'Morning Brew launch',
    description: 'Thirty second vertical spot',
    user_id: 'user_abc',
    created_at: iso(0),
    updated_at: iso(60),
    settings: {
      aspect_ratio: '9:16',
      resolution: '1080p',
      target_duration_seconds: 30,
      captions: true,
      transition: 'crossfade',
      transition_seconds: 0.5,
      end_card: true,
      end_card_seconds: 3,
      languages: ['en'],
    },
    storyboard: {
      id: 'sb1',
      title: 'Wake up to Morning Brew',
      creative_brief: {
        brand_name: 'Morning Brew',
        product_description: 'Single-origin cold brew in a can',
        target_audience: 'Urban commuters aged 25-40',
        key_message: 'Real coffee, ready when you are',
        tone: 'Upbeat and warm',
        notes: 'Show the can in the final shot',
      },
      selected_mood: moods[1] ?? null,
    },
    moods,
    active_job: {
      job_id: 'job_render_1',
      type: 'render',
      status: 'failed',
      progress: 40,
      started_at: iso(10),
      last_update: iso(20),
      attempt: 2,
      error_message: 'no progress for 20 minutes',
      provider_ref: 'render-op-1',
    },
    assets: { final_video_path: 'projects/p1/final/job_render_1.mp4', generated_at: iso(30) },
    scenes: SCENE_IDS.map((id, index) => ({
      id,
      scene_number: index + 1,
      title: `Scene ${index + 1}`,
      description: 'A hand reaches for the can on a sunlit counter',
      duration_seconds: index === 0 ? 5 : 7.5,
      shows_product: false,
      assets: {
        composition_path: `projects/p1/scenes/${id}/composition.json`,
        thumbnail_path: `projects/p1/scenes/${id}/image.png`,
        video_path: `projects/p1/scenes/${id}/video.mp4`,
        audio_path: `projects/p1/scenes/${id}/audio.mp3`,
        generated_at: iso(40 + index),
      },
      active_job: {
        job_id: `job_video_${index}`,
        type: 'video',
        status: 'processing',
        progress: 55,
        started_at: iso(41),
        last_update: iso(50 + index),
        attempt: 1,
        error_message: 'retrying after provider 503',
        provider_ref: `pred_${index}`,
        scene_id: id,
      },
      composition: {
        description: 'Close-up, can centered',
        styling: 'Warm grade',
        animation: 'Slow push-in',
        generated_at: iso(42),
      },
    })),
    stats: {
      total_scenes: 2,
      completed_scenes: 2,
      active_jobs: 2,
      last_activity: iso(51),
      oldest_active_update: iso(50),
      stale_at: iso(55),
      cost_usd: 0.42,
    },
  };
}

/** The same project as stored: every ISO string field that is a timestamp becomes a FakeTimestamp. */
export function docProject(): ProjectDoc {
  const toTs = (value: string): FakeTimestamp => new FakeTimestamp(Date.parse(value));
  const w = wireProject();
  // The fixture's jobs are not done in parts.
  const job = ({ lease_until, parts: _parts, ...j }: NonNullable<Project['active_job']>) => ({
    ...j,
    started_at: toTs(j.started_at),
    last_update: toTs(j.last_update),
    ...(lease_until ? { lease_until: toTs(lease_until) } : {}),
  });
  return {
    ...w,
    created_at: toTs(w.created_at),
    updated_at: toTs(w.updated_at),
    active_job: w.active_job ? job(w.active_job) : null,
    production: undefined,
    // The fixture is in one language.
    localizations: undefined,
    assets: { ...w.assets, generated_at: toTs(w.assets.generated_at ?? iso(0)) },
    scenes: w.scenes.map((scene) => ({
      ...scene,
      assets: { ...scene.assets, generated_at: toTs(scene.assets.generated_at ?? iso(0)) },
      active_job: scene.active_job ? job(scene.active_job) : null,
      composition: scene.composition
        ? { ...scene.composition, generated_at: toTs(scene.composition.generated_at) }
        : null,
    })),
    stats: {
      ...w.stats,
      last_activity: toTs(w.stats.last_activity),
      oldest_active_update: w.stats.oldest_active_update ? toTs(w.stats.oldest_active_update) : null,
      stale_at: w.stats.stale_at ? toTs(w.stats.stale_at) : null,
    },
  };
}
