// The production planner (functions/src/jobs/production/plan.ts), case by case on documents built in memory:
// what starts now, what waits, what is blocked, and when the production is over.
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import type { ProductionDoc, ProjectDoc } from '@reelforge/schema';
import { planProduction } from '../../functions/src/jobs/production/plan.js';
import { newProduction, priceProduction } from '../../functions/src/jobs/production/estimate.js';
import { jobOn, sampleProject } from './support/memory-store.js';
import { mood } from '../e2e/support/fixtures.js';
import { localizationBasis } from '../../functions/src/projects/localizations.js';

const ID = 'prod-1';
const production = (project: ProjectDoc, fields: Partial<ProductionDoc> = {}): ProductionDoc => ({
  ...newProduction(project, {}, ID, Timestamp.fromMillis(Date.now() - 60_000)),
  ...fields,
});
const steps = (plan: ReturnType<typeof planProduction>) =>
  plan.ready.map((s) => `${s.type}${s.sceneId ? `@${s.sceneId.slice(0, 4)}` : ''}`);
const withAll = (project: ProjectDoc, line = true) => {
  for (const s of project.scenes) {
    s.assets = { composition_path: 'c', thumbnail_path: 't', video_path: 'v', voiceover_path: 'w' };
    if (line) s.voiceover_text = 'Cold brew, ready.';
  }
  project.assets.music_path = 'm';
};

describe('production plan', () => {
  it('starts every scene on its first step and the bed beside them; never a scene music track', () => {
    const project = sampleProject(3);
    const plan = planProduction(project, production(project));
    expect(plan.ready.map((s) => s.type)).toEqual(['composition', 'composition', 'composition', 'music']);
    expect(plan.remaining.filter((s) => s.type === 'audio')).toEqual([]);
    // 3 scenes x 3 steps (no line, no voiceover), the bed, the render.
    expect(plan.steps_total).toBe(11);
    expect(plan.outcome).toBe('going');
  });

  it('takes each scene to its next missing step, one job per scene, voiceover only for a scene with a line', () => {
    const project = sampleProject(2);
    const [a, b] = project.scenes;
    a!.assets = { composition_path: 'c' };
    a!.voiceover_text = 'Hello.';
    b!.active_job = { ...jobOn('image', { production_id: ID }, b), status: 'processing' };
    const plan = planProduction(project, production(project));
    expect(plan.ready).toEqual([{ type: 'image', sceneId: a!.id }, { type: 'music' }]);
    expect(plan.running).toBe(1);
    expect(plan.remaining.filter((s) => s.sceneId === a!.id).map((s) => s.type)).toEqual([
      'image',
      'video',
      'voiceover',
    ]);
  });

  it('a scene with its own clip takes no composition, keyframe or video: only its voiceover, then the render', () => {
    const project = sampleProject(2);
    const [a, b] = project.scenes;
    a!.assets = { clip_path: 'projects/p/scenes/a/clip-1.mp4' };
    a!.voiceover_text = 'Hello.';
    const plan = planProduction(project, production(project));
    expect(plan.ready).toEqual([
      { type: 'voiceover', sceneId: a!.id },
      { type: 'composition', sceneId: b!.id },
      { type: 'music' },
    ]);
    expect(plan.remaining.filter((s) => s.sceneId === a!.id).map((s) => s.type)).toEqual(['voiceover']);
    // Once its voice is made the scene is done: the render needs no generated video for it.
    a!.assets.voiceover_path = 'w';
    b!.assets = { composition_path: 'c', thumbnail_path: 't', video_path: 'v' };
    project.assets.music_path = 'm';
    expect(planProduction(project, production(project)).ready.map((s) => s.type)).toEqual(['render']);
  });

  it('renders last, in the asked formats, once every scene and the bed are made and nothing runs', () => {
    const project = sampleProject(2);
    withAll(project);
    const prod = production(project, { formats: ['9:16', '1:1'] });
    expect(planProduction(project, prod).ready).toEqual([
      { type: 'render', options: { formats: ['9:16', '1:1'] } },
    ]);
    project.active_job = { ...jobOn('music'), status: 'processing' };
    expect(planProduction(project, prod).ready).toEqual([]);
  });

  it('is completed when its own render completed, not by an older one', () => {
    const project = sampleProject(1);
    withAll(project);
    const prod = production(project);
    project.active_job = { ...jobOn('render'), status: 'completed' };
    expect(planProduction(project, prod).outcome).toBe('going');
    project.active_job = { ...jobOn('render', { production_id: ID }), status: 'completed' };
    const plan = planProduction(project, prod);
    expect(plan.outcome).toBe('completed');
    expect(plan.steps_done).toBe(plan.steps_total);
  });

  it('a failed step blocks its scene and the render only; the others go on; failed once nothing can start', () => {
    const project = sampleProject(2);
    const [a, b] = project.scenes;
    a!.assets = { composition_path: 'c', thumbnail_path: 't' };
    a!.active_job = {
      ...jobOn('video', { production_id: ID, error_message: 'Video failed: refused.' }, a),
      status: 'failed',
    };
    const prod = production(project);
    let plan = planProduction(project, prod);
    expect(plan.blocked.map((x) => x.step)).toEqual(['video', 'render']);
    expect(plan.blocked[0]!.reason).toMatch(/scene 1 .*Video failed: refused\./);
    expect(plan.ready).toEqual([{ type: 'composition', sceneId: b!.id }, { type: 'music' }]);
    expect(plan.outcome).toBe('going');
    b!.assets = { composition_path: 'c', thumbnail_path: 't', video_path: 'v' };
    project.assets.music_path = 'm';
    plan = planProduction(project, prod);
    expect(plan.ready).toEqual([]);
    expect(plan.outcome).toBe('failed');
    // Resumed after the failure: the failure is forgiven and the video starts again.
    plan = planProduction(project, { ...prod, resumed_at: Timestamp.fromMillis(Date.now() + 1000) });
    expect(plan.ready).toEqual([{ type: 'video', sceneId: a!.id }]);
  });

  it('a job a person started is waited for, not taken for the production failing', () => {
    const project = sampleProject(1);
    withAll(project);
    project.scenes[0]!.assets.video_path = undefined;
    project.scenes[0]!.active_job = { ...jobOn('video', {}, project.scenes[0]), status: 'processing' };
    const plan = planProduction(project, production(project));
    expect(plan.ready).toEqual([]);
    expect(plan.outcome).toBe('going');
  });

  it('from the brief: moods, then the first mood selected with the storyboard, priced for the scenes it will draft', () => {
    const project = sampleProject(0);
    project.storyboard.selected_mood = null;
    const prod = production(project, { from_brief: true, scene_count: 4 });
    expect(steps(planProduction(project, prod))).toEqual(['moods']);
    project.moods = [mood({ name: 'First' }), mood({ name: 'Second' })];
    const plan = planProduction(project, prod);
    expect(plan.selectMoodId).toBe(project.moods[0]!.id);
    expect(plan.ready).toEqual([{ type: 'storyboard', options: { scene_count: 4 } }]);
    // The storyboard, 4 scenes x 4 steps, the bed and the render.
    expect(plan.remaining).toHaveLength(1 + 16 + 1 + 1);
    const priced = priceProduction(project, prod);
    expect(priced.estimate_usd).toBeGreaterThan(0);
    expect(priced.steps.filter((s) => s.type === 'video').every((s) => s.estimated_usd > 0)).toBe(true);
  });

  it('without a storyboard and not from the brief it cannot start anything and says so', () => {
    const project = sampleProject(0);
    const plan = planProduction(project, production(project));
    expect(plan.outcome).toBe('failed');
    expect(plan.blocked[0]!.reason).toMatch(/no storyboard yet/);
  });

  it('makes no bed when every scene already has its own music', () => {
    const project = sampleProject(2);
    for (const s of project.scenes) s.assets = { audio_path: 'a' };
    const plan = planProduction(project, production(project));
    expect(plan.ready.map((s) => s.type)).toEqual(['composition', 'composition']);
  });
});

