// The finished ad on local files: what the render job runs between download and upload, and what the
// render tests and benchmark run without any emulator. The sound is mixed and mastered once; every format
// is then encoded from the same clips and the same master, two at a time. Progress: mix 0-10, loudness
// 10-20, formats 20-100.
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AspectRatio } from '@reelforge/schema';
import { adLength, adSubtitles, mixArgs, videoArgs, type AdSpec } from './ad-graph.js';
import { ffmpegPath } from './binary.js';
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
}

const FORMAT_CONCURRENCY = 2;

/** One format: its subtitle document written beside the master, then the encode. */
async function renderFormat(
  binary: string,
  opts: RenderAdOptions,
  format: AspectRatio,
  master: string,
  run: RunOptions,
): Promise<void> {
  const name = formatFileName(format);
  const document = adSubtitles(opts.spec, format);
  let subtitles: string | undefined;
  if (document) {
    subtitles = join(opts.workDir, `text-${name}.ass`);
    await writeFile(subtitles, document);
  }
  const args = videoArgs(opts.spec, format, {
    audio: master,
    fontsDir: fontsDir(),
    output: opts.outputFor(format),
    ...(subtitles ? { subtitles } : {}),
  });
  await runFfmpeg(binary, args, run);
}

export function formatFileName(format: AspectRatio): string {
  return format.replace(':', 'x');
}

export interface RenderAdResult {
  /** The master's loudness as measured before encoding; null for a silent ad. */
  loudness: Loudness | null;
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
  let firstError: unknown;
  const worker = async () => {
    for (let format = queue.shift(); format && !stop.signal.aborted; format = queue.shift()) {
      try {
        await renderFormat(binary, opts, format, master, {
          totalSeconds: total,
          signal: stop.signal,
          onProgress: (p) => {
            done.set(format!, p);
            return report();
          },
        });
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
  return { loudness };
}
