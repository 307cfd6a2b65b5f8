// The finished ad on local files: what the render job runs between download and upload, and what the
// render tests and benchmark run without any emulator. The sound is mixed and mastered once; every format
// is then encoded from the same clips and the same master, two at a time. Progress: mix 0-10, loudness
// 10-20, formats 20-100.
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { layoutOf, type AspectRatio, type RenderCheck } from '@reelforge/schema';
import {
  adCaptions,
  adLength,
  adSubtitles,
  adTimeline,
  mixArgs,
  videoArgs,
  type AdSpec,
} from './ad-graph.js';
import { ffmpegPath, ffprobePath } from './binary.js';
import { srtDocument, vttDocument } from './captions.js';
import { frameSize } from './frame.js';
import { measureFile, measureText, qualityChecks, type PlacedText } from './quality-gate.js';
import { fontsDir } from './fonts.js';
import {
  LOUDNESS_TOLERANCE,
  MAX_PASSES,
  TARGET_LUFS,
  gainFor,
  masterArgs,
  measureArgs,
  parseMeasure,
  type Loudness,
} from './loudness.js';
import { runFfmpeg, type RunOptions } from './run.js';
import { fileInput } from './ffmpeg-input.js';

export interface RenderAdOptions {
  spec: AdSpec;
  formats: readonly AspectRatio[];
  /** A folder for intermediate files (removed by the caller). */
  workDir: string;
  /** Where each format's MP4 goes. */
  outputFor: (format: AspectRatio) => string;
  /** Also write the ducked bed alone here (tests measure the ducking on it). */
  bedStem?: string;
  onProgress?: (percent: number) => unknown;
  signal?: AbortSignal;
  /** Also make each format's delivery pack beside its MP4 (captions as SRT and WebVTT, a poster) and run the
   * quality gate on the file (its checks come back in the result). */
  packFor?: (format: AspectRatio) => PackFiles;
  /** Names of the scenes in order, for the gate's messages (`scene 2 "Pour"`). */
  sceneNames?: readonly string[];
}

/** Local paths of one format's delivery pack, beside its MP4. */
export interface PackFiles {
  srt: string;
  vtt: string;
  poster: string;
}

const FORMAT_CONCURRENCY = 2;

/** The poster: a frame from the middle of the first scene, as a JPEG at the frame's full size. */
function posterArgs(video: string, at: number, output: string): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y', '-ss', at.toFixed(3)],
    ...fileInput(video, 'mp4'),
    ...['-frames:v', '1', '-q:v', '2', output],
  ];
}

/** The SRT, VTT and poster of one format, then the quality gate measured on its file. */
async function packFormat(
  binary: string,
  opts: RenderAdOptions,
  format: AspectRatio,
  files: PackFiles,
  subtitles: string | undefined,
  signal: AbortSignal,
): Promise<RenderCheck[]> {
  const spec = opts.spec;
  const captions = adCaptions(spec);
  await writeFile(files.srt, srtDocument(captions, opts.spec.language));
  await writeFile(files.vtt, vttDocument(captions, opts.spec.language));
  const segments = adTimeline(spec);
  const first = segments[0]!;
  const video = opts.outputFor(format);
  const total = adLength(spec);
  await runFfmpeg(binary, posterArgs(video, first.start + first.durationSeconds / 2, files.poster), {
    totalSeconds: 1,
    signal,
  });
  const card = spec.endCard ? segments.at(-1) : undefined;
  const texts: PlacedText[] = captions.map((p) => ({
    kind: 'caption',
    text: p.text,
    start: p.start,
    end: p.end,
  }));
  if (card && spec.endCard) {
    texts.push({
      kind: 'card',
      text: [spec.endCard.brand, spec.endCard.callToAction].filter(Boolean).join(' / '),
      // Fully faded in from the end of its fade to the end of the ad.
      start: card.enter + card.fadeIn,
      end: card.start + card.durationSeconds,
    });
  }
  const measured = await measureFile(binary, await ffprobePath(), video, total, signal);
  const drawn = subtitles
    ? await measureText(
        binary,
        subtitles,
        specFonts(spec),
        frameSize(format, spec.resolution),
        total,
        texts,
        signal,
      )
    : [];
  return qualityChecks(
    {
      format,
      resolution: spec.resolution,
      segments,
      sceneNames: opts.sceneNames ?? spec.scenes.map((_, i) => `scene ${i + 1}`),
      ...(spec.endCard ? { endCard: { seconds: spec.endCard.seconds } } : {}),
      captions,
    },
    measured,
    drawn,
  );
}

