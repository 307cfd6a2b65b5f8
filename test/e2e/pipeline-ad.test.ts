// The finished ad end to end over the emulators and the provider stand-in, kept lean (two short scenes):
// voiceover and music jobs through their callables, a render of two formats in one job, a re-render that
// changes only render settings and the logo with zero provider calls, a render whose settings change while
// it runs (it records, and shows, what it was made from), and the bad inputs of the new calls.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import ffprobe from '@ffprobe-installer/ffprobe';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LIMITS,
  VoiceoverTimingSchema,
  renderSettingsChanges,
  renderedFilePaths,
  renderSettingsOf,
  type ActiveJobDoc,
  type ProjectDoc,
} from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  fileUser,
  adminBucket,
  clearFirestore,
  expectHttpsError,
  listFiles,
  patchProject,
  readProjectOrFail,
} from './support/index.js';
import { holdEnqueues, runnerInProcess } from './pipeline/in-process.js';
import { expectCompleted, jobOf, projectWithStoryboard, runSceneJob, waitForJob } from './pipeline/jobs.js';
import { standin } from './pipeline/standin.js';

const run = promisify(execFile);
const LINES = ['Fresh coffee, every morning.', 'Taste the difference.'];
const PNG_1x1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

async function downloaded(path: string, dir: string): Promise<string> {
  const local = join(dir, path.replaceAll('/', '_'));
  await adminBucket().file(path).download({ destination: local });
  return local;
}

async function durationOf(path: string, dir: string): Promise<number> {
  const local = await downloaded(path, dir);
  const { stdout } = await run(ffprobe.path, [
    '-v',
    'error',
    '-show_entries',
    'format=duration',
    '-of',
    'csv=p=0',
    local,
  ]);
  return Number(stdout.trim());
}

/**
 * How much of a 9:16 frame at `at` seconds is sharp-edged: pixels whose right-hand neighbour differs by more
 * than a quarter of the grey scale. The stand-in's clips pan over blurred colour bands (almost none); a
 * burned-in caption, white with a dark outline, makes hundreds.
 */
async function sharpPixels(path: string, dir: string, at: number): Promise<number> {
  const local = await downloaded(path, dir);
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
  const [w, h] = [720, 1280];
  let sharp = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x + 1 < w; x++) {
      if (Math.abs(stdout[y * w + x]! - stdout[y * w + x + 1]!) > 64) sharp++;
    }
  }
  return sharp;
}

