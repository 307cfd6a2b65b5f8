// Reading jobs off a project, one way for the functions, the studio, the demo and the tests: whether a job
// is unfinished, every job with its scene, a job by id; and the job type table the enums are made from.
import { describe, expect, it } from 'vitest';
import {
  FINISHED_JOB_STATUSES,
  JOB_STALE_MINUTES,
  JOB_TYPE_TABLE,
  JobStatusSchema,
  JobTypeSchema,
  SCENE_ASSET_FIELD,
  SceneAssetTypeSchema,
  findJob,
  isUnfinished,
  jobLocations,
  jobsOf,
} from '@reelforge/schema';
import { docProject, wireProject } from './fixtures.js';

describe('reading jobs off a project', () => {
  it('calls a job unfinished exactly while it is queued or processing', () => {
    for (const status of JobStatusSchema.options) {
      expect(isUnfinished({ status }), status).toBe(!FINISHED_JOB_STATUSES.includes(status as never));
    }
    expect(isUnfinished(null)).toBe(false);
    expect(isUnfinished(undefined)).toBe(false);
  });

  it('lists the project job first, then each scene job with its scene, in the stored and the wire form', () => {
    const ids = (found: { job: { job_id: string }; scene?: { id: string } }[]) =>
      found.map((loc) => [loc.job.job_id, loc.scene?.id]);
    const wire = wireProject();
    const stored = docProject();
    const expected = [['job_render_1', undefined], ...wire.scenes.map((s) => [s.active_job!.job_id, s.id])];
    expect(ids(jobLocations(wire))).toEqual(expected);
    expect(ids(jobLocations(stored))).toEqual(expected);
    expect(jobsOf(stored)).toEqual(jobLocations(stored).map((loc) => loc.job));
  });

  it('finds a job by id wherever it lives, and nothing for an id it does not hold', () => {
    const project = docProject();
    const scene = project.scenes[1]!;
    expect(findJob(project, 'job_render_1')).toEqual({ job: project.active_job });
    expect(findJob(project, scene.active_job!.job_id)).toEqual({ job: scene.active_job, scene });
    expect(findJob(project, 'other')).toBeUndefined();
    expect(findJob({ ...project, active_job: null, scenes: [] }, 'job_render_1')).toBeUndefined();
  });
});

describe('the job type table', () => {
  it('gives every job type a stale limit and every scene asset type the field it fills', () => {
    expect(Object.keys(JOB_TYPE_TABLE).sort()).toEqual([...JobTypeSchema.options].sort());
    for (const type of JobTypeSchema.options) expect(JOB_STALE_MINUTES[type]).toBeGreaterThan(0);
    expect(SceneAssetTypeSchema.options).toEqual(['composition', 'image', 'video', 'audio', 'voiceover']);
    expect(SCENE_ASSET_FIELD).toEqual({
      composition: 'composition_path',
      image: 'thumbnail_path',
      video: 'video_path',
      audio: 'audio_path',
      voiceover: 'voiceover_path',
    });
  });
});
