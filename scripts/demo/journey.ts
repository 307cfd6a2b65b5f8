// The demo's journey, as a function the entry point and the end-to-end test share: sign up, create a
// project from a brief, then ONE `startProduction` call (from the brief: moods, the first mood, the
// storyboard, every scene's assets with the music bed alongside, the render in the project's own format and
// one other), which the backend carries out alone while the demo only watches the project document; then it
// downloads both videos and draws the contact sheet from frames of the ad (captions showing) and its end card.
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
  jobsOf,
  replacedInPlace,
  renderKey,
  type AspectRatio,
  type RenderCheck,
  type JobType,
  type ProductionDoc,
  type ProjectDoc,
} from '@reelforge/schema';
import { loadBrief, type DemoOptions } from './args.js';
import { checkEmulators, connectClient, type DemoClient } from './client.js';
import { VOICE_LEAD_SECONDS } from '../../functions/src/render/ad-graph.js';
import { makeContactSheet, type SheetScene } from './contact-sheet.js';
import { ProgressDisplay, formatDuration, type Output } from './display.js';
import { downloadUrl } from './download.js';
import { probeMedia, type Probe } from './probe.js';
import { productionLines, type StepTiming } from './summary.js';
import { ProjectWatcher } from './watch.js';
import { uploadToOwnFolder } from './upload.js';

export interface RunDemoOptions extends DemoOptions {
  /** Where progress goes; process.stdout by default. */
  out?: Output;
  /** The journey gives up after this long (a production that never ends must not hang the demo). */
  timeoutMs?: number;
}

export interface DemoResult {
  project: ProjectDoc;
  /** The finished production, as the project document holds it. */
  production: ProductionDoc;
  videoFile: string;
  videoFileUrl: string;
  /** The emulator's URL of the final video (valid while the emulators run). */
  videoUrl: string;
  videoStoragePath: string;
  /** The same ad in the other format the demo renders. */
  otherFormat: AspectRatio;
  otherVideoFile: string;
  /** Each format's delivery pack as downloaded (MP4, SRT, VTT, poster) and its quality gate. */
  packs: DeliveredFormat[];
  /** The ad in its own format in each other language (`--languages`): its MP4 and captions as downloaded. */
  languageFiles: { language: string; video: string; srt: string }[];
  contactSheet: string;
  contactSheetLabeled: boolean;
  probe: Probe;
  steps: StepTiming[];
  jobs: number;
  totalMs: number;
}