describe.skipIf(E2E_SKIP_REASON !== null)('the finished ad', () => {
  const alice = fileUser('ad');
  let dir: string;
  let project: ProjectDoc;

  beforeAll(async () => {
    await clearFirestore();
    await standin.clearFaults();
    dir = await mkdtemp(join(tmpdir(), 'reelforge-ad-e2e-'));
    project = await projectWithStoryboard(alice, 2);
    // 720p: these cases are about the ad's layers, not its size (the demo's test renders 1080p).
    await alice.call('updateProject', { project_id: project.id, settings: { resolution: '720p' } });
    // The storyboard wrote a line for every scene, sized to its length.
    expect(project.scenes.every((s) => (s.voiceover_text ?? '').length > 0)).toBe(true);
    // Short scenes with short lines keep the renders quick.
    for (const [i, scene] of project.scenes.entries()) {
      await alice.call('updateScene', {
        project_id: project.id,
        scene_id: scene.id,
        duration_seconds: 3,
        voiceover_text: LINES[i]!,
      });
    }
    project = await readProjectOrFail(project.id);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    // Everything the stand-in answered the functions here is what OpenAI's and Replicate's documents allow.
    expect(await standin.violations()).toEqual([]);
  });

  it('speaks every line, makes one music bed, and renders two formats from one job', async () => {
    await Promise.all(
      project.scenes.map(async (scene) => {
        await runSceneJob(alice, project.id, scene.id, 'image');
        await runSceneJob(alice, project.id, scene.id, 'video');
        const { project: voiced } = await runSceneJob(alice, project.id, scene.id, 'voiceover');
        const assets = voiced.scenes.find((s) => s.id === scene.id)!.assets;
        expect(assets.voiceover_path).toMatch(
          new RegExp(`^projects/${project.id}/scenes/${scene.id}/voiceover-.+\\.wav$`),
        );
        const [timing] = await adminBucket().file(assets.voiceover_timing_path!).download();
        const words = VoiceoverTimingSchema.parse(JSON.parse(timing.toString())).words;
        expect(words.map((w) => w.word).join(' ')).toBe(scene.voiceover_text);
      }),
    );
    const music = await alice.call('generateMusic', { project_id: project.id });
    const { project: withMusic } = await expectCompleted(project.id, music.job_id);
    expect(withMusic.assets.music_path).toMatch(new RegExp(`^projects/${project.id}/music/`));

    const render = await alice.call('renderProject', { project_id: project.id, formats: ['9:16', '1:1'] });
    const { project: rendered } = await expectCompleted(project.id, render.job_id, 120_000);
    const renders = rendered.assets.renders!;
    expect(Object.keys(renders).sort()).toEqual(['1:1', '9:16']);
    expect(rendered.assets.final_video_path).toBe(renders['9:16']!.video_path);
    // Each format records what it was made from: the project's settings, unchanged since.
    for (const format of ['9:16', '1:1'] as const) {
      expect(rendered.assets.render_settings?.[format], format).toEqual(renderSettingsOf(rendered));
    }
    // Each format's delivery pack is stored (MP4, SRT, VTT, poster) and its quality gate passed.
    const stored = await listFiles(`projects/${project.id}/renders/`);
    expect(stored.sort()).toEqual(Object.values(renders).flatMap(renderedFilePaths).sort());
    expect(stored.filter((path) => /\.(mp4|srt|vtt|jpg)$/.test(path))).toHaveLength(8);
    for (const format of ['9:16', '1:1'] as const) {
      const checks = renders[format]!.checks!;
      expect(checks.length, format).toBeGreaterThanOrEqual(12);
      expect(
        checks.filter((c) => !c.pass),
        format,
      ).toEqual([]);
    }
    // Two 3 s scenes and the 3 s end card.
    const expected = 3 + 3 + LIMITS.DEFAULT_END_CARD_SECONDS;
    expect(Math.abs((await durationOf(renders['1:1']!.video_path, dir)) - expected)).toBeLessThanOrEqual(0.1);
  });

  it('renders again after render-only changes with zero provider calls', async () => {
    await alice.call('updateProject', {
      project_id: project.id,
      settings: { captions: false, transition: 'cut', end_card_seconds: 2 },
    });
    const { project: withLogo } = await alice.call('setLogo', {
      project_id: project.id,
      image_base64: PNG_1x1,
    });
    expect(withLogo.assets.logo_path).toMatch(new RegExp(`^projects/${project.id}/brand/logo-.+\\.png$`));
    const before = await standin.stats();
    const render = await alice.call('renderProject', { project_id: project.id, formats: ['16:9'] });
    const { project: rendered } = await expectCompleted(project.id, render.job_id, 120_000);
    const after = await standin.stats();
    expect(after.requests.openai - before.requests.openai).toBe(0);
    expect(after.requests.replicate - before.requests.replicate).toBe(0);
    expect(Object.keys(rendered.assets.renders!).sort()).toEqual(['16:9', '1:1', '9:16']);
    // The new format is up to date; the earlier ones show what changed since they were made.
    const current = renderSettingsOf(rendered);
    const made = rendered.assets.render_settings!;
    expect(made['16:9']).toEqual(current);
    expect(made['16:9']).toMatchObject({
      captions: false,
      transition: 'cut',
      logo_path: withLogo.assets.logo_path,
    });
    expect(renderSettingsChanges(made['9:16']!, current).sort()).toEqual(
      ['captions', 'end_card_seconds', 'logo_path', 'transition'].sort(),
    );
    expect(
      Math.abs((await durationOf(rendered.assets.renders!['16:9']!.video_path, dir)) - 8),
    ).toBeLessThanOrEqual(0.1);
    // A client can fetch every format, the bed and the logo.
    const { urls } = await alice.call('getAssetUrls', { project_id: project.id });
    for (const path of [
      ...Object.values(rendered.assets.renders!).flatMap(renderedFilePaths),
      rendered.assets.music_path!,
      rendered.assets.logo_path!,
    ]) {
      expect(urls[path], path).toEqual(expect.any(String));
    }
  });

  it('records the settings it rendered from when they change while it renders', async () => {
    await alice.call('updateProject', {
      project_id: project.id,
      settings: { captions: true, end_card: true },
      creative_brief: { call_to_action: 'Order today' },
    });
    // A render job as renderProject leaves it, run below by the task runner in this process (its only
    // delivery), so that a settings change lands while it runs: just before the write that completes it.
    const jobId = randomUUID();
    const started = await patchProject(project.id, (p) => {
      const now = Timestamp.now();
      p.active_job = {
        job_id: jobId,
        type: 'render',
        status: 'queued',
        progress: 0,
        started_at: now,
        last_update: now,
        attempt: 0,
        options: { formats: ['9:16'] },
        lease_until: null,
      };
    });
    const snapshot = renderSettingsOf(started);
    expect(snapshot).toMatchObject({ captions: true, end_card: true, call_to_action: 'Order today' });

    const { runner, store, config } = await runnerInProcess();
    /** The render job's status in the document the settings change wrote. */
    let statusAtChange: string | undefined;
    // The format's part is recorded, and the job not yet completed from it.
    const partRecorded = (update: Record<string, unknown>) => {
      const job = update.active_job as ActiveJobDoc | undefined;
      return job?.job_id === jobId && job.parts?.['9:16']?.status === 'completed';
    };
    const restore = store.useProjectStore({
      ...store.firestoreProjectStore,
      async update(projectId, update, version) {
        if (statusAtChange === undefined && partRecorded(update)) {
          const { project: changed } = await alice.call('updateProject', {
            project_id: project.id,
            settings: { captions: false, end_card: false },
            creative_brief: { call_to_action: 'Visit us' },
          });
          statusAtChange = changed.active_job?.status ?? 'no job';
        }
        return store.firestoreProjectStore.update(projectId, update, version);
      },
    });
    // Every task runs here, in order: the fan-out, the format's part, the fan-in that completes the job.
    const queue = await holdEnqueues();
    try {
      await runner.runTask({ project_id: project.id, job_id: jobId, type: 'render' }, config.readJobConfig());
      expect(queue.tasks).toEqual([{ project_id: project.id, job_id: jobId, type: 'render', part: '9:16' }]);
      await runner.runTask(queue.tasks[0], config.readJobConfig());
      expect(queue.tasks).toHaveLength(2);
      await runner.runTask(queue.tasks[1], config.readJobConfig());
    } finally {
      queue.restore();
      restore();
    }

    // The change was written while the render was still running, and the render completed after it.
    expect(statusAtChange).toBe('processing');
    const after = await readProjectOrFail(project.id);
    expect(jobOf(after, jobId)?.status).toBe('completed');
    expect(after.settings).toMatchObject({ captions: false, end_card: false });
    // It records what it rendered from, not the settings at its completion...
    const made = after.assets.render_settings!['9:16']!;
    expect(made).toEqual(snapshot);
    expect(renderSettingsChanges(made, renderSettingsOf(after)).sort()).toEqual(
      ['call_to_action', 'captions', 'end_card', 'logo_path'].sort(),
    );
    // ...and that is what the video shows: the 2 s end card after the two 3 s scenes, and the first
    // word's caption burned in while it is spoken (the scene's first quarter second, before its voice, has
    // none).
    const video = after.assets.renders!['9:16']!.video_path;
    expect(Math.abs((await durationOf(video, dir)) - 8)).toBeLessThanOrEqual(0.1);
    const [timing] = await adminBucket().file(after.scenes[0]!.assets.voiceover_timing_path!).download();
    const first = VoiceoverTimingSchema.parse(JSON.parse(timing.toString())).words[0]!;
    const spoken = await sharpPixels(video, dir, 0.25 + (first.start + first.end) / 2);
    const silent = await sharpPixels(video, dir, 0.1);
    expect(spoken, `sharp pixels: ${spoken} with the caption, ${silent} before it`).toBeGreaterThan(
      silent + 200,
    );
  });

  /**
   * A render job of two formats as renderProject leaves it, whose tasks the test delivers itself in this
   * process: the fan-out, each format's part, the fan-in. `killedRecords` times, the write that would record
   * the 1:1 part fails (its worker killed just then): its files go, and its claim is left to lapse.
   */
  async function renderInParts(killedRecords: number) {
    const jobId = randomUUID();
    await patchProject(project.id, (p) => {
      const now = Timestamp.now();
      p.active_job = {
        job_id: jobId,
        type: 'render',
        status: 'queued',
        progress: 0,
        started_at: now,
        last_update: now,
        attempt: 0,
        options: { formats: ['9:16', '1:1'] },
        lease_until: null,
      };
    });
    const { runner, store, config } = await runnerInProcess();
    let kills = 0;
    const killedFiles: string[] = [];
    const restore = store.useProjectStore({
      ...store.firestoreProjectStore,
      async update(projectId, update, version) {
        const part = (update.active_job as ActiveJobDoc | undefined)?.parts?.['1:1'];
        if (part?.status === 'completed' && part.pack && kills < killedRecords) {
          kills += 1;
          killedFiles.push(...renderedFilePaths(part.pack));
          throw new Error('the worker was killed');
        }
        return store.firestoreProjectStore.update(projectId, update, version);
      },
    });
    const queue = await holdEnqueues();
    // A delivery that fails on a connection the emulators reset is delivered again, as Cloud Tasks would;
    // the injected kill is the one failure the test itself expects.
    const deliver = async (task: unknown): Promise<void> => {
      for (let tries = 1; ; tries++) {
        try {
          return await runner.runTask(task, config.readJobConfig());
        } catch (err) {
          if (!/ECONNRESET|socket hang up/.test(String(err)) || tries >= 3) throw err;
        }
      }
    };
    const lapse = () =>
      patchProject(project.id, (p) => {
        // Three heartbeats missed: the killed execution's claim is lost to the next delivery.
        p.active_job!.parts!['1:1']!.last_update = Timestamp.fromMillis(Date.now() - 10 * 60_000);
      });
    try {
      await deliver({ project_id: project.id, job_id: jobId, type: 'render' });
      const tasks = queue.tasks.splice(0) as { part?: string }[];
      expect(tasks.map((t) => t.part).sort()).toEqual(['1:1', '9:16']);
      const square = tasks.find((t) => t.part === '1:1');
      const fanned = jobOf(await readProjectOrFail(project.id), jobId)!;
      expect(Object.keys(fanned.parts ?? {}).sort()).toEqual(['1:1', '9:16']);
      expect(fanned).toMatchObject({ status: 'processing', lease_until: null });
      // The vertical format renders once, and its part alone says so.
      await deliver(tasks.find((t) => t.part === '9:16'));
      const half = jobOf(await readProjectOrFail(project.id), jobId)!;
      expect(half.parts!['9:16']).toMatchObject({ status: 'completed', attempt: 1, progress: 100 });
      expect(half.progress).toBe(50);
      expect(queue.tasks).toHaveLength(0);
      // The square one: killed as it records, then delivered again by Cloud Tasks after its claim lapsed.
      for (let attempt = 0; attempt <= killedRecords && queue.tasks.length === 0; attempt++) {
        if (attempt > 0) await lapse();
        await deliver(square).catch((err: unknown) => {
          expect(String(err)).toContain('the worker was killed');
        });
      }
      expect(queue.tasks).toHaveLength(1);
      await deliver(queue.tasks[0]);
    } finally {
      queue.restore();
      restore();
    }
    return { jobId, killedFiles, after: await readProjectOrFail(project.id) };
  }

  it('renders each format in its own task, retried alone, and completes once both are done', async () => {
    const before = await readProjectOrFail(project.id);
    const { jobId, killedFiles, after } = await renderInParts(1);
    const job = jobOf(after, jobId)!;
    expect(job.status).toBe('completed');
    expect(job.parts!['9:16']).toMatchObject({ status: 'completed', attempt: 1 });
    expect(job.parts!['1:1']).toMatchObject({ status: 'completed', attempt: 2 });
    // The finished job keeps each format's state only: its files are named by assets.renders now.
    expect(job.parts!['1:1']!.pack).toBeUndefined();
    const renders = after.assets.renders!;
    for (const format of ['9:16', '1:1'] as const) {
      const files = renderedFilePaths(renders[format]);
      expect(files).toHaveLength(4);
      expect(renderedFilePaths(before.assets.renders?.[format])).not.toEqual(files);
      for (const path of files) expect((await adminBucket().file(path).exists())[0]).toBe(true);
    }
    // What the killed attempt made is gone; nothing of it is named.
    expect(killedFiles).toHaveLength(4);
    for (const path of killedFiles) expect((await adminBucket().file(path).exists())[0]).toBe(false);
    // Two tasks, one ad: both formats run the same length (the two 3 s scenes, the card now off).
    const square = await durationOf(renders['1:1']!.video_path, dir);
    expect(Math.abs(square - 6)).toBeLessThanOrEqual(0.1);
    expect(Math.abs((await durationOf(renders['9:16']!.video_path, dir)) - square)).toBeLessThanOrEqual(0.05);
  });

  it('fails the render naming the format that failed for good, and deletes what the others made', async () => {
    const before = await readProjectOrFail(project.id);
    // Killed at both its attempts: its third delivery finds none left.
    const { jobId, after } = await renderInParts(2);
    const job = jobOf(after, jobId)!;
    expect(job.status).toBe('failed');
    expect(job.error_message).toMatch(/^The final render failed: the 1:1 format: the worker was stopped/);
    expect(job.parts!['1:1']).toMatchObject({ status: 'failed', attempt: 2 });
    // The vertical format's finished part: never named by the project, so deleted with the job.
    const made = renderedFilePaths(job.parts!['9:16']!.pack);
    expect(made).toHaveLength(4);
    for (const path of made) expect((await adminBucket().file(path).exists())[0]).toBe(false);
    // What the project delivered before is untouched.
    expect(after.assets.renders).toEqual(before.assets.renders);
  });

  it('refuses bad input naming the field, storing nothing', async () => {
    const id = project.id;
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;').toString('base64');
    await expectHttpsError(
      alice.call('setLogo', { project_id: id, image_base64: gif }),
      'invalid-argument',
      'image_base64',
    );
    const big = Buffer.concat([Buffer.from(PNG_1x1, 'base64'), Buffer.alloc(LIMITS.LOGO_MAX_BYTES)]).toString(
      'base64',
    );
    await expectHttpsError(
      alice.call('setLogo', { project_id: id, image_base64: big }),
      'invalid-argument',
      'image_base64',
    );
    expect(await listFiles(`projects/${id}/brand/`)).toHaveLength(1);
    await expectHttpsError(
      alice.call('renderProject', { project_id: id, formats: ['3:2'] as never }),
      'invalid-argument',
      'formats',
    );
    const scene = project.scenes[0]!;
    await expectHttpsError(
      alice.call('updateScene', {
        project_id: id,
        scene_id: scene.id,
        voiceover_text: 'x'.repeat(LIMITS.VOICEOVER_TEXT_MAX + 1),
      }),
      'invalid-argument',
      'voiceover_text',
    );
  });

  it('fails a voiceover that does not fit its scene, naming the scene, and a new line clears the old voice', async () => {
    const scene = project.scenes[1]!;
    const { scene: edited } = await alice.call('updateScene', {
      project_id: project.id,
      scene_id: scene.id,
      voiceover_text: 'This line is much too long to be spoken inside a scene of only three seconds.',
    });
    expect(edited.assets.voiceover_path).toBeUndefined();
    expect(edited.assets.voiceover_timing_path).toBeUndefined();
    const { job_id } = await alice.call('generateSceneAsset', {
      project_id: project.id,
      scene_id: scene.id,
      type: 'voiceover',
    });
    const { job } = await waitForJob(project.id, job_id);
    expect(job.status).toBe('failed');
    expect(job.error_message).toMatch(/scene 2 ".+".*shorten the line or lengthen the scene/);
    const after = await readProjectOrFail(project.id);
    expect(after.scenes[1]!.assets.voiceover_path).toBeUndefined();
  });
});
