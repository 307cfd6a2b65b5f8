// Many scenes at once on one hot project document: all six scenes of a project through composition,
// image, video and audio concurrently (one job per scene at a time, six scenes in parallel). Every job
// completes and no update is lost: each scene ends with its four paths and the stats add up.
import { beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP_REASON, fileUser, listFiles, readProjectOrFail } from './support/index.js';
import { projectWithStoryboard, runSceneJob } from './pipeline/jobs.js';
import { standin } from './pipeline/standin.js';

describe.skipIf(E2E_SKIP_REASON !== null)('generation pipeline: six scenes at once', () => {
  const client = fileUser('concurrent');

  beforeAll(async () => {
    await standin.clearFaults();
  });

  it('runs every asset of every scene concurrently without losing an update', async () => {
    const project = await projectWithStoryboard(client, 6);
    expect(project.scenes).toHaveLength(6);
    const started = Date.now();
    await Promise.all(
      project.scenes.map(async (scene) => {
        for (const type of ['composition', 'image', 'video', 'audio'] as const) {
          await runSceneJob(client, project.id, scene.id, type);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const final = await readProjectOrFail(project.id);
    for (const scene of final.scenes) {
      expect(scene.active_job?.status).toBe('completed');
      expect(scene.composition).toBeTruthy();
      const { composition_path, thumbnail_path, video_path, audio_path } = scene.assets;
      expect([composition_path, thumbnail_path, video_path, audio_path].every(Boolean)).toBe(true);
    }
    expect(final.stats).toMatchObject({
      total_scenes: 6,
      completed_scenes: 6,
      active_jobs: 0,
      oldest_active_update: null,
      stale_at: null,
    });
    // Four files per scene, no strays from retries or duplicate deliveries.
    expect(await listFiles(`projects/${project.id}/scenes/`)).toHaveLength(24);
    console.info(`six scenes x four assets: ${seconds.toFixed(1)} s`);
  });
});
