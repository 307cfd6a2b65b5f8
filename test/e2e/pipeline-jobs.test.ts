// Every job type end to end over the emulators and the provider stand-in: a callable starts it, a Cloud
// Task runs it, and afterwards Firestore holds paths and a completed job while Storage holds the files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  fileUser,
  adminBucket,
  expectHttpsError,
  listFiles,
  readProjectOrFail,
  projectDoc,
} from './support/index.js';
import {
  expectCompleted,
  filesEventually,
  projectWithStoryboard,
  runSceneJob,
  sceneFiles,
} from './pipeline/jobs.js';
import { standin } from './pipeline/standin.js';

describe.skipIf(E2E_SKIP_REASON !== null)('generation pipeline: each job type', () => {
  const alice = fileUser('pipeline');

  beforeAll(async () => {
    await standin.clearFaults();
  });
  afterAll(async () => {
    // Everything the stand-in answered the functions here is what OpenAI's and Replicate's documents allow.
    expect(await standin.violations()).toEqual([]);
  });

  it('moods: three moods with images in Storage, then storyboard: the asked number of scenes', async () => {
    const { project } = await alice.call('createProject', {
      name: 'Moods',
      creative_brief: {
        brand_name: 'Glacier',
        product_description: 'Sparkling mineral water from Alpine springs',
        target_audience: 'Urban professionals 25-40',
        key_message: 'Pure refreshment, naturally',
        tone: 'crisp, uplifting',
      },
    });
    const { job_id } = await alice.call('generateMoods', { project_id: project.id });
    // Visible in the document from the moment the callable returns.
    const queued = await readProjectOrFail(project.id);
    expect(queued.active_job).toMatchObject({ job_id, type: 'moods' });
    expect(queued.stats.active_jobs).toBe(1);

    const { project: done, job } = await expectCompleted(project.id, job_id);
    expect(job.progress).toBe(100);
    expect(done.moods).toHaveLength(LIMITS.MOODS_PER_PROJECT);
    const stored = await listFiles(`projects/${project.id}/moods/`);
    for (const mood of done.moods) {
      expect(mood.image_paths.length).toBeGreaterThanOrEqual(1);
      expect(mood.image_paths.length).toBeLessThanOrEqual(LIMITS.MAX_IMAGES_PER_MOOD);
      for (const path of mood.image_paths) {
        expect(path).toMatch(new RegExp(`^projects/${project.id}/moods/${mood.id}/`));
        expect(path).not.toMatch(/^https?:/);
        expect(stored).toContain(path);
      }
    }
    // The listing holds exactly the moods' images: nothing stored that the document does not name.
    expect(stored).toEqual(done.moods.flatMap((mood) => mood.image_paths).sort());
    const [meta] = await adminBucket().file(done.moods[0]!.image_paths[0]!).getMetadata();
    expect(meta.contentType).toBe('image/png');
    expect(done.stats).toMatchObject({ active_jobs: 0, oldest_active_update: null, stale_at: null });

    await expectHttpsError(
      alice.call('generateStoryboard', { project_id: project.id }),
      'failed-precondition',
    );
    await alice.call('selectMood', { project_id: project.id, mood_id: done.moods[1]!.id });
    const board = await alice.call('generateStoryboard', { project_id: project.id, scene_count: 4 });
    const { project: drafted } = await expectCompleted(project.id, board.job_id);
    expect(drafted.scenes).toHaveLength(4);
    expect(drafted.scenes.map((s) => s.scene_number)).toEqual([1, 2, 3, 4]);
    expect(drafted.storyboard.title).not.toBe('');
    const total = drafted.scenes.reduce((sum, s) => sum + s.duration_seconds, 0);
    expect(Math.abs(total - drafted.settings.target_duration_seconds)).toBeLessThanOrEqual(4);
    expect(drafted.stats.total_scenes).toBe(4);
  });

  it('composition, image, video and audio for one scene: four files, four paths, a complete scene', async () => {
    const project = await projectWithStoryboard(alice, 2);
    const scene = project.scenes[0]!;

    // Video animates the keyframe, so it refuses to start before the image exists.
    const noImage = await expectHttpsError(
      alice.call('generateSceneAsset', { project_id: project.id, scene_id: scene.id, type: 'video' }),
      'failed-precondition',
    );
    expect(noImage.message).toMatch(/keyframe image/);

    const composed = await runSceneJob(alice, project.id, scene.id, 'composition');
    const withComposition = composed.project.scenes[0]!;
    expect(withComposition.composition?.description).toBeTruthy();
    const compositionFile = adminBucket().file(withComposition.assets.composition_path!);
    const [json] = await compositionFile.download();
    expect(JSON.parse(json.toString())).toMatchObject({
      description: withComposition.composition!.description,
    });

    const image = await runSceneJob(alice, project.id, scene.id, 'image');
    expect(image.project.scenes[0]!.assets.thumbnail_path).toMatch(/\.png$/);

    // One job per scene at a time: a second start on a busy scene is refused.
    const { job_id: videoJob } = await alice.call('generateSceneAsset', {
      project_id: project.id,
      scene_id: scene.id,
      type: 'video',
    });
    const busy = await expectHttpsError(
      alice.call('generateSceneAsset', { project_id: project.id, scene_id: scene.id, type: 'audio' }),
      'failed-precondition',
    );
    expect(busy.message).toMatch(/busy with a video job/);
    const video = await expectCompleted(project.id, videoJob, 90_000);
    expect(video.project.scenes[0]!.assets.video_path).toMatch(/\.mp4$/);

    const audio = await runSceneJob(alice, project.id, scene.id, 'audio');
    const final = audio.project;
    const done = final.scenes[0]!;
    expect(
      Object.values(done.assets).filter((v) => typeof v === 'string' && v.startsWith('projects/')),
    ).toHaveLength(4);
    expect(final.stats).toMatchObject({ completed_scenes: 1, total_scenes: 2, active_jobs: 0 });

    // Exactly one file per asset: the job-id-derived paths, nothing else.
    const files = await sceneFiles(project.id, scene.id);
    expect(files.sort()).toEqual(
      [
        done.assets.composition_path,
        done.assets.thumbnail_path,
        done.assets.video_path,
        done.assets.audio_path,
      ].sort(),
    );
    for (const path of files) expect(path).toContain(done.id);
  });

  it('regenerating a scene text rewrites it and clears the assets made from the old text', async () => {
    const project = await projectWithStoryboard(alice, 2);
    const scene = project.scenes[1]!;
    await runSceneJob(alice, project.id, scene.id, 'composition');
    const { job_id } = await alice.call('regenerateSceneText', {
      project_id: project.id,
      scene_id: scene.id,
      instructions: 'Make it about the morning commute',
    });
    const { project: after, job } = await expectCompleted(project.id, job_id);
    const rewritten = after.scenes[1]!;
    expect(job.options).toEqual({ instructions: 'Make it about the morning commute' });
    expect(rewritten.id).toBe(scene.id);
    // The text is the model's rewrite, not the old one: the stand-in writes the user's ask into it.
    expect(rewritten.description).not.toBe(scene.description);
    expect(rewritten.description).toContain('Make it about the morning commute');
    expect(rewritten.title).not.toBe(scene.title);
    expect(rewritten.composition ?? null).toBeNull();
    expect(rewritten.assets.composition_path).toBeUndefined();
    // The composition made from the old text stays as a take of the scene, chosen no more (issue 26).
    expect(rewritten.takes?.composition?.chosen).toBeUndefined();
    const takes = await projectDoc(project.id).collection('takes').get();
    const kept = takes.docs.map((d) => d.get('paths') as string[]).flat();
    expect(kept).toHaveLength(1);
    expect(
      await filesEventually(
        () => sceneFiles(project.id, scene.id),
        (f) => f.length === 1,
      ),
    ).toEqual(kept);
  });
});
