// Downloads everything a render reads into its temp folder, a few files at a time: every scene's clip,
// audio, voiceover and word timings, the music bed and the logo. On the first failure the other downloads
// are stopped and awaited, so nothing is still writing into the folder when it is removed.
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { VoiceoverTimingSchema, type RenderSettings } from '@reelforge/schema';
import { HTTP_NOT_FOUND, PermanentJobError, hasCode } from '../errors.js';
import { voiceRoom, type AdScene, type AdSpec } from './ad-graph.js';
import type { PlannedScene } from './plan.js';
import { downloadFile, storedSize } from '../storage/transfer.js';
// The per-file cap is the one a video output is held to when it is stored: one number, not two.
import { MAX_VIDEO_BYTES } from '../providers/output-fetch.js';

const CONCURRENCY = 4;

/**
 * What a render may download. jobs-render (render/function-size.ts) has 8 GiB and its /tmp counts against
 * it: the inputs, the output (about as large as the inputs) and ffmpeg's own working memory (about 1.5 GiB
 * for a 1080p encode of 20 inputs) must all fit, so the inputs together get 512 MiB and no single file more
 * than 200 MiB.
 */
export const RENDER_INPUT_LIMITS = { totalBytes: 512 * 1024 * 1024, fileBytes: MAX_VIDEO_BYTES } as const;

export interface SizedInput {
  /** What the file is, for a person: `the video clip of scene 2 "Pour"`. */
  what: string;
  bytes: number;
}

/** Why these inputs cannot be rendered within the function's memory, or undefined when they can. */
export function inputSizeProblem(
  inputs: readonly SizedInput[],
  limits: { totalBytes: number; fileBytes: number } = RENDER_INPUT_LIMITS,
): string | undefined {
  const mib = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MiB`;
  const big = inputs.find((input) => input.bytes > limits.fileBytes);
  if (big) {
    return `${big.what} is ${mib(big.bytes)}, over the ${mib(limits.fileBytes)} a render can take per file; generate it again shorter.`;
  }
  const total = inputs.reduce((sum, input) => sum + input.bytes, 0);
  if (total > limits.totalBytes) {
    return `the render's inputs add up to ${mib(total)}, over the ${mib(limits.totalBytes)} a render can hold; use fewer or shorter scenes.`;
  }
  return undefined;
}

interface Download {
  /** What the file is, for a person: `the video clip of scene 2 "Pour"`. */
  what: string;
  path: string;
  localPath: string;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  /** Called after each finished file with how many are done out of how many. */
  onFile?: (done: number, total: number) => unknown;
}

/** Named after the scene so that an ffmpeg error about a file says which scene it is. */
function localName(scene: PlannedScene, kind: string, path: string): string {
  return `scene-${String(scene.sceneNumber).padStart(2, '0')}-${kind}${extname(path) || '.bin'}`;
}

async function downloadAll(downloads: readonly Download[], opts: DownloadOptions): Promise<void> {
  // Sizes first, from metadata: a render that cannot fit in its memory fails at once, saying why, instead
  // of being killed halfway through its downloads.
  const sized = await Promise.all(
    downloads.map(async (d) => ({
      what: d.what,
      bytes: await storedSize(d.path).catch((err: unknown) => {
        if (hasCode(err, HTTP_NOT_FOUND)) return 0; // reported as missing by its download below
        throw err;
      }),
    })),
  );
  const tooBig = inputSizeProblem(sized);
  if (tooBig) throw new PermanentJobError(tooBig);

  const controller = new AbortController();
  const stopAll = () => controller.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', stopAll, { once: true });
  let next = 0;
  let done = 0;
  let firstError: unknown;
  const worker = async () => {
    while (next < downloads.length && !controller.signal.aborted) {
      const d = downloads[next++]!;
      try {
        await downloadFile(d.path, d.localPath, controller.signal);
        await opts.onFile?.(++done, downloads.length);
      } catch (err) {
        firstError ??= hasCode(err, HTTP_NOT_FOUND)
          ? new PermanentJobError(`${d.what} is missing from Storage; generate it again.`)
          : err;
        controller.abort(firstError);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, downloads.length) }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', stopAll);
  }
  if (firstError !== undefined) throw firstError;
  if (opts.signal?.aborted) throw opts.signal.reason;
}

