// The finished ad rendered for real (ffmpeg, the stand-in's eSpeak speech), judged by measuring it:
// loudness and true peak with the EBU R128 meter, the bed's level under the voice against its level in the
// gaps, each caption's appearance against the times the words were spoken, the length of every format, the
// captions inside the 9:16 safe zone, and the end card against the last scene.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AspectRatio } from '@reelforge/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adTimeline, adWords, type AdSpec } from '../../functions/src/render/ad-graph.js';
import { phrases } from '../../functions/src/render/captions.js';
import { frameSize } from '../../functions/src/render/frame.js';
import { formatFileName, renderAd } from '../../functions/src/render/render-ad.js';
import { END_CARD, adSpec, ff, lavfi, plainLogo, spokenLine } from '../support/ad-fixture.js';
import { ffprobe } from '../providers/helpers.js';

const FORMATS: AspectRatio[] = ['9:16', '16:9', '1:1', '4:5'];
const BACKGROUND = '0x336699';
let dir: string;
let spec: AdSpec;
const output = (f: AspectRatio) => join(dir, `ad-${formatFileName(f)}.mp4`);

/** Integrated loudness and true peak of a file, from ffmpeg's EBU R128 meter. */
async function loudness(path: string) {
  const { stderr } = await ff(['-nostats', '-i', path, '-af', 'ebur128=peak=true', '-f', 'null', '-']);
  const summary = stderr.toString().slice(stderr.toString().lastIndexOf('Summary:'));
  return {
    integrated: Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)![1]),
    truePeak: Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)![1]),
  };
}

