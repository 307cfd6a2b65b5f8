import { describe, expect, it } from 'vitest';
import {
  CALLABLES,
  CALLABLE_NAMES,
  CreateProjectRequestSchema,
  LIMITS,
  ReorderScenesRequestSchema,
  TaskPayloadSchema,
  UpdateProjectRequestSchema,
  UpdateSceneRequestSchema,
  zodIssuesToDetails,
} from '@reelforge/schema';
import type { CallableName } from '@reelforge/schema';
import { iso, wireProject } from './fixtures.js';

const project = wireProject();
const scene = project.scenes[0];
if (!scene) throw new Error('fixture has scenes');
const sceneId = scene.id;
const brief = project.storyboard.creative_brief;

const summary = {
  id: project.id,
  name: project.name,
  description: project.description,
  created_at: project.created_at,
  updated_at: project.updated_at,
  settings: project.settings,
  stats: project.stats,
  storyboard_title: project.storyboard.title,
  thumbnail_path: scene.assets.thumbnail_path,
  selected_mood_name: project.storyboard.selected_mood?.name,
};

/** One valid request and response per callable. */
const SAMPLES: Record<CallableName, { request: object; response: object }> = {
  createProject: {
    request: { name: 'Launch', description: 'd', creative_brief: brief, settings: { aspect_ratio: '16:9' } },
    response: { project },
  },
  listProjects: {
    request: { limit: 10, cursor: 'abc' },
    response: { projects: [summary], next_cursor: null },
  },
  getProject: { request: { project_id: 'p1' }, response: { project } },
  updateProject: {
    request: { project_id: 'p1', title: 'New title', creative_brief: { tone: 'Calm' }, settings: {} },
    response: { project },
  },
  deleteProject: { request: { project_id: 'p1' }, response: { project_id: 'p1', deleted: true } },
  selectMood: { request: { project_id: 'p1', mood_id: 'mood_1' }, response: { project } },
  addScene: {
    request: { project_id: 'p1', title: 'T', description: 'D', duration_seconds: 4.5, position: 1 },
    response: { scene },
  },
  updateScene: { request: { project_id: 'p1', scene_id: sceneId, duration_seconds: 3 }, response: { scene } },
  deleteScene: { request: { project_id: 'p1', scene_id: sceneId }, response: { project } },
  chooseTake: {
    request: { project_id: 'p1', scene_id: sceneId, asset: 'image', take_id: 'j1' },
    response: { scene },
  },
  pinTake: {
    request: { project_id: 'p1', scene_id: sceneId, asset: 'video', take_id: 'j1', pinned: true },
    response: { scene },
  },
  deleteTake: {
    request: { project_id: 'p1', scene_id: sceneId, asset: 'voiceover', take_id: 'j1' },
    response: { scene },
  },
  reorderScenes: { request: { project_id: 'p1', scene_ids: [sceneId, 'other'] }, response: { project } },
  getAssetUrls: {
    request: { project_id: 'p1' },
    response: { urls: { 'projects/p1/a.png': 'https://example.test/a.png' }, expires_at: iso(900) },
  },
  exchangeClerkToken: { request: { token: 'eyJ.a.b' }, response: { custom_token: 'ct', uid: 'user_abc' } },
  generateMoods: { request: { project_id: 'p1' }, response: { job_id: 'j1' } },
  generateStoryboard: { request: { project_id: 'p1', scene_count: 6 }, response: { job_id: 'j1' } },
  generateSceneAsset: {
    request: { project_id: 'p1', scene_id: sceneId, type: 'video' },
    response: { job_id: 'j1' },
  },
  regenerateSceneText: {
    request: { project_id: 'p1', scene_id: sceneId, instructions: 'shorter' },
    response: { job_id: 'j1' },
  },
  cancelJob: { request: { project_id: 'p1', job_id: 'j1' }, response: { job_id: 'j1', status: 'canceled' } },
  retryJob: { request: { project_id: 'p1', job_id: 'j1' }, response: { job_id: 'j2' } },
  renderProject: { request: { project_id: 'p1', formats: ['9:16', '1:1'] }, response: { job_id: 'j1' } },
  generateMusic: { request: { project_id: 'p1' }, response: { job_id: 'j1' } },
  translateProject: { request: { project_id: 'p1', language: 'es' }, response: { job_id: 'j1' } },
  setLogo: { request: { project_id: 'p1', image_base64: 'iVBORw0KGgo=' }, response: { project } },
  setProductImage: {
    request: { project_id: 'p1', upload_path: 'uploads/u1/images/shot.png' },
    response: { project },
  },
  setSceneClip: {
    request: { project_id: 'p1', scene_id: sceneId, upload_path: 'uploads/u1/clips/take-1.mp4' },
    response: { scene },
  },
  generateAll: {
    request: { project_id: 'p1', type: 'video', scene_ids: ['s1', 's2'] },
    response: { jobs: [{ scene_id: 's1', job_id: 'j1' }] },
  },
  estimateCost: {
    request: { project_id: 'p1', type: 'moods' },
    response: {
      estimated_usd: 0.05,
      jobs: [{ estimated_usd: 0.05 }],
      remaining_today_usd: 19.5,
      daily_budget_usd: 20,
    },
  },
  startProduction: {
    request: { project_id: 'p1', formats: ['9:16', '1:1'], from_brief: true, scene_count: 4 },
    response: { production_id: 'prod-1', estimate_usd: 1.25 },
  },
  estimateProduction: {
    request: { project_id: 'p1' },
    response: {
      estimate_usd: 0.5,
      steps: [{ type: 'composition', scene_id: 's1', estimated_usd: 0.5 }],
      remaining_today_usd: 19,
      daily_budget_usd: 20,
    },
  },
  cancelProduction: {
    request: { project_id: 'p1' },
    response: { production_id: 'prod-1', status: 'canceled' },
  },
  retryProduction: {
    request: { project_id: 'p1' },
    response: { production_id: 'prod-1', estimate_usd: 0.75 },
  },
  getUsage: {
    request: {},
    response: {
      usage: {
        active_jobs: 1,
        max_active_jobs: 10,
        max_projects: 100,
        daily_budget_usd: 20,
        reserved_usd: 0.2,
        spent_today_usd: 0.3,
        spent_month_usd: 4.1,
        remaining_today_usd: 19.5,
        day: '2026-11-25',
        month: '2026-11',
        as_of: '2026-11-25T21:00:00.000Z',
      },
    },
  },
};