/** One format: its subtitle document written beside the master, the encode, then its pack and checks. */
async function renderFormat(
  binary: string,
  opts: RenderAdOptions,
  format: AspectRatio,
  master: string,
  run: RunOptions & { signal: AbortSignal },
): Promise<RenderCheck[] | undefined> {
  const name = formatFileName(format);
  const document = adSubtitles(opts.spec, format);
  let subtitles: string | undefined;
  if (document) {
    subtitles = join(opts.workDir, `text-${name}.ass`);
    await writeFile(subtitles, document);
  }
  const args = videoArgs(opts.spec, format, {
    audio: master,
    fontsDir: specFonts(opts.spec),
    output: opts.outputFor(format),
    ...(subtitles ? { subtitles } : {}),
  });
  await runFfmpeg(binary, args, run);
  const pack = opts.packFor?.(format);
  return pack ? packFormat(binary, opts, format, pack, subtitles, run.signal) : undefined;
}

/** The fonts folder of the ad's language's script (Latin for the storyboard's own). */
function specFonts(spec: AdSpec): string {
  return fontsDir(layoutOf(spec.language).script);
}

export function formatFileName(format: AspectRatio): string {
  return format.replace(':', 'x');
}

export interface RenderAdResult {
  /** The master's loudness as measured before encoding; null for a silent ad. */
  loudness: Loudness | null;
  /** Each format's quality gate (with `packFor`). */
  checks: Partial<Record<AspectRatio, RenderCheck[]>>;
}

export async function renderAd(opts: RenderAdOptions): Promise<RenderAdResult> {
  const binary = await ffmpegPath();
  const total = adLength(opts.spec);
  const step = (from: number, to: number) => ({
    totalSeconds: total,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (p: number) => opts.onProgress?.(from + ((to - from) * p) / 100),
  });

  const mix = join(opts.workDir, 'mix.wav');
  await runFfmpeg(
    binary,
    mixArgs(opts.spec, { mix, ...(opts.bedStem ? { bedStem: opts.bedStem } : {}) }),
    step(0, 10),
  );
  const master = join(opts.workDir, 'master.wav');
  const measure = async (path: string, from: number, to: number) =>
    parseMeasure(await runFfmpeg(binary, measureArgs(path), step(from, to)));
  let loudness = await measure(mix, 10, 12);
  if (loudness) {
    // One gain, measured again and corrected for what the limiter took, until it is on target.
    let gain: number | undefined;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      gain = gainFor(loudness, gain);
      const at = 12 + pass * 2;
      await runFfmpeg(binary, masterArgs(mix, gain, master), step(at, at + 1));
      loudness = (await measure(master, at + 1, at + 2))!;
      if (Math.abs(loudness.integrated - TARGET_LUFS) <= LOUDNESS_TOLERANCE) break;
    }
  } else {
    // A silent ad (no voice, no music, no scene audio) has no loudness to reach.
    await copyFile(mix, master);
  }
  await opts.onProgress?.(20);

  // Two formats at a time: ffmpeg's filter graph (scaling, overlays, subtitles) runs on one thread, so a
  // second encode fills the function's second vCPU. The first failure stops the other.
  const done = new Map<AspectRatio, number>();
  const report = () =>
    opts.onProgress?.(
      20 + (80 * [...done.values()].reduce((a, b) => a + b, 0)) / (100 * opts.formats.length),
    );
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const queue = [...opts.formats];
  const checks: Partial<Record<AspectRatio, RenderCheck[]>> = {};
  let firstError: unknown;
  const worker = async () => {
    for (let format = queue.shift(); format && !stop.signal.aborted; format = queue.shift()) {
      try {
        const gate = await renderFormat(binary, opts, format, master, {
          totalSeconds: total,
          signal: stop.signal,
          onProgress: (p) => {
            done.set(format!, p);
            return report();
          },
        });
        if (gate) checks[format] = gate;
        done.set(format, 100);
      } catch (err) {
        firstError ??= err;
        stop.abort(err);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(FORMAT_CONCURRENCY, opts.formats.length) }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (firstError !== undefined) throw firstError;
  if (opts.signal?.aborted) throw opts.signal.reason;
  return { loudness, checks };
}
