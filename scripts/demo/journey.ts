// The demo's journey, as a function the entry point and the end-to-end test share: sign up, create a
// project from a brief, moods, select the first, storyboard, every scene's four assets at once (one job per
// scene at a time, each started when the listener sees the previous one complete), render, then download
// the ad and draw the contact sheet.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProjectDoc, SceneAssetType } from '@reelforge/schema';
import { loadBrief, type DemoOptions } from './args.js';
import { checkEmulators, connectClient, type DemoClient } from './client.js';
import { makeContactSheet } from './contact-sheet.js';
import { ProgressDisplay, formatDuration, type Output } from './display.js';
import { downloadUrl } from './download.js';
import { probeMedia, type Probe } from './probe.js';
import type { StepTiming } from './summary.js';
import { ProjectWatcher } from './watch.js';

export interface RunDemoOptions extends DemoOptions {
  /** Where progress goes; process.stdout by default. */
  out?: Output;
  /** The journey gives up after this long (a job that never finishes must not hang the demo). */
  timeoutMs?: number;
}

export interface DemoResult {
  project: ProjectDoc;
  videoFile: string;
  videoFileUrl: string;
  /** The emulator's URL of the final video (valid while the emulators run). */
  videoUrl: string;
  videoStoragePath: string;
  contactSheet: string;
  contactSheetLabeled: boolean;
  probe: Probe;
  steps: StepTiming[];
  jobs: number;
  totalMs: number;
}

const SCENE_STEPS = ['composition', 'image', 'video', 'audio'] as const satisfies readonly SceneAssetType[];
const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export async function runDemo(options: RunDemoOptions): Promise<DemoResult> {
  const out = options.out ?? process.stdout;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`the demo did not finish within ${formatDuration(timeoutMs)}; a job may be stuck.`)),
      timeoutMs,
    );
  });
  const display = new ProgressDisplay(out);
  const session: Session = { display, stopped: false };
  try {
    return await Promise.race([journey(options, session), deadline]);
  } finally {
    session.stopped = true;
    clearTimeout(timer);
    display.stop();
    session.watcher?.stop();
    await session.client?.close();
  }
}

/**
 * Starts a job, waiting while the user already runs USER_MAX_ACTIVE_JOBS jobs (more scenes than the limit
 * all start at once): what a client does with that refusal. Any other refusal (a budget) is final.
 */
async function whenASlotIsFree<T>(session: Session, start: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await start();
    } catch (err) {
      const { code, message } = err as { code?: string; message?: string };
      if (session.stopped || code !== 'functions/resource-exhausted' || !/jobs running/.test(message ?? ''))
        throw err;
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 1000));
    }
  }
}

interface Session {
  display: ProgressDisplay;
  client?: DemoClient;
  watcher?: ProjectWatcher;
  /** Set when the journey ends early, so the scene chains still running start no new jobs. */
  stopped: boolean;
}

