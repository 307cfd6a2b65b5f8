// Real media, made on the spot with the ffmpeg binary the project installs (@ffmpeg-installer/ffmpeg):
// PNG keyframes striped in the palette's colours, H.264 MP4 clips that pan across an image for exactly the
// asked duration, and MP3/WAV music-like tones. Everything is sized to be fast (a 6 s 720p clip in well
// under a second): the point is real, probe-able files, not pretty ones.
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { createRng } from './random.js';

export const FFMPEG_PATH = ffmpegInstaller.path;

export interface Size {
  width: number;
  height: number;
}

/** Frame size for an aspect ratio `W:H`: the short side is 720 px, both sides even. Unknown -> 16:9. */
export function sizeFor(aspectRatio: string | undefined, shortSide = 720): Size {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(aspectRatio ?? '');
  const w = match ? Number(match[1]) : 16;
  const h = match ? Number(match[2]) : 9;
  const even = (n: number): number => Math.max(2, Math.round(n / 2) * 2);
  if (!(w > 0 && h > 0)) return { width: 1280, height: 720 };
  return w >= h
    ? { width: even((shortSide * w) / h), height: shortSide }
    : { width: shortSide, height: even((shortSide * h) / w) };
}

/** Runs at most a few ffmpeg processes at once, so a burst of predictions queues instead of thrashing. */
class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}
const gate = new Gate(Math.max(2, cpus().length));

export function runFfmpeg(args: string[], signal?: AbortSignal): Promise<void> {
  return gate.run(
    () =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(new Error('canceled'));
          return;
        }
        const child = spawn(FFMPEG_PATH, ['-hide_banner', '-v', 'error', '-y', ...args], {
          stdio: ['ignore', 'ignore', 'pipe'],
          ...(signal ? { signal } : {}),
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
          if (stderr.length < 4000) stderr += chunk.toString();
        });
        child.on('error', reject);
        child.on('close', (code) => {
          if (code === 0) resolve();
          else reject(new Error(`ffmpeg exited with ${code}: ${stderr.trim().slice(0, 500)}`));
        });
      }),
  );
}

function ffColor(hex: string): string {
  return `0x${hex.replace('#', '')}`;
}

/** A palette from the seed when the prompt names none: 4 colours around one hue. */
export function seededPalette(seed: number): string[] {
  const rng = createRng(seed);
  const hue = rng.int(0, 359);
  return [0, 30, 180, 210].map((offset, i) => hslHex((hue + offset) % 360, 55 + i * 8, 30 + i * 15));
}

/** `#rrggbb` for a hue (degrees), saturation and lightness (percent). */
export function hslHex(h: number, s: number, l: number): string {
  const sat = s / 100;
  const light = l / 100;
  const k = (n: number): number => (n + h / 30) % 12;
  const a = sat * Math.min(light, 1 - light);
  const f = (n: number): number => light - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return `#${[f(0), f(8), f(4)]
    .map((x) =>
      Math.round(x * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Vertical stripes of the palette (order turned by the seed) with soft edges, as a PNG. (A vignette
 * looked nicer but tripled the time and the file size.) */
export async function makeImage(
  options: { palette: readonly string[]; size: Size; seed: number; out: string },
  signal?: AbortSignal,
): Promise<void> {
  const { width, height } = options.size;
  const colours = options.palette.length > 0 ? [...options.palette] : seededPalette(options.seed);
  const turn = options.seed % colours.length;
  const ordered = [...colours.slice(turn), ...colours.slice(0, turn)];
  const band = Math.max(2, Math.floor(width / ordered.length / 2) * 2);
  const last = width - band * (ordered.length - 1);
  const inputs = ordered.flatMap((hex, i) => [
    '-f',
    'lavfi',
    '-i',
    `color=c=${ffColor(hex)}:s=${i === ordered.length - 1 ? last : band}x${height}`,
  ]);
  const stack =
    ordered.length > 1 ? `${ordered.map((_, i) => `[${i}]`).join('')}hstack=inputs=${ordered.length},` : '';
  const blur = Math.max(4, Math.round(band / 6));
  await runFfmpeg(
    [...inputs, '-filter_complex', `${stack}boxblur=${blur}:2`, '-frames:v', '1', options.out],
    signal,
  );
}

/**
 * An H.264 clip of exactly `durationSeconds` at 24 fps that pans across `imagePath` (decoded once, looped
 * in the filter graph: far cheaper than re-reading the image per frame).
 */
export async function makeVideo(
  options: { imagePath: string; size: Size; durationSeconds: number; out: string; black?: boolean },
  signal?: AbortSignal,
): Promise<void> {
  const { width, height } = options.size;
  const d = options.durationSeconds;
  const coverW = Math.ceil((width * 1.2) / 2) * 2;
  const coverH = Math.ceil((height * 1.2) / 2) * 2;
  // The `black_video` fault: the same clip with nothing in it (the image is still read, so it must exist).
  const blank = options.black ? [`drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill`] : [];
  const filter = [
    `scale=${coverW}:${coverH}:force_original_aspect_ratio=increase`,
    'loop=loop=-1:size=1:start=0',
    'setpts=N/24/TB',
    `crop=${width}:${height}:x='(in_w-out_w)*min(t/${d},1)':y='(in_h-out_h)/2'`,
    ...blank,
    'format=yuv420p',
  ].join(',');
  await runFfmpeg(
    [
      '-i',
      options.imagePath,
      '-vf',
      filter,
      '-t',
      d.toFixed(3),
      '-r',
      '24',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-movflags',
      '+faststart',
      options.out,
    ],
    signal,
  );
}

/**
 * A pulsing stereo chord (notes picked by the seed) of exactly `durationSeconds`, MP3 or WAV, at 32 kHz
 * like MusicGen's output. Built from native sine sources: an expression source (aevalsrc) is ~6x slower.
 */
export async function makeAudio(
  options: { durationSeconds: number; seed: number; format: 'mp3' | 'wav'; out: string },
  signal?: AbortSignal,
): Promise<void> {
  const rng = createRng(options.seed);
  const root = 110 * 2 ** (rng.int(0, 11) / 12);
  const third = root * 2 ** ((rng.next() < 0.5 ? 3 : 4) / 12);
  const fifth = root * 2 ** (7 / 12);
  const pulse = rng.pick([1, 1.5, 2, 2.5]);
  const d = options.durationSeconds.toFixed(3);
  const inputs = [root, fifth, third, root * 2].flatMap((f) => [
    '-f',
    'lavfi',
    '-i',
    `sine=f=${f.toFixed(2)}:d=${d}:sample_rate=32000`,
  ]);
  const channel = (a: number, b: number, name: string): string =>
    `[${a}][${b}]amix=inputs=2,tremolo=f=${pulse}:d=0.45,aformat=channel_layouts=mono[${name}]`;
  const graph = `${channel(0, 1, 'l')};${channel(2, 3, 'r')};[l][r]join=inputs=2:channel_layout=stereo`;
  const codec =
    options.format === 'mp3'
      ? ['-c:a', 'libmp3lame', '-b:a', '96k', '-compression_level', '9']
      : ['-c:a', 'pcm_s16le'];
  await runFfmpeg([...inputs, '-filter_complex', graph, ...codec, options.out], signal);
}
