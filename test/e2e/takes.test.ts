// Takes end to end over the emulators and the provider stand-in (issue 26), kept lean: one 3 s scene at
// 720p. Every keyframe and clip is kept as a take with its cost; choosing an older one changes the render
// (measured on its frames) and marks a clip made from another keyframe out of date; a render records its
// takes and `from_render` makes the same frames from them again; the reconciliation keeps every kept take's
// files; deleting a take deletes exactly its files; deleting the project deletes every take.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  outdatedAssets,
  TakeDocSchema,
  type ProjectDoc,
  type SceneAssetType,
  type TakeDoc,
} from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  adminBucket,
  adminDb,
  expectHttpsError,
  fileUser,
  listFiles,
  patchProject,
  readProjectOrFail,
  uploadFile,
} from './support/index.js';
import { reconcile } from './pipeline/in-process.js';
import { expectCompleted, filesEventually, projectWithStoryboard, runSceneJob } from './pipeline/jobs.js';

const run = promisify(execFile);
const TWO_HOURS = 2 * 60 * 60 * 1000;
/** The project these takes are in has no product image: no keyframe is judged by one. */
const NO_PRODUCT_IMAGE = { assets: {} };

describe.skipIf(E2E_SKIP_REASON !== null)('every take kept', () => {
  const alice = fileUser('takes');
  let dir: string;
  let projectId: string;
  let sceneId: string;

  const takesOf = async (id = projectId): Promise<TakeDoc[]> => {
    const snap = await adminDb().collection('projects').doc(id).collection('takes').get();
    return snap.docs.map((d) => TakeDocSchema.parse(d.data()));
  };
  const scene = (p: ProjectDoc) => p.scenes.find((s) => s.id === sceneId)!;
  const take = (asset: SceneAssetType, jobId: string) =>
    ({ project_id: projectId, scene_id: sceneId, asset, take_id: jobId }) as const;

  /** A sha256 of the render's frames at 0.5, 1.5 and 2.5 s (grey, raw pixels): equal only for equal pictures. */
  async function framesOf(path: string): Promise<string> {
    const local = join(dir, path.replaceAll('/', '_'));
    await adminBucket().file(path).download({ destination: local });
    const hash = createHash('sha256');
    for (const at of [0.5, 1.5, 2.5]) {
      const { stdout } = await run(
        ffmpeg.path,
        [
          '-v',
          'error',
          '-ss',
          String(at),
          '-i',
          local,
          '-frames:v',
          '1',
          '-vf',
          'format=gray',
          '-f',
          'rawvideo',
          '-',
        ],
        { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
      );
      hash.update(stdout);
    }
    return hash.digest('hex');
  }

  async function render(options: { from_render?: '9:16' } = {}) {
    const { job_id } = await alice.call('renderProject', { project_id: projectId, ...options });
    const { project } = await expectCompleted(projectId, job_id, 180_000);
    const pack = project.assets.renders!['9:16']!;
    return { pack, frames: await framesOf(pack.video_path) };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reelforge-takes-e2e-'));
    const project = await projectWithStoryboard(alice, 1);
    projectId = project.id;
    sceneId = project.scenes[0]!.id;
    // A short, silent scene keeps the renders quick.
    await alice.call('updateScene', {
      project_id: projectId,
      scene_id: sceneId,
      duration_seconds: 3,
      voiceover_text: '',
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const jobs = { image: [] as string[], video: [] as string[] };
  const renders: { frames: string; video: string }[] = [];

  it('three keyframes give three takes with their costs; an edit keeps them', async () => {
    const first = await runSceneJob(alice, projectId, sceneId, 'image');
    jobs.image.push(first.job.job_id);
    jobs.video.push((await runSceneJob(alice, projectId, sceneId, 'video')).job.job_id);
    renders.push({ frames: (await render()).frames, video: jobs.video[0]! });
    // A new title clears the keyframe and the clip; their takes (and files) stay. Another mood's palette
    // makes the stand-in paint the next keyframes in other colours, so the clips differ to the eye.
    await alice.call('updateScene', { project_id: projectId, scene_id: sceneId, title: 'Second look' });
    const moods = await patchProject(projectId, (p) => {
      p.moods[1]!.color_palette = ['#e0301e', '#1e90e0', '#f2c500'];
    });
    await alice.call('selectMood', { project_id: projectId, mood_id: moods.moods[1]!.id });
    for (let i = 0; i < 2; i++)
      jobs.image.push((await runSceneJob(alice, projectId, sceneId, 'image')).job.job_id);
    const { project, job } = await runSceneJob(alice, projectId, sceneId, 'video');
    jobs.video.push(job.job_id);

    const takes = await takesOf();
    const images = takes
      .filter((t) => t.asset === 'image')
      .sort((a, b) => a.created_at.toMillis() - b.created_at.toMillis());
    expect(images.map((t) => t.take_id)).toEqual(jobs.image);
    for (const t of images) {
      expect(t.cost_usd).toBeGreaterThan(0);
      expect(t.paths).toEqual([t.files.thumbnail_path]);
    }
    // The last one is the scene's keyframe; the clip records the keyframe it animated.
    expect(scene(project).takes?.image?.chosen).toBe(jobs.image[2]);
    expect(scene(project).assets.thumbnail_path).toBe(images[2]!.files.thumbnail_path);
    const videos = takes.filter((t) => t.asset === 'video');
    expect(videos.find((t) => t.take_id === jobs.video[1])?.made_from).toEqual({ image: jobs.image[2] });
    // Every take's file is still stored.
    const files = await listFiles(`projects/${projectId}/`);
    for (const t of takes) expect(files).toEqual(expect.arrayContaining(t.paths));
    console.info(
      `takes: ${images.length} keyframes at $${images.map((t) => t.cost_usd.toFixed(4)).join(', $')}`,
    );
  });

  it('choosing an older take changes the render, and marks a clip from another keyframe out of date', async () => {
    const now = await render();
    expect(now.pack.takes).toEqual([{ scene_id: sceneId, video: jobs.video[1] }]);

    const chosen = await alice.call('chooseTake', take('image', jobs.image[0]!));
    expect(chosen.scene.takes?.image?.chosen).toBe(jobs.image[0]);
    expect(outdatedAssets(chosen.scene, NO_PRODUCT_IMAGE)).toEqual(['video']);
    const back = await alice.call('chooseTake', take('video', jobs.video[0]!));
    expect(outdatedAssets(back.scene, NO_PRODUCT_IMAGE)).toEqual([]);

    const older = await render();
    expect(older.pack.takes).toEqual([{ scene_id: sceneId, video: jobs.video[0] }]);
    // The first render was made from these very takes: same frames; the one from the newer clip differs.
    expect(older.frames).toBe(renders[0]!.frames);
    expect(older.frames).not.toBe(now.frames);
    renders.push(
      { frames: now.frames, video: jobs.video[1]! },
      { frames: older.frames, video: jobs.video[0]! },
    );
  });

  it('renders again from exactly the takes a render recorded: identical frames', async () => {
    // The newer clip chosen again, then the recorded render (made from the older one) asked for.
    await alice.call('chooseTake', take('video', jobs.video[1]!));
    const again = await render({ from_render: '9:16' });
    expect(again.pack.takes).toEqual([{ scene_id: sceneId, video: jobs.video[0] }]);
    expect(again.frames).toBe(renders[2]!.frames);
    expect(scene(await readProjectOrFail(projectId)).takes?.video?.chosen).toBe(jobs.video[0]);
  });

  it('the reconciliation keeps every kept take (pinned ones too) and deletes what nothing names', async () => {
    await alice.call('pinTake', { ...take('image', jobs.image[1]!), pinned: true });
    const stray = `projects/${projectId}/scenes/${sceneId}/image-stray.png`;
    await uploadFile(stray, 'nobody names this');
    const takes = await takesOf();
    await reconcile(new Date(Date.now() + TWO_HOURS));
    const files = await listFiles(`projects/${projectId}/`);
    expect(files).not.toContain(stray);
    for (const t of takes) expect(files).toEqual(expect.arrayContaining(t.paths));
    expect((await takesOf()).map((t) => t.take_id).sort()).toEqual(takes.map((t) => t.take_id).sort());
  });

  it("deletes exactly a take's files, never the chosen take", async () => {
    await expectHttpsError(alice.call('deleteTake', take('image', jobs.image[0]!)), 'failed-precondition');
    const before = await listFiles(`projects/${projectId}/`);
    const gone = (await takesOf()).find((t) => t.take_id === jobs.image[1])!;
    const { scene: after } = await alice.call('deleteTake', take('image', jobs.image[1]!));
    expect(after.takes?.image?.pinned ?? []).not.toContain(jobs.image[1]);
    const left = await filesEventually(
      () => listFiles(`projects/${projectId}/`),
      (f) => f.length === before.length - gone.paths.length,
    );
    expect(left).toEqual(before.filter((f) => !gone.paths.includes(f)));
    expect((await takesOf()).map((t) => t.take_id)).not.toContain(jobs.image[1]);
    await expectHttpsError(alice.call('chooseTake', take('image', jobs.image[1]!)), 'not-found');
  });

  it("deleting the project deletes every take and every take's file", async () => {
    expect((await takesOf()).length).toBeGreaterThan(0);
    await alice.call('deleteProject', { project_id: projectId });
    const left = await filesEventually(
      () => listFiles(`projects/${projectId}/`),
      (f) => f.length === 0,
      30_000,
    );
    expect(left).toEqual([]);
    const deadline = Date.now() + 30_000;
    while ((await takesOf()).length > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    expect(await takesOf()).toEqual([]);
  });
});
