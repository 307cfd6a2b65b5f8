// What the render tests and the render benchmark build their ads from: ffmpeg run on local files, media made
// from ffmpeg's own sources, a scene's line spoken by the stand-in's speech, and the ad they describe (the
// Morning Brew end card, crossfades, captions), so that a change to the ad's shape is made once.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import type { AdScene, AdSpec } from '../../functions/src/render/ad-graph.js';
import { speak } from '../../scripts/standin/speech.js';

const run = promisify(execFile);

/**
 * Runs the bundled ffmpeg (no banner, no stdin, overwriting its output) and returns its output as bytes:
 * raw frames on stdout, the loudness meter's summary on stderr, both far beyond execFile's 1 MiB default.
 */
export async function ff(args: readonly string[]): Promise<{ stdout: Buffer; stderr: Buffer }> {
  return run(ffmpeg.path, ['-hide_banner', '-nostdin', '-y', ...args], {
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'buffer',
  });
}

/** One frame of `video` at `at` seconds, as raw RGB (`width` x `height` x 3 bytes; throws on any other size). */
export async function frameAt(video: string, at: number, width: number, height: number): Promise<Buffer> {
  const { stdout } = await ff([
    '-v',
    'error',
    '-ss',
    at.toFixed(3),
    '-i',
    video,
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-',
  ]);
  if (stdout.length !== width * height * 3) {
    throw new Error(`a frame of ${video} at ${at} s is ${stdout.length} bytes, not ${width}x${height} RGB`);
  }
  return stdout;
}

/** Writes `seconds` of an ffmpeg lavfi source (`testsrc2=...`, `sine=...`) to `path`, with `extra` output options. */
export async function lavfi(path: string, source: string, seconds: number, extra: readonly string[] = []) {
  await ff(['-v', 'error', '-f', 'lavfi', '-i', source, '-t', String(seconds), ...extra, path]);
}

/** A video clip from a lavfi picture source, in the pixel format every player takes. */
export async function lavfiClip(path: string, source: string, seconds: number) {
  await lavfi(path, source, seconds, ['-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'veryfast']);
}

/** A one-frame PNG logo of a plain colour. */
export async function plainLogo(path: string, size: string, colour = 'white') {
  await ff(['-v', 'error', '-f', 'lavfi', '-i', `color=c=${colour}:s=${size}`, '-frames:v', '1', path]);
}

/** `line` spoken by the stand-in's speech into a WAV at `path`, with its word timings: a scene's voice. */
export async function spokenLine(path: string, line: string): Promise<NonNullable<AdScene['voice']>> {
  const voice = await speak(line);
  await writeFile(path, voice.wav);
  return { path, words: voice.words, durationSeconds: voice.durationSeconds };
}

/** The end card of every test ad. */
export const END_CARD: Readonly<NonNullable<AdSpec['endCard']>> = {
  seconds: 3,
  brand: 'Morning Brew',
  callToAction: 'Order today',
  palette: ['#1d3557', '#e63946'],
};

/** An ad with every layer on (crossfades, captions, the end card) around `parts`' scenes. */
export function adSpec(parts: Pick<AdSpec, 'scenes'> & Partial<AdSpec>): AdSpec {
  return {
    transition: 'crossfade',
    transitionSeconds: 0.5,
    captions: true,
    accent: '#e63946',
    endCard: { ...END_CARD, palette: [...END_CARD.palette] },
    sourceFormat: '9:16',
    // The tests are about the ad's layers, not its size: the smaller frame keeps them fast.
    resolution: '720p',
    ...parts,
  };
}
