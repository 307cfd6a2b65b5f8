// The demo's journey, as a function the entry point and the end-to-end test share: sign up, create a
// project from a brief, moods, select the first, storyboard, every scene's five assets at once (one job per
// scene at a time, each started when the listener sees the previous one complete) with the music bed
// alongside, render the ad in its own format and one other in one job, then download both and draw the
// contact sheet from frames of the ad (captions showing) and its end card.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import {
  VoiceoverTimingSchema,
  type AspectRatio,
  type ProjectDoc,
  type SceneAssetType,
} from '@reelforge/schema';
import { loadBrief, type DemoOptions } from './args.js';
import { checkEmulators, connectClient, type DemoClient } from './client.js';
import { VOICE_LEAD_SECONDS } from '../../functions/src/render/ad-graph.js';
import { makeContactSheet, type SheetScene } from './contact-sheet.js';
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
  /** The same ad in the other format the demo renders. */
  otherFormat: AspectRatio;
  otherVideoFile: string;
  contactSheet: string;
  contactSheetLabeled: boolean;
  probe: Probe;
  steps: StepTiming[];
  jobs: number;
  totalMs: number;
}

const SCENE_STEPS = [
  'composition',
  'image',
  'video',
  'audio',
  'voiceover',
] as const satisfies readonly SceneAssetType[];
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
  let musicMs = 0;
  await step(
    'scene assets (all scenes at once) and the music bed',
    scenes.length * SCENE_STEPS.length + 1,
    () =>
      Promise.all([
        (async () => {
          const t0 = Date.now();
          await runJob('music', () => client.call('generateMusic', { project_id: projectId }));
          musicMs = Date.now() - t0;
        })(),
        ...scenes.map(async (scene) => {
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
      ]),
    () => [
      ...SCENE_STEPS.map((type) => {
        const list = times.get(type)!;
        return {
          name: type,
          jobs: list.length,
          ms: list.reduce((a, b) => a + b, 0) / Math.max(1, list.length),
        };
      }),
      { name: 'music', jobs: 1, ms: musicMs },
    ],
  );

  const own = drafted.settings.aspect_ratio;
  const otherFormat: AspectRatio = own === '9:16' ? '16:9' : '9:16';
  const rendered = await step(`render the ad (${own} and ${otherFormat})`, 1, () =>
    runJob('render', () =>
      client.call('renderProject', { project_id: projectId, formats: [own, otherFormat] }),
    ),
  );
  const videoStoragePath = rendered.assets.final_video_path;
  const otherStoragePath = rendered.assets.renders?.[otherFormat];
  if (!videoStoragePath || !otherStoragePath) throw new Error('the render completed without its videos');

  const outDir = resolve(options.outDir);
  const videoFile = join(outDir, 'final.mp4');
  const otherVideoFile = join(outDir, `final-${otherFormat.replace(':', 'x')}.mp4`);
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
      await downloadUrl(videoUrl, videoFile);
      await downloadUrl(urls[otherStoragePath] ?? '', otherVideoFile);
      // One frame per scene while its first caption is on screen (from the voiceover's word timings),
      // and one from the middle of the end card.
      const starts = ordered.map((_, i) =>
        ordered.slice(0, i).reduce((sum, s) => sum + s.duration_seconds, 0),
      );
      const start = starts.at(-1)! + ordered.at(-1)!.duration_seconds;
      const frames = await Promise.all(
        ordered.map(async (scene, i) => {
          const at = starts[i]! + (await captionMoment(scene.assets.voiceover_timing_path, urls, work));
          return frameAt(videoFile, at, join(work, `frame-${scene.scene_number}.png`));
        }),
      );
      const card = rendered.settings.end_card ? rendered.settings.end_card_seconds : 0;
      const tiles: SheetScene[] = ordered.map((scene, i) => ({
        number: scene.scene_number,
        title: scene.voiceover_text ? `“${scene.voiceover_text}”` : scene.title,
        durationSeconds: scene.duration_seconds,
        image: frames[i]!,
      }));
      if (card > 0) {
        tiles.push({
          number: ordered.length + 1,
          title:
            rendered.storyboard.creative_brief.call_to_action ??
            rendered.storyboard.creative_brief.brand_name,
          durationSeconds: card,
          image: await frameAt(videoFile, start + card / 2, join(work, 'frame-card.png')),
          label: `END CARD  ·  ${card} s`,
        });
      }
      ({ labeled } = await makeContactSheet({
        scenes: tiles,
        aspect,
        output: contactSheet,
        workDir: work,
        heading: rendered.storyboard.title || rendered.name,
        subheading: `${rendered.name}  ·  ${ordered.length} scenes + end card  ·  ${totalSeconds(rendered) + card} s  ·  ${aspect} (also ${otherFormat})`,
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
    otherFormat,
    otherVideoFile,
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

/** Seconds into a scene when its first caption is on screen: the middle of its first word as spoken,
 * after the voice's lead-in; the middle of the scene when it has no voice. */
async function captionMoment(
  timingPath: string | undefined,
  urls: Record<string, string>,
  work: string,
): Promise<number> {
  const url = timingPath ? urls[timingPath] : undefined;
  if (!url) return 1;
  const file = join(work, `timing-${timingPath!.split('/').at(-1)}`);
  await downloadUrl(url, file);
  const words = VoiceoverTimingSchema.parse(JSON.parse(await readFile(file, 'utf8'))).words;
  const first = words[0];
  return first ? VOICE_LEAD_SECONDS + (first.start + first.end) / 2 + 0.1 : 1;
}

async function frameAt(video: string, seconds: number, output: string): Promise<string> {
  await promisify(execFile)(ffmpeg.path, [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...['-ss', seconds.toFixed(2), '-i', video, '-frames:v', '1', output],
  ]);
  return output;
}