/** Everything the finished ad is made of, downloaded, as the render core's spec: the planned scenes' media,
 * and the bed, logo and settings of the snapshot the render job took when it started. */
export async function downloadAd(
  settings: RenderSettings,
  plan: readonly PlannedScene[],
  dir: string,
  opts: DownloadOptions = {},
): Promise<AdSpec> {
  const downloads: Download[] = [];
  const fetch = (what: string, path: string, localPath: string) => {
    downloads.push({ what, path, localPath: join(dir, localPath) });
    return join(dir, localPath);
  };
  const timings: { scene: PlannedScene; local: string; index: number }[] = [];
  const scenes: AdScene[] = plan.map((scene, index) => {
    const label = scene.name;
    const local: AdScene = {
      video: fetch(`the video clip of ${label}`, scene.videoPath, localName(scene, 'video', scene.videoPath)),
      durationSeconds: scene.durationSeconds,
    };
    if (scene.audioPath) {
      local.audio = fetch(
        `the audio of ${label}`,
        scene.audioPath,
        localName(scene, 'audio', scene.audioPath),
      );
    }
    if (scene.voiceover) {
      const voice = fetch(
        `the voiceover of ${label}`,
        scene.voiceover.path,
        localName(scene, 'voice', scene.voiceover.path),
      );
      const timing = fetch(
        `the voiceover timing of ${label}`,
        scene.voiceover.timingPath,
        localName(scene, 'timing', '.json'),
      );
      local.voice = { path: voice, words: [], durationSeconds: 0 };
      timings.push({ scene, local: timing, index });
    }
    return local;
  });
  const music = settings.music_path
    ? fetch('the music bed', settings.music_path, `music${extname(settings.music_path)}`)
    : undefined;
  const logo = settings.logo_path
    ? fetch('the logo', settings.logo_path, `logo${extname(settings.logo_path)}`)
    : undefined;
  const packshot = settings.product_image_path
    ? fetch(
        'the product image',
        settings.product_image_path,
        `product${extname(settings.product_image_path)}`,
      )
    : undefined;
  await downloadAll(downloads, opts);

  for (const t of timings) {
    const parsed = VoiceoverTimingSchema.safeParse(JSON.parse(await readFile(t.local, 'utf8')));
    if (!parsed.success) {
      throw new PermanentJobError(
        `the voiceover timing of ${t.scene.name} is unreadable; generate the voiceover again.`,
      );
    }
    const spoken = Math.max(0, ...parsed.data.words.map((w) => w.end));
    // The scene may have been shortened since its line was spoken: never cut a word.
    if (spoken > voiceRoom(t.scene.durationSeconds)) {
      throw new PermanentJobError(
        `the voiceover line of ${t.scene.name} takes ${spoken.toFixed(1)} s to say, longer than the ` +
          `${t.scene.durationSeconds} s scene holds; shorten the line or lengthen the scene.`,
      );
    }
    scenes[t.index]!.voice = {
      path: scenes[t.index]!.voice!.path,
      words: parsed.data.words,
      durationSeconds: parsed.data.duration_seconds,
    };
  }

  const palette = settings.palette;
  return {
    scenes,
    ...(music ? { music } : {}),
    transition: settings.transition,
    transitionSeconds: settings.transition_seconds,
    captions: settings.captions,
    accent: palette[1] ?? palette[0]!,
    ...(settings.end_card
      ? {
          endCard: {
            seconds: settings.end_card_seconds,
            brand: settings.brand_name,
            ...(settings.call_to_action ? { callToAction: settings.call_to_action } : {}),
            palette,
            ...(logo ? { logo } : {}),
            ...(packshot ? { packshot } : {}),
            ...(settings.disclaimer ? { disclaimer: settings.disclaimer } : {}),
          },
        }
      : {}),
    sourceFormat: settings.aspect_ratio,
    resolution: settings.resolution,
    ...(settings.language ? { language: settings.language } : {}),
  };
}