async function journey(options: RunDemoOptions, session: Session): Promise<DemoResult> {
  const { display } = session;
  const started = Date.now();
  const steps: StepTiming[] = [];
  const step = async <T>(
    name: string,
    jobs: number,
    work: () => Promise<T>,
    details?: () => StepTiming['details'],
  ) => {
    display.setStep(name);
    const t0 = Date.now();
    const value = await work();
    const ms = Date.now() - t0;
    steps.push({ name, jobs, ms, ...(details ? { details: details() } : {}) });
    display.log(`✓ ${name} (${formatDuration(ms)})`);
    return value;
  };

  const request = await loadBrief(options);
  await checkEmulators();
  const client = await step('sign up a demo user', 0, connectClient);
  session.client = client;
  display.log(`  signed in as ${client.email}`);

  const { project: created } = await step('create the project', 0, () =>
    client.call('createProject', request),
  );
  const projectId = created.id;
  display.log(`  project ${projectId}: "${created.name}" (${created.settings.aspect_ratio})`);
  const watcher = await ProjectWatcher.start(client.db, projectId);
  session.watcher = watcher;
  watcher.onChange((p) => display.update(p));
  display.update(watcher.project);

  /** Starts a job through its callable and waits, on the listener, for it to complete. */
  const runJob = async (label: string, start: () => Promise<{ job_id: string }>) => {
    if (session.stopped) throw new Error('the demo stopped');
    const { job_id } = await start();
    return watcher.waitForJob(job_id, label);
  };

  const withMoods = await step('generate moods', 1, () =>
    runJob('moods', () => client.call('generateMoods', { project_id: projectId })),
  );
  const mood = withMoods.moods[0];
  if (!mood) throw new Error('the mood job completed without any mood');
  await step('select the first mood', 0, () =>
    client.call('selectMood', { project_id: projectId, mood_id: mood.id }),
  );
  display.log(`  mood "${mood.name}": ${mood.mood_keywords.join(', ')}`);

  const drafted = await step('draft the storyboard', 1, () =>
    runJob('storyboard', () =>
      client.call('generateStoryboard', { project_id: projectId, scene_count: options.scenes }),
    ),
  );
  const scenes = [...drafted.scenes].sort((a, b) => a.scene_number - b.scene_number);
  display.log(`  "${drafted.storyboard.title}": ${scenes.length} scenes, ${totalSeconds(drafted)} s`);

  const times = new Map<SceneAssetType, number[]>(SCENE_STEPS.map((t) => [t, []]));
  await step(
    'scene assets (all scenes at once)',
    scenes.length * SCENE_STEPS.length,
    () =>
      Promise.all(
        scenes.map(async (scene) => {
          // One job per scene at a time: each starts when the listener sees the previous one complete.
          for (const type of SCENE_STEPS) {
            const t0 = Date.now();
            await runJob(`scene ${scene.scene_number} ${type}`, () =>
              whenASlotIsFree(session, () =>
                client.call('generateSceneAsset', { project_id: projectId, scene_id: scene.id, type }),
              ),
            );
            times.get(type)!.push(Date.now() - t0);
          }
        }),
      ),
    () =>
      SCENE_STEPS.map((type) => {
        const list = times.get(type)!;
        return {
          name: type,
          jobs: list.length,
          ms: list.reduce((a, b) => a + b, 0) / Math.max(1, list.length),
        };
      }),
  );

  const rendered = await step('render the ad', 1, () =>
    runJob('render', () => client.call('renderProject', { project_id: projectId })),
  );
  const videoStoragePath = rendered.assets.final_video_path;
  if (!videoStoragePath) throw new Error('the render completed without a final video path');

  const outDir = resolve(options.outDir);
  const videoFile = join(outDir, 'final.mp4');
  const contactSheet = join(outDir, 'contact-sheet.png');
  const aspect = rendered.settings.aspect_ratio;
  let labeled = false;
  let videoUrl = '';
  await step('download the ad, draw the contact sheet', 0, async () => {
    await mkdir(outDir, { recursive: true });
    const { urls } = await client.call('getAssetUrls', { project_id: projectId });
    videoUrl = urls[videoStoragePath] ?? '';
    if (!videoUrl) throw new Error('getAssetUrls gave no URL for the final video');
    const work = await mkdtemp(join(tmpdir(), 'reelforge-demo-'));
    try {
      const ordered = [...rendered.scenes].sort((a, b) => a.scene_number - b.scene_number);
      const keyframes = await Promise.all(
        ordered.map(async (scene) => {
          const path = scene.assets.thumbnail_path;
          const url = path ? urls[path] : undefined;
          if (!url) return undefined;
          const file = join(work, `keyframe-${scene.scene_number}`);
          await downloadUrl(url, file);
          return file;
        }),
      );
      await downloadUrl(videoUrl, videoFile);
      ({ labeled } = await makeContactSheet({
        scenes: ordered.map((scene, i) => ({
          number: scene.scene_number,
          title: scene.title,
          durationSeconds: scene.duration_seconds,
          ...(keyframes[i] ? { image: keyframes[i] } : {}),
        })),
        aspect,
        output: contactSheet,
        workDir: work,
        heading: rendered.storyboard.title || rendered.name,
        subheading: `${rendered.name}  ·  ${ordered.length} scenes  ·  ${totalSeconds(rendered)} s  ·  ${aspect}`,
      }));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  const jobs = steps.reduce((sum, s) => sum + s.jobs, 0);
  return {
    project: rendered,
    videoFile,
    videoFileUrl: pathToFileURL(videoFile).href,
    videoUrl,
    videoStoragePath,
    contactSheet,
    contactSheetLabeled: labeled,
    probe: await probeMedia(videoFile),
    steps,
    jobs,
    totalMs: Date.now() - started,
  };
}

function totalSeconds(project: ProjectDoc): number {
  return Math.round(project.scenes.reduce((sum, s) => sum + s.duration_seconds, 0) * 10) / 10;
}
