// Which project steps the studio offers now, and the reason it shows beside a step it does not.
import { describe, expect, it } from 'vitest';
import { ProjectSchema, type ActiveJob, type Project, type Scene } from '@reelforge/schema';
import { musicBlocker, renderBlocker, storyboardBlocker } from '../src/lib/readiness.js';

const T = '2026-11-25T10:00:00.000Z';
const MOOD = {
  id: 'm1',
  name: 'Neon',
  description: 'Night light',
  visual_style: 'cinematic',
  color_palette: ['#111111', '#ff7a45', '#f5e6d3'],
  mood_keywords: ['night', 'neon', 'warm', 'rain', 'glow'],
  image_paths: [],
};

function job(status: ActiveJob['status'], type: ActiveJob['type']): ActiveJob {
  return { job_id: `j-${type}`, type, status, progress: 10, started_at: T, last_update: T, attempt: 1 };
}

function scene(n: number, assets: Scene['assets'] = {}, active_job: ActiveJob | null = null): Scene {
  return {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    scene_number: n,
    title: `Scene ${n}`,
    description: 'A doorway glows.',
    duration_seconds: 3,
    shows_product: false,
    assets,
    active_job,
  };
}

/** A project as the listener delivers it, checked by the schema (so the fixture cannot drift from it). */
function project(over: { mood?: boolean; scenes?: Scene[]; active_job?: ActiveJob | null } = {}): Project {
  const scenes = over.scenes ?? [];
  return ProjectSchema.parse({
    id: 'p1',
    name: 'Glowbrew launch',
    user_id: 'u1',
    created_at: T,
    updated_at: T,
    settings: { aspect_ratio: '9:16', target_duration_seconds: 30 },
    storyboard: {
      id: 's1',
      title: '',
      creative_brief: {
        brand_name: 'Glowbrew',
        product_description: 'Cold brew',
        target_audience: 'Night shift',
        key_message: 'Stay bright',
        tone: 'Warm',
      },
      selected_mood: over.mood ? MOOD : null,
    },
    moods: [MOOD],
    active_job: over.active_job ?? null,
    assets: {},
    scenes,
    stats: {
      total_scenes: scenes.length,
      completed_scenes: 0,
      active_jobs: 0,
      last_activity: T,
      oldest_active_update: null,
    },
  });
}

const CLIP = { thumbnail_path: 'k.png', video_path: 'v.mp4' };

describe('storyboardBlocker', () => {
  it('asks for a mood first, then waits for running jobs', () => {
    expect(storyboardBlocker(project())).toMatch(/^Choose a mood first/);
    expect(storyboardBlocker(project({ mood: true }))).toBeUndefined();
    expect(storyboardBlocker(project({ mood: true, active_job: job('processing', 'music') }))).toBe(
      'Wait for the music job to end.',
    );
    expect(
      storyboardBlocker(project({ mood: true, scenes: [scene(1), scene(2, {}, job('queued', 'image'))] })),
    ).toBe('Drafting replaces every scene; wait for scene 2 to finish.');
  });

  it('offers a redraft once the last project job ended, whatever its end', () => {
    for (const status of ['completed', 'failed', 'canceled'] as const) {
      expect(
        storyboardBlocker(project({ mood: true, active_job: job(status, 'storyboard') })),
      ).toBeUndefined();
    }
  });
});

describe('musicBlocker', () => {
  it('waits for the storyboard and for the project job running', () => {
    expect(musicBlocker(project({ mood: true }))).toMatch(/^Draft the storyboard first/);
    expect(musicBlocker(project({ scenes: [scene(1)] }))).toBeUndefined();
    expect(musicBlocker(project({ scenes: [scene(1)], active_job: job('processing', 'render') }))).toBe(
      'Wait for the render job to end.',
    );
  });
});

describe('renderBlocker', () => {
  it('needs every scene’s clip and no job still changing them', () => {
    expect(renderBlocker(project())).toBe('Draft the storyboard first.');
    expect(renderBlocker(project({ scenes: [scene(1, CLIP), scene(2), scene(3)] }))).toBe(
      'Every scene needs its video clip first; missing: scenes 2, 3.',
    );
    expect(
      renderBlocker(project({ scenes: [scene(1, CLIP), scene(2, CLIP, job('processing', 'audio'))] })),
    ).toBe('Wait for scene 2 to finish.');
    expect(renderBlocker(project({ scenes: [scene(1, CLIP)], active_job: job('queued', 'moods') }))).toBe(
      'Wait for the moods job to end.',
    );
    expect(renderBlocker(project({ scenes: [scene(1, CLIP), scene(2, CLIP)] }))).toBeUndefined();
  });
});
