// The checks a job start runs on the project (functions/src/jobs/start.ts, checkCanStart): each refusal is a
// domain error a client can act on, naming what is missing or busy.
import { describe, expect, it } from 'vitest';
import type { JobType } from '@reelforge/schema';
import { NotFound, PreconditionFailed } from '../../functions/src/errors.js';
import { checkCanStart } from '../../functions/src/jobs/start.js';
import { jobOn, sampleProject } from './support/memory-store.js';

const start = (project: ReturnType<typeof sampleProject>, type: JobType, sceneId?: string) =>
  checkCanStart(project, {
    type,
    ...(sceneId ? { sceneId } : {}),
  });

describe('start checks: scene jobs', () => {
  it('returns the scene a free scene job goes to', () => {
    const project = sampleProject(2);
    expect(start(project, 'composition', project.scenes[1]!.id)).toBe(project.scenes[1]);
  });

  it('an unknown scene is not found', () => {
    expect(() => start(sampleProject(), 'image', 'nope')).toThrow(NotFound);
  });

  it('a busy scene refuses a second job, naming the running one', () => {
    const project = sampleProject();
    const scene = project.scenes[0]!;
    scene.active_job = jobOn('video', { status: 'processing' }, scene);
    expect(() => start(project, 'audio', scene.id)).toThrow(/busy with a video job/);
  });

  it('a finished job does not keep the scene busy', () => {
    const project = sampleProject();
    const scene = project.scenes[0]!;
    scene.active_job = jobOn('video', { status: 'failed' }, scene);
    expect(start(project, 'audio', scene.id)).toBe(scene);
  });

  it.each(['storyboard', 'render'] as const)('waits for a running %s', (type) => {
    const project = sampleProject();
    project.active_job = jobOn(type, { status: 'processing' });
    expect(() => start(project, 'image', project.scenes[0]!.id)).toThrow(PreconditionFailed);
  });

  it('a video job needs the keyframe image first', () => {
    const project = sampleProject();
    const scene = project.scenes[0]!;
    expect(() => start(project, 'video', scene.id)).toThrow(/needs the scene's keyframe image first/);
    scene.assets.thumbnail_path = `projects/${project.id}/scenes/${scene.id}/image-1.png`;
    expect(start(project, 'video', scene.id)).toBe(scene);
  });
});

describe('start checks: project jobs', () => {
  it('one project-level job at a time', () => {
    const project = sampleProject();
    project.active_job = jobOn('moods', { status: 'queued' });
    expect(() => start(project, 'render')).toThrow(/busy with a mood board job/);
  });

  it('the storyboard needs a selected mood and no running scene job', () => {
    const project = sampleProject();
    expect(start(project, 'storyboard')).toBeUndefined();
    project.scenes[0]!.active_job = jobOn('image', { status: 'processing' }, project.scenes[0]);
    expect(() => start(project, 'storyboard')).toThrow(/still has a job running/);
    project.storyboard.selected_mood = null;
    expect(() => start(project, 'storyboard')).toThrow(/Select a mood/);
  });

  it('the render needs scenes, every video clip, and no running scene job', () => {
    expect(() => start(sampleProject(0), 'render')).toThrow(/no scenes/);
    const project = sampleProject(2);
    project.scenes[0]!.assets.video_path = 'projects/x/scenes/a/video-1.mp4';
    expect(() => start(project, 'render')).toThrow(/missing: scene 2 "Scene 2"/);
    project.scenes[1]!.assets.video_path = 'projects/x/scenes/b/video-1.mp4';
    expect(start(project, 'render')).toBeUndefined();
    project.scenes[1]!.active_job = jobOn('audio', { status: 'queued' }, project.scenes[1]);
    expect(() => start(project, 'render')).toThrow(/Wait for the running scene jobs/);
  });
});
