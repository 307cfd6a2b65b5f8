import { describe, expect, it } from 'vitest';
import {
  ActiveJobDocSchema,
  ActiveJobSchema,
  LIMITS,
  MoodSchema,
  ProjectDocSchema,
  ProjectSchema,
  ProjectSettingsSchema,
  SCENE_ASSET_FIELD,
  SceneSchema,
  TimestampLikeSchema,
  sceneIsComplete,
  sceneName,
} from '@reelforge/schema';
import { FakeTimestamp, docProject, iso, wireProject } from './fixtures.js';

describe('Project (wire)', () => {
  it('parses a complete project unchanged', () => {
    const project = wireProject();
    expect(ProjectSchema.parse(project)).toEqual(project);
  });

  it('refuses Firestore timestamps where ISO strings belong', () => {
    const project = { ...wireProject(), created_at: new FakeTimestamp(0) };
    expect(ProjectSchema.safeParse(project).success).toBe(false);
  });

  it('refuses a non-ISO date string', () => {
    expect(ProjectSchema.safeParse({ ...wireProject(), updated_at: 'yesterday' }).success).toBe(false);
  });

  it('accepts a missing or null active job and composition', () => {
    const project = wireProject();
    const [first] = project.scenes;
    if (!first) throw new Error('fixture has scenes');
    const { active_job: _job, composition: _composition, ...bare } = first;
    expect(SceneSchema.safeParse(bare).success).toBe(true);
    expect(SceneSchema.safeParse({ ...bare, active_job: null, composition: null }).success).toBe(true);
    expect(ProjectSchema.safeParse({ ...project, active_job: null }).success).toBe(true);
  });

  it('refuses unknown keys in an active job', () => {
    const job = wireProject().active_job;
    expect(ActiveJobSchema.safeParse({ ...job, extra: 1 }).success).toBe(false);
  });

  it('bounds progress, attempt and status', () => {
    const job = wireProject().active_job;
    expect(ActiveJobSchema.safeParse({ ...job, progress: 101 }).success).toBe(false);
    expect(ActiveJobSchema.safeParse({ ...job, attempt: -1 }).success).toBe(false);
    expect(ActiveJobSchema.safeParse({ ...job, status: 'running' }).success).toBe(false);
  });

  it('enforces scene limits: 21 scenes, 11 s, too-long name', () => {
    const project = wireProject();
    const scene = project.scenes[0];
    if (!scene) throw new Error('fixture has scenes');
    const many = Array.from({ length: LIMITS.MAX_SCENES + 1 }, (_, i) => ({ ...scene, scene_number: i + 1 }));
    expect(ProjectSchema.safeParse({ ...project, scenes: many }).success).toBe(false);
    expect(ProjectSchema.safeParse({ ...project, scenes: many.slice(0, LIMITS.MAX_SCENES) }).success).toBe(
      true,
    );
    expect(SceneSchema.safeParse({ ...scene, duration_seconds: 11 }).success).toBe(false);
    expect(SceneSchema.safeParse({ ...scene, duration_seconds: 0.5 }).success).toBe(false);
    expect(SceneSchema.safeParse({ ...scene, duration_seconds: 10 }).success).toBe(true);
    expect(ProjectSchema.safeParse({ ...project, name: 'x'.repeat(LIMITS.NAME_MAX + 1) }).success).toBe(
      false,
    );
  });

  it('checks mood palettes and keywords', () => {
    const mood = wireProject().moods[0];
    expect(MoodSchema.safeParse({ ...mood, color_palette: ['#fff', '#000000', '#111111'] }).success).toBe(
      false,
    );
    expect(MoodSchema.safeParse({ ...mood, color_palette: ['#000000', '#111111'] }).success).toBe(false);
    expect(MoodSchema.safeParse({ ...mood, mood_keywords: ['a', 'b', 'c', 'd'] }).success).toBe(false);
    expect(MoodSchema.safeParse({ ...mood, image_paths: ['a', 'b', 'c', 'd', 'e'] }).success).toBe(false);
  });

  it('fills settings defaults', () => {
    // A document written before the resolution setting existed reads as 1080p.
    expect(ProjectSettingsSchema.parse({})).toEqual({
      aspect_ratio: '9:16',
      resolution: '1080p',
      target_duration_seconds: LIMITS.DEFAULT_TARGET_DURATION,
      captions: true,
      transition: 'crossfade',
      transition_seconds: LIMITS.DEFAULT_TRANSITION_SECONDS,
      end_card: true,
      end_card_seconds: LIMITS.DEFAULT_END_CARD_SECONDS,
      // A document from before languages existed is in English, the one language there was.
      languages: ['en'],
    });
    expect(ProjectSettingsSchema.safeParse({ aspect_ratio: '4:3' }).success).toBe(false);
    expect(ProjectSettingsSchema.parse({ resolution: '720p' }).resolution).toBe('720p');
    expect(ProjectSettingsSchema.safeParse({ resolution: '4k' }).success).toBe(false);
    expect(ProjectSettingsSchema.safeParse({ transition: 'wipe' }).success).toBe(false);
    expect(ProjectSettingsSchema.safeParse({ end_card_seconds: 20 }).success).toBe(false);
  });
});

describe('ProjectDoc (Firestore)', () => {
  it('parses a complete document with timestamps', () => {
    const doc = docProject();
    const parsed = ProjectDocSchema.parse(doc);
    expect(parsed.scenes[1]?.active_job?.last_update.toMillis()).toBe(Date.parse(iso(51)));
  });

  it('refuses ISO strings where timestamps belong', () => {
    const doc = docProject();
    expect(ProjectDocSchema.safeParse({ ...doc, created_at: iso(0) }).success).toBe(false);
    const job = doc.active_job;
    expect(ActiveJobDocSchema.safeParse({ ...job, last_update: iso(0) }).success).toBe(false);
  });

  it('recognizes timestamp-like objects structurally', () => {
    expect(TimestampLikeSchema.safeParse(new FakeTimestamp(1)).success).toBe(true);
    expect(TimestampLikeSchema.safeParse({ toMillis: () => 1 }).success).toBe(false);
    expect(TimestampLikeSchema.safeParse(new Date()).success).toBe(false);
  });
});

describe('scene helpers', () => {
  it('names a scene by its number and title, the way every message does', () => {
    const [first, second] = docProject().scenes;
    expect(sceneName(first!)).toBe('scene 1 "Scene 1"');
    expect(sceneName({ ...second!, title: 'Pour' })).toBe('scene 2 "Pour"');
    // The number is the scene's own, not its place in whatever list it is in.
    expect([second!].map(sceneName)).toEqual(['scene 2 "Scene 2"']);
  });

  it('a scene is complete only with all four asset paths; the voiceover is optional', () => {
    const scene = wireProject().scenes[0];
    if (!scene) throw new Error('fixture has scenes');
    expect(sceneIsComplete(scene)).toBe(true);
    expect(scene.assets.voiceover_path).toBeUndefined();
    for (const field of Object.values(SCENE_ASSET_FIELD).filter((f) => f !== 'voiceover_path')) {
      const assets = { ...scene.assets, [field]: undefined };
      expect(sceneIsComplete({ ...scene, assets })).toBe(false);
    }
    // With a music bed the scene's own music is not needed; nothing else is excused.
    expect(sceneIsComplete({ ...scene, assets: { ...scene.assets, audio_path: undefined } }, true)).toBe(
      true,
    );
    expect(sceneIsComplete({ ...scene, assets: { ...scene.assets, video_path: undefined } }, true)).toBe(
      false,
    );
  });
});