describe('CALLABLES', () => {
  it('lists the 34 callables of the design (the 19 of the journey, generateMusic, translateProject, setLogo, the two upload attaches, generateAll, estimateCost, getUsage, the four of productions, and the three of takes)', () => {
    expect(CALLABLE_NAMES).toHaveLength(34);
    expect(Object.keys(SAMPLES).sort()).toEqual([...CALLABLE_NAMES].sort());
  });

  describe.each(CALLABLE_NAMES)('%s', (name) => {
    const { request, response } = CALLABLES[name];
    const sample = SAMPLES[name];

    it('accepts a valid request and response', () => {
      expect(request.safeParse(sample.request).error).toBeUndefined();
      expect(response.safeParse(sample.response).error).toBeUndefined();
    });

    it('refuses unknown keys in the request and the response', () => {
      const result = request.safeParse({ ...sample.request, surprise: true });
      expect(result.success).toBe(false);
      expect(zodIssuesToDetails(result.error!)).toContainEqual({
        path: 'surprise',
        message: 'unknown field',
      });
      expect(response.safeParse({ ...sample.response, surprise: true }).success).toBe(false);
    });

    it('refuses a non-object request', () => {
      expect(request.safeParse(null).success).toBe(false);
      expect(request.safeParse('p1').success).toBe(false);
    });
  });
});

