// The studio's "generate all" planner and render-format reading, on plain project values.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  JobStatusSchema,
  ProjectAssetsSchema,
  ProjectJobTypeSchema,
  type ActiveJob,
  type Project,
  type Scene,
} from '@reelforge/schema';
import {
  byAssetType,
  missingAssets,
  nextMissingAsset,
  planAutoAssets,
  plannedJobs,
  projectJobBusy,
} from '../src/lib/jobs.js';
import { enumChoices, renderedOutputs } from '../src/lib/formats.js';

const T = '2026-11-25T10:00:00.000Z';

function job(id: string, status: ActiveJob['status'], type: ActiveJob['type'] = 'image'): ActiveJob {
  return { job_id: id, type, status, progress: 0, started_at: T, last_update: T, attempt: 1 };
}

function scene(id: string, assets: Scene['assets'], active_job?: ActiveJob): Scene {
  return {
    id,
    scene_number: 1,
    title: id,
    description: 'd',
    duration_seconds: 3,
    shows_product: false,
    assets,
    active_job: active_job ?? null,
  };
}

function project(scenes: Scene[], assets: Project['assets'] = {}): Project {
  return {
    id: 'p',
    scenes,
    assets,
    settings: { aspect_ratio: '9:16', target_duration_seconds: 15 },
  } as unknown as Project;
}

const ALL = { composition_path: 'c', thumbnail_path: 'i', video_path: 'v', audio_path: 'a' };

describe('projectJobBusy', () => {
  // The backend refuses any project job while another is unfinished (jobs/start.ts), so moods, storyboard,
  // music bed and render are all busy by one rule: whatever the running job's type, and only while it runs.
  it.each(ProjectJobTypeSchema.options)('a %s job keeps every project step busy until it ends', (type) => {
    for (const status of JobStatusSchema.options) {
      const running = status === 'queued' || status === 'processing';
      expect(projectJobBusy({ active_job: job('j', status, type) }), status).toBe(running);
    }
  });

  it('is idle with no project job, whatever the scenes run', () => {
    expect(projectJobBusy({ active_job: null })).toBe(false);
    expect(projectJobBusy(project([scene('s1', {}, job('j', 'processing'))]))).toBe(false);
  });
});

describe('planAutoAssets', () => {
  it('starts each idle scene on its next missing asset, in pipeline order', () => {
    expect(nextMissingAsset(scene('a', {}))).toBe('composition');
    expect(nextMissingAsset(scene('a', { composition_path: 'c' }))).toBe('image');
    expect(nextMissingAsset(scene('a', { composition_path: 'c', thumbnail_path: 'i' }))).toBe('video');
    const p = project([
      scene('a', {}),
      scene('b', { composition_path: 'c', thumbnail_path: 'i', video_path: 'v' }),
    ]);
    const plan = planAutoAssets(
      p,
      new Map([
        ['a', undefined],
        ['b', undefined],
      ]),
      new Set(),
    );
    expect(plan).toEqual({
      start: [
        { sceneId: 'a', type: 'composition' },
        { sceneId: 'b', type: 'audio' },
      ],
      finished: [],
    });
  });

  it('waits on a running job or a call in flight, one job per scene', () => {
    const p = project([scene('a', {}, job('j1', 'processing')), scene('b', {})]);
    const plan = planAutoAssets(
      p,
      new Map([
        ['a', undefined],
        ['b', undefined],
      ]),
      new Set(['b']),
    );
    expect(plan).toEqual({ start: [], finished: [] });
  });

  it('stops a scene when it is complete, gone, or its new job failed; an old failure does not stop it', () => {
    const p = project([
      scene('done', ALL),
      scene('failed', {}, job('new', 'failed')),
      scene('old', {}, job('before', 'failed')),
    ]);
    const auto = new Map<string, string | undefined>([
      ['done', undefined],
      ['failed', 'before'],
      ['old', 'before'],
      ['gone', undefined],
    ]);
    const plan = planAutoAssets(p, auto, new Set());
    expect(plan.start).toEqual([{ sceneId: 'old', type: 'composition' }]);
    expect(plan.finished.sort()).toEqual(['done', 'failed', 'gone']);
  });
});

describe('generate all in batches', () => {
  it("lists a scene's missing assets in pipeline order, a voiceover only for a scene with a line", () => {
    expect(missingAssets(scene('a', {}))).toEqual(['composition', 'image', 'video', 'audio']);
    const spoken = { ...scene('a', { composition_path: 'c', video_path: 'v' }), voiceover_text: 'Hi.' };
    expect(missingAssets(spoken)).toEqual(['image', 'audio', 'voiceover']);
    expect(missingAssets({ ...scene('a', ALL), voiceover_text: '  ' })).toEqual([]);
  });

  it('groups starts by asset type, one generateAll call per type, types in pipeline order', () => {
    expect(
      byAssetType([
        { sceneId: 'a', type: 'video' },
        { sceneId: 'b', type: 'composition' },
        { sceneId: 'c', type: 'video' },
      ]),
    ).toEqual([
      ['composition', ['b']],
      ['video', ['a', 'c']],
    ]);
    expect(byAssetType([])).toEqual([]);
  });

  it('plans every missing asset of the named scenes for the estimate, skipping scenes that are gone', () => {
    const p = project([
      {
        ...scene('a', { composition_path: 'c', thumbnail_path: 'i', video_path: 'v' }),
        voiceover_text: 'Hi.',
      },
      scene('b', ALL),
    ]);
    expect(plannedJobs(p, ['a', 'b', 'gone'])).toEqual([
      { sceneId: 'a', type: 'audio' },
      { sceneId: 'a', type: 'voiceover' },
    ]);
  });
});

describe('render formats', () => {
  it('reads enum choices through optional and array wrappers', () => {
    expect(enumChoices(z.array(z.enum(['9:16', '16:9'])).optional())).toEqual(['9:16', '16:9']);
    expect(enumChoices(z.string())).toBeUndefined();
    expect(enumChoices(undefined)).toBeUndefined();
  });

  it('lists one render per format when the project records them, else the final video', () => {
    expect(renderedOutputs(project([], { final_video_path: 'f.mp4' }))).toEqual([
      ['9:16', { video_path: 'f.mp4' }],
    ]);
    // The schema's shape, checked by it: a render entry is a delivery pack; one written before the pack (a
    // bare storage path) reads as a pack with only its video.
    const pack = {
      video_path: 'projects/p/renders/a-9x16.mp4',
      srt_path: 'projects/p/renders/a-9x16.srt',
      vtt_path: 'projects/p/renders/a-9x16.vtt',
      poster_path: 'projects/p/renders/a-9x16.jpg',
      checks: [{ name: 'duration', measured: 8, limit: '8 ± 0.1', unit: 's', pass: true }],
    };
    const perFormat = ProjectAssetsSchema.parse({
      renders: { '9:16': pack, '16:9': 'projects/p/renders/a-16x9.mp4' },
    });
    expect(renderedOutputs(project([], perFormat))).toEqual([
      ['9:16', pack],
      ['16:9', { video_path: 'projects/p/renders/a-16x9.mp4' }],
    ]);
    expect(renderedOutputs(project([]))).toEqual([]);
  });
});