/** Grey frames of a video at a quarter of its size, 30 per second. */
async function frames(path: string, format: AspectRatio) {
  const w = frameSize(format, spec.resolution).width / 4;
  const h = frameSize(format, spec.resolution).height / 4;
  const { stdout } = await ff([
    '-v',
    'error',
    '-i',
    path,
    '-vf',
    `scale=${w}:${h},format=gray`,
    '-f',
    'rawvideo',
    '-',
  ]);
  const size = w * h;
  return { w, h, count: stdout.length / size, at: (i: number) => stdout.subarray(i * size, (i + 1) * size) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ad-render-test-'));
  const lines = ['Fresh coffee.', 'Brewed in seconds, every morning.', 'Taste it.'];
  const durations = [2.5, 3.5, 2];
  const scenes = await Promise.all(
    lines.map(async (line, i) => {
      const video = join(dir, `clip-${i}.mp4`);
      // A plain clip, shorter than its scene for the first (held), longer for the others (cut).
      await lavfi(video, `color=c=${BACKGROUND}:s=720x1280:r=24`, i === 0 ? 1.5 : 5, ['-pix_fmt', 'yuv420p']);
      const voice = await spokenLine(join(dir, `voice-${i}.wav`), line);
      return { video, durationSeconds: durations[i]!, voice };
    }),
  );
  const music = join(dir, 'bed.wav');
  // A steady bed, so any change in its level is the ducking.
  await lavfi(music, 'sine=frequency=330:sample_rate=48000', 20, ['-af', 'volume=0.5']);
  const logo = join(dir, 'logo.png');
  await plainLogo(logo, '300x120');
  spec = adSpec({
    scenes,
    music,
    endCard: { ...END_CARD, seconds: 4, palette: ['#f1faee', '#e63946'], logo },
  });
  await renderAd({
    spec,
    formats: FORMATS,
    workDir: dir,
    outputFor: output,
    bedStem: join(dir, 'bed-stem.wav'),
  });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the finished ad, measured', () => {
  it('is scenes + card long in every format, within 0.1 s, picture and sound', async () => {
    const expected = 2.5 + 3.5 + 2 + 4;
    for (const format of FORMATS) {
      const probe = await ffprobe(output(format));
      expect(Math.abs(probe.duration - expected), format).toBeLessThanOrEqual(0.1);
      const video = probe.streams.find((s) => s.codec_type === 'video')!;
      const frame = frameSize(format, '720p');
      expect([video.width, video.height]).toEqual([frame.width, frame.height]);
      expect(probe.streams.some((s) => s.codec_type === 'audio')).toBe(true);
    }
  });

  it('plays at -14 LUFS within 1 LU with its true peak at most -1 dBTP', async () => {
    for (const format of ['9:16', '1:1'] as const) {
      const { integrated, truePeak } = await loudness(output(format));
      expect(Math.abs(integrated + 14), `${format}: ${integrated} LUFS`).toBeLessThanOrEqual(1);
      expect(truePeak, format).toBeLessThanOrEqual(-1);
    }
  });

  it('ducks the bed at least 6 dB while the voice speaks', async () => {
    const wav = await readFile(join(dir, 'bed-stem.wav'));
    const data = wav.subarray(wav.indexOf('data') + 8);
    const rate = 48_000;
    const rms = (from: number, to: number) => {
      let sum = 0;
      let n = 0;
      for (let s = Math.floor(from * rate); s < Math.floor(to * rate); s++) {
        const v = data.readInt16LE(s * 4) / 32768;
        sum += v * v;
        n++;
      }
      return Math.sqrt(sum / n);
    };
    const db = (v: number) => 20 * Math.log10(v);
    const spoken = adWords(spec);
    // Under the voice: the middle of every word long enough to measure.
    const under = spoken
      .filter((w) => w.end - w.start > 0.2)
      .map((w) => db(rms(w.start + 0.08, w.end - 0.05)));
    // The gap: the end card, well after the last word and before the bed fades out.
    const card = adTimeline(spec).at(-1)!;
    const gap = db(rms(card.start + 0.6, card.start + 1.8));
    for (const level of under) expect(gap - level).toBeGreaterThanOrEqual(6);
  });

  it('shows each caption within 150 ms of its words, inside the 9:16 safe zone', async () => {
    const video = await frames(output('9:16'), '9:16');
    const background = video.at(0)[0]!;
    const scenesEnd = adTimeline(spec).at(-1)!.enter;
    const on: boolean[] = [];
    const box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    for (let i = 0; i < Math.floor(scenesEnd * 30); i++) {
      const frame = video.at(i);
      let changed = 0;
      for (let y = 0; y < video.h; y++) {
        for (let x = 0; x < video.w; x++) {
          if (Math.abs(frame[y * video.w + x]! - background) > 40) {
            changed++;
            box.left = Math.min(box.left, x);
            box.right = Math.max(box.right, x);
            box.top = Math.min(box.top, y);
            box.bottom = Math.max(box.bottom, y);
          }
        }
      }
      on.push(changed > 20);
    }
    // Every stretch of frames with text on them, as [first, last] seconds.
    const shown: [number, number][] = [];
    on.forEach((v, i) => {
      if (v && !on[i - 1]) shown.push([i / 30, i / 30]);
      if (v) shown.at(-1)![1] = (i + 1) / 30;
    });
    // Lines are separated by silence, so each line is one stretch; it starts with the line's first word
    // as the stand-in spoke it and ends with its last phrase's hold.
    const lines = spec.scenes.map((scene, i) => {
      const start = adTimeline(spec)[i]!.start + 0.25;
      const last = phrases(
        adWords(spec).filter((w) => w.start >= start && w.start < start + scene.durationSeconds),
      ).at(-1)!;
      return [start + scene.voice!.words[0]!.start, last.end];
    });
    expect(shown).toHaveLength(lines.length);
    shown.forEach(([from, to], i) => {
      expect(Math.abs(from - lines[i]![0]!), `line ${i + 1} appears at ${from}`).toBeLessThanOrEqual(0.15);
      expect(Math.abs(to - lines[i]![1]!), `line ${i + 1} leaves at ${to}`).toBeLessThanOrEqual(0.15);
    });
    // The platforms' own overlays on 9:16 (TikTok, Reels, Shorts), independent of the code's table: the
    // like/share column on the right 15%, the caption and account lines on the bottom 25%, the top bar.
    const zone = { left: 0.05, right: 0.15, top: 0.1, bottom: 0.25 };
    expect(box.left).toBeGreaterThanOrEqual(video.w * zone.left - 1);
    expect(box.right).toBeLessThanOrEqual(video.w * (1 - zone.right) + 1);
    expect(box.top).toBeGreaterThanOrEqual(video.h * zone.top - 1);
    expect(box.bottom).toBeLessThanOrEqual(video.h * (1 - zone.bottom) + 1);
  });

  it('ends on a card that differs from the last scene, in every format', async () => {
    const card = adTimeline(spec).at(-1)!;
    const last = adTimeline(spec).at(-2)!;
    for (const format of FORMATS) {
      const video = await frames(output(format), format);
      const a = video.at(Math.floor((last.start + last.durationSeconds / 2) * 30));
      const b = video.at(Math.floor((card.start + card.durationSeconds / 2) * 30));
      let diff = 0;
      for (let i = 0; i < a.length; i++) diff += Math.abs(a[i]! - b[i]!);
      expect(diff / a.length, format).toBeGreaterThan(30);
    }
  });
});