describe('request bounds', () => {
  it('refuses bad ids', () => {
    const bad = ['', 'a/b', 'x'.repeat(LIMITS.ID_MAX + 1), 'a b', 42];
    for (const id of bad) {
      expect(CALLABLES.getProject.request.safeParse({ project_id: id }).success).toBe(false);
    }
  });

  it('reorderScenes: 1..20 unique ids', () => {
    const ids = Array.from({ length: LIMITS.MAX_SCENES + 1 }, (_, i) => `s${i}`);
    expect(ReorderScenesRequestSchema.safeParse({ project_id: 'p', scene_ids: ids }).success).toBe(false);
    expect(ReorderScenesRequestSchema.safeParse({ project_id: 'p', scene_ids: ids.slice(1) }).success).toBe(
      true,
    );
    expect(ReorderScenesRequestSchema.safeParse({ project_id: 'p', scene_ids: [] }).success).toBe(false);
    expect(
      ReorderScenesRequestSchema.safeParse({ project_id: 'p', scene_ids: ['a', 'b', 'a'] }).success,
    ).toBe(false);
  });

  it('scene durations and counts', () => {
    const base = { project_id: 'p', scene_id: 's' };
    expect(UpdateSceneRequestSchema.safeParse({ ...base, duration_seconds: 11 }).success).toBe(false);
    expect(UpdateSceneRequestSchema.safeParse({ ...base, duration_seconds: 0 }).success).toBe(false);
    const storyboard = CALLABLES.generateStoryboard.request;
    expect(storyboard.safeParse({ project_id: 'p', scene_count: 21 }).success).toBe(false);
    expect(storyboard.safeParse({ project_id: 'p', scene_count: 2.5 }).success).toBe(false);
    expect(CALLABLES.listProjects.request.safeParse({ limit: LIMITS.PAGE_SIZE_MAX + 1 }).success).toBe(false);
    expect(CALLABLES.generateSceneAsset.request.safeParse({ ...base, type: 'scene_text' }).success).toBe(
      false,
    );
  });

  it('trims strings and refuses blank or too-long names', () => {
    const ok = CreateProjectRequestSchema.parse({ name: '  Launch ', creative_brief: brief });
    expect(ok.name).toBe('Launch');
    expect(CreateProjectRequestSchema.safeParse({ name: '   ', creative_brief: brief }).success).toBe(false);
    const long = { name: 'x'.repeat(LIMITS.NAME_MAX + 1), creative_brief: brief };
    expect(CreateProjectRequestSchema.safeParse(long).success).toBe(false);
  });

  it('patches need at least one field', () => {
    const empty = UpdateProjectRequestSchema.safeParse({ project_id: 'p1' });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0]?.message).toMatch(/nothing to update/);
    expect(UpdateSceneRequestSchema.safeParse({ project_id: 'p', scene_id: 's' }).success).toBe(false);
    expect(UpdateProjectRequestSchema.safeParse({ project_id: 'p1', name: 'n' }).success).toBe(true);
  });
});

describe('zodIssuesToDetails', () => {
  it('joins nested paths with dots and keeps array indexes', () => {
    const result = CreateProjectRequestSchema.safeParse({
      name: 'n',
      creative_brief: { ...brief, tone: '' },
    });
    expect(zodIssuesToDetails(result.error!)).toEqual([
      { path: 'creative_brief.tone', message: expect.any(String) },
    ]);

    const ids = ReorderScenesRequestSchema.safeParse({
      project_id: 'p',
      scene_ids: ['a', 'b', 'c', 'bad id'],
    });
    expect(zodIssuesToDetails(ids.error!).map((d) => d.path)).toEqual(['scene_ids.3']);
  });

  it('reports an unknown nested key at its own path', () => {
    const result = CreateProjectRequestSchema.safeParse({
      name: 'n',
      creative_brief: { ...brief, colour: 'red' },
    });
    expect(zodIssuesToDetails(result.error!)).toEqual([
      { path: 'creative_brief.colour', message: 'unknown field' },
    ]);
  });
});

describe('TaskPayloadSchema', () => {
  it('ties scene_id to scene job types', () => {
    expect(
      TaskPayloadSchema.safeParse({ project_id: 'p', job_id: 'j', type: 'video', scene_id: 's' }).success,
    ).toBe(true);
    expect(TaskPayloadSchema.safeParse({ project_id: 'p', job_id: 'j', type: 'video' }).success).toBe(false);
    expect(TaskPayloadSchema.safeParse({ project_id: 'p', job_id: 'j', type: 'render' }).success).toBe(true);
    expect(
      TaskPayloadSchema.safeParse({ project_id: 'p', job_id: 'j', type: 'moods', scene_id: 's' }).success,
    ).toBe(false);
    expect(TaskPayloadSchema.safeParse({ project_id: 'p', job_id: 'j', type: 'render', x: 1 }).success).toBe(
      false,
    );
  });
});
