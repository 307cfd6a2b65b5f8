// Loudness of the ad's mix: -14 LUFS integrated (the level the platforms play at) with the true peak at
// most -1 dBTP. ffmpeg's loudnorm alone cannot do both on a short ad whose peaks stand far above its average
// (voice over a ducked bed): its linear mode refuses the gain and its dynamic mode misses the target by more
// than a loudness unit on half a minute of audio. So: measure, apply one gain with a look-ahead limiter
// catching the peaks that gain pushes over the ceiling, measure again and correct the gain once for what the
// limiter took. The ceiling sits below -1 dBFS because true (inter-sample) peaks and the AAC encoder that
// follows both add to it: up to 0.7 dB measured (an English two-scene ad over a bed, languages.test: -0.9
// dBTP in the file from a -1.6 dBFS ceiling), so the ceiling keeps a full dB and a little more.
import { fileInput } from './ffmpeg-input.js';

export const TARGET_LUFS = -14;
export const MAX_TRUE_PEAK_DBTP = -1;
/** Sample-peak ceiling of the limiter, dBFS. */
const CEILING_DB = -2.2;
/** Another pass while the master is further than this from the target (LU), at most MAX_PASSES in all. */
export const LOUDNESS_TOLERANCE = 0.2;
export const MAX_PASSES = 4;

export interface Loudness {
  /** Integrated loudness, LUFS. */
  integrated: number;
  /** True peak, dBTP. */
  truePeak: number;
}

/** Measurement with the EBU R128 meter (the same one the tests and any platform use): its summary on
 * stderr (log level info) has the integrated loudness and the true peak. */
export function measureArgs(input: string): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', ...fileInput(input, 'wav')],
    ...['-af', 'ebur128=peak=true', '-f', 'null', '-'],
  ];
}

/** Reads the meter's summary; null when the audio is silent (nothing to normalise). */
export function parseMeasure(stderr: string): Loudness | null {
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const integrated = /I:\s+(-?[\d.]+|-inf) LUFS/.exec(summary)?.[1];
  const peak = /Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)?.[1];
  if (integrated === undefined || peak === undefined) throw new Error('ebur128 printed no summary');
  if (integrated === '-inf' || Number(integrated) <= -70) return null;
  return { integrated: Number(integrated), truePeak: peak === '-inf' ? -Infinity : Number(peak) };
}

/** The gain that moves `measured` to the target. After the first pass the limiter has taken part of every
 * extra dB, so the correction asks for more than the shortfall. */
export function gainFor(measured: Loudness, previousGain?: number): number {
  const shortfall = TARGET_LUFS - measured.integrated;
  return previousGain === undefined ? shortfall : previousGain + shortfall * (shortfall > 0 ? 1.5 : 1);
}

/** One gain, then the limiter (no auto-level: it must only catch peaks). */
export function masterArgs(input: string, gainDb: number, output: string): string[] {
  const limit = 10 ** (CEILING_DB / 20);
  return [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y', ...fileInput(input, 'wav')],
    '-af',
    `volume=${gainDb.toFixed(2)}dB,alimiter=limit=${limit.toFixed(4)}:attack=5:release=80:level=false`,
    ...['-c:a', 'pcm_s16le', output],
  ];
}