describe('production plan after an edit', () => {
  it('a render made (or failed) before an edit cleared assets is stale: the scene is remade, then rendered again', () => {
    const project = sampleProject(1);
    withAll(project);
    const prod = production(project);
    project.scenes[0]!.assets.video_path = undefined;
    for (const status of ['completed', 'failed'] as const) {
      project.active_job = { ...jobOn('render', { production_id: ID }), status };
      const plan = planProduction(project, prod);
      expect(plan.outcome).toBe('going');
      expect(plan.blocked).toEqual([]);
      expect(plan.ready).toEqual([{ type: 'video', sceneId: project.scenes[0]!.id }]);
    }
  });

  describe('in more than one language', () => {
    const translated = (project: ProjectDoc, language: string) => {
      project.localizations = {
        ...project.localizations,
        [language]: {
          language,
          scenes: [],
          basis: localizationBasis(project, language),
          generated_at: Timestamp.now(),
        },
      };
    };

    it('translates each other language once the scenes are made, and renders after the translations', () => {
      const project = sampleProject(2);
      withAll(project);
      project.settings.languages = ['en', 'es', 'ja'];
      const prod = production(project);
      const plan = planProduction(project, prod);
      // Both are ready; the project's one slot takes the first, the advance the other after it.
      expect(plan.ready).toEqual([
        { type: 'translate', options: { language: 'es' } },
        { type: 'translate', options: { language: 'ja' } },
      ]);
      expect(plan.remaining.map((s) => s.type)).toEqual(['translate', 'translate', 'render']);
      translated(project, 'es');
      translated(project, 'ja');
      expect(planProduction(project, prod).ready.map((s) => s.type)).toEqual(['render']);
      // A line edited since makes that language's translation out of date again: translated again first.
      project.scenes[0]!.voiceover_text = 'Colder brew, ready.';
      expect(planProduction(project, prod).ready).toEqual([
        { type: 'translate', options: { language: 'es' } },
        { type: 'translate', options: { language: 'ja' } },
      ]);
    });

    it('a failed translation is blocked, holds the project slot, and the render waits for it', () => {
      const project = sampleProject(1);
      withAll(project);
      project.assets.music_path = undefined;
      project.settings.languages = ['en', 'es', 'de'];
      project.active_job = {
        ...jobOn('translate', { production_id: ID, options: { language: 'es' } }),
        status: 'failed',
        error_message: 'the Spanish (es) line of scene 1 takes 3.0 s to say even shortened',
      };
      const plan = planProduction(project, production(project));
      // Neither the bed nor German starts in its place: the failure stays on the project to be seen.
      expect(plan.ready).toEqual([]);
      expect(plan.blocked).toEqual([
        {
          step: 'translate',
          reason: 'The es translation: the Spanish (es) line of scene 1 takes 3.0 s to say even shortened',
        },
        { step: 'render', reason: 'The render waits for the blocked steps above.' },
      ]);
      expect(plan.outcome).toBe('failed');
    });

    it('a failed render does not hold the slot: a translation an edit made stale since still runs', () => {
      const project = sampleProject(1);
      withAll(project);
      project.settings.languages = ['en', 'es'];
      project.active_job = { ...jobOn('render', { production_id: ID }), status: 'failed' };
      const plan = planProduction(project, production(project));
      expect(plan.ready).toEqual([{ type: 'translate', options: { language: 'es' } }]);
    });
  });
});