/** One format as the demo downloaded it. */
export interface DeliveredFormat {
  format: AspectRatio;
  video: string;
  srt: string;
  vtt: string;
  poster: string;
  checks: RenderCheck[];
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** The order a production from the brief runs its job types in (the summary's rows follow it). */
const RUN_ORDER: readonly JobType[] = [
  'moods',
  'storyboard',
  'composition',
  'image',
  'video',
  'voiceover',
  'audio',
  'music',
  'render',
];

export async function runDemo(options: RunDemoOptions): Promise<DemoResult> {
  const out = options.out ?? process.stdout;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the demo did not finish within ${formatDuration(timeoutMs)}; the production may be stuck.`,
          ),
        ),
      timeoutMs,
    );
  });
  const display = new ProgressDisplay(out);
  const session: Session = { display };
  try {
    return await Promise.race([journey(options, session), deadline]);
  } finally {
    clearTimeout(timer);
    display.stop();
    session.watcher?.stop();
    await session.client?.close();
  }
}

interface Session {
  display: ProgressDisplay;
  client?: DemoClient;
  watcher?: ProjectWatcher;
}

/**
 * Each production job's own times, read off the document as the listener sees it: from its creation
 * (`started_at`, when the backend queued it) to its completing write (`last_update` once `completed`, or its
 * successor's `started_at` when that write put the production's next step in its place). A job whose
 * completed state two writes coalesced away otherwise is still counted, without a time.
 */
class JobTimes {
  private readonly jobs = new Map<string, { type: JobType; startedAt: number; endedAt?: number }>();
  private previous: ProjectDoc | null = null;

  record(project: ProjectDoc): void {
    for (const { job, successor } of this.previous ? replacedInPlace(this.previous, project) : []) {
      const entry = this.jobs.get(job.job_id);
      if (entry && entry.endedAt === undefined) entry.endedAt = successor.started_at.toMillis();
    }
    this.previous = project;
    for (const job of jobsOf(project)) {
      if (!job.production_id) continue;
      const entry = this.jobs.get(job.job_id) ?? { type: job.type, startedAt: job.started_at.toMillis() };
      if (job.status === 'completed') entry.endedAt = job.last_update.toMillis();
      this.jobs.set(job.job_id, entry);
    }
  }

  /** Per job type, in the order the production runs them: how many, and their mean time. */
  byType(): NonNullable<StepTiming['details']> {
    const order = (type: JobType) => {
      const at = RUN_ORDER.indexOf(type);
      return at < 0 ? RUN_ORDER.length : at;
    };
    const types = [...new Set([...this.jobs.values()].map((j) => j.type))].sort(
      (a, b) => order(a) - order(b),
    );
    return types.map((type) => {
      const all = [...this.jobs.values()].filter((j) => j.type === type);
      const timed = all.flatMap((j) => (j.endedAt === undefined ? [] : [j.endedAt - j.startedAt]));
      const ms = timed.length ? timed.reduce((a, b) => a + b, 0) / timed.length : Number.NaN;
      return { name: type, jobs: all.length, ms };
    });
  }
}

async function journey(options: RunDemoOptions, session: Session): Promise<DemoResult> {
  const { display } = session;
  const started = Date.now();
  const steps: StepTiming[] = [];
  const step = async <T>(
    name: string,
    jobs: number | (() => number),
    work: () => Promise<T>,
    details?: () => StepTiming['details'],
  ) => {
    display.setStep(name);
    const t0 = Date.now();
    const value = await work();
    const ms = Date.now() - t0;
    steps.push({
      name,
      jobs: typeof jobs === 'number' ? jobs : jobs(),
      ms,
      ...(details ? { details: details() } : {}),
    });
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
  if (options.productImage) {
    const file = options.productImage;
    const { project: withImage } = await step('upload and attach the product image', 0, async () =>
      client.call('setProductImage', {
        project_id: projectId,
        upload_path: await uploadToOwnFolder(client.uid, file),
      }),
    );
    display.log(`  product image ${withImage.assets.product_image_path}`);
  }
  const watcher = await ProjectWatcher.start(client.db, projectId);
  session.watcher = watcher;
  const times = new JobTimes();
  watcher.onChange((p) => {
    times.record(p);
    display.update(p);
  });
  display.update(watcher.project);

  // The ad in its own format and one other, both from the one render job the production ends with.
  const own = created.settings.aspect_ratio;
  const otherFormat: AspectRatio = own === '9:16' ? '16:9' : '9:16';
  let production: ProductionDoc | undefined;
  const rendered = await step(
    `the production: from the brief to the ad in ${own} and ${otherFormat}, ${options.scenes} scenes`,
    () => production?.steps_done ?? 0,
    async () => {
      const t0 = Date.now();
      const { production_id, estimate_usd } = await client.call('startProduction', {
        project_id: projectId,
        from_brief: true,
        scene_count: options.scenes,
        formats: [own, otherFormat],
      });
      display.log(`  production ${production_id} started, estimated at $${estimate_usd.toFixed(4)}`);
      const done = await watcher.waitForProduction(production_id);
      production = done.production!;
      for (const line of productionLines(production, Date.now() - t0)) display.log(`  ${line}`);
      return done;
    },
    () => times.byType(),
  );
  const scenes = [...rendered.scenes].sort((a, b) => a.scene_number - b.scene_number);
  display.log(`  "${rendered.storyboard.title}": ${scenes.length} scenes, ${totalSeconds(rendered)} s`);
  const videoStoragePath = rendered.assets.final_video_path;
  const ownPack = rendered.assets.renders?.[rendered.settings.aspect_ratio];
  const otherPack = rendered.assets.renders?.[otherFormat];
  const otherStoragePath = otherPack?.video_path;
  if (!videoStoragePath || !ownPack || !otherPack || !otherStoragePath)
    throw new Error('the production completed without its videos');

  const outDir = resolve(options.outDir);
  const videoFile = join(outDir, 'final.mp4');
  const otherVideoFile = join(outDir, `final-${otherFormat.replace(':', 'x')}.mp4`);
  const contactSheet = join(outDir, 'contact-sheet.png');
  const aspect = rendered.settings.aspect_ratio;
  let labeled = false;
  let videoUrl = '';
  const languageFiles: DemoResult['languageFiles'] = [];
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
      // The same ad in each other language, in its own format, with its captions.
      for (const language of rendered.settings.languages.slice(1)) {
        const pack = rendered.assets.renders?.[renderKey(own, language)];
        const video = urls[pack?.video_path ?? ''];
        const srt = urls[pack?.srt_path ?? ''];
        if (!video || !srt) throw new Error(`the production completed without the ad in ${language}`);
        const stem = join(outDir, `final-${language}`);
        await downloadUrl(video, `${stem}.mp4`);
        await downloadUrl(srt, `${stem}.srt`);
        languageFiles.push({ language, video: `${stem}.mp4`, srt: `${stem}.srt` });
      }
      // Each format's captions and poster beside its video.
      for (const [pack, video] of [
        [ownPack, videoFile],
        [otherPack, otherVideoFile],
      ] as const) {
        const stem = video.replace(/\.mp4$/, '');
        const sidecars = [
          [pack.srt_path, `${stem}.srt`],
          [pack.vtt_path, `${stem}.vtt`],
          [pack.poster_path, `${stem}-poster.jpg`],
        ] as const;
        for (const [stored, local] of sidecars) {
          const url = stored ? urls[stored] : undefined;
          if (!url) throw new Error(`getAssetUrls gave no URL for ${local.split('/').at(-1)}`);
          await downloadUrl(url, local);
        }
      }
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
    production: production!,
    videoFile,
    videoFileUrl: pathToFileURL(videoFile).href,
    videoUrl,
    videoStoragePath,
    otherFormat,
    otherVideoFile,
    packs: [
      [rendered.settings.aspect_ratio, ownPack, videoFile] as const,
      [otherFormat, otherPack, otherVideoFile] as const,
    ].map(([format, pack, video]) => {
      const stem = video.replace(/\.mp4$/, '');
      return {
        format,
        video,
        srt: `${stem}.srt`,
        vtt: `${stem}.vtt`,
        poster: `${stem}-poster.jpg`,
        checks: pack.checks ?? [],
      };
    }),
    languageFiles,
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
