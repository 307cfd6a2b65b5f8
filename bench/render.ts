// Benchmark: the render. A 30 s ad of six scenes with every layer (voiceover, captions, music bed ducked
// under the voice, crossfades, end card with logo, two-pass loudness) against the plain concat the render
// did before (the same clips end to end, each with its own audio), in one run: at most 2x the time. All four
// formats from one job against one format: at most 3x. And the render's peak memory (the Node process, its
// ffmpeg children and its temp files, which live in memory on Cloud Functions) against the 2 GiB of its
// function. Needs nothing running: media are made here with ffmpeg and the stand-in's speech.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import type { AspectRatio } from '@reelforge/schema';
import { formatFileName, renderAd } from '../functions/src/render/render-ad.js';
import { fileInput } from '../functions/src/render/ffmpeg-input.js';
import { mp4OutputArgs } from '../functions/src/render/frame.js';
import { JOBS } from '../functions/src/jobs/registry.js';
import { END_CARD, adSpec, lavfi, lavfiClip, plainLogo, spokenLine } from '../test/support/ad-fixture.js';
import type { Benchmark } from './lib/bench.js';
import type { Check } from './lib/report.js';
import { MiB, round } from './lib/stats.js';

const run = promisify(execFile);
const LAYERS_TARGET = 2;
const FORMATS_TARGET = 3;
const FORMATS: AspectRatio[] = ['9:16', '16:9', '1:1', '4:5'];
const LINES = [
  'Mornings start here.',
  'Cold brew, ready in seconds.',
  'Smooth, bold, never bitter.',
  'Take it anywhere you go.',
  'Made from single origin beans.',
  'Morning Brew. Wake up better.',
];

/** Bytes of memory a render holds: this process, its ffmpeg children, and its temp folder. */
function memoryNow(dir: string): number {
  const page = 4096;
  let rss = process.memoryUsage().rss;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid) rss += Number(fields[21]) * page;
    } catch {
      // The process ended while we looked.
    }
  }
  let files = 0;
  for (const name of readdirSync(dir)) {
    try {
      files += readFileSync(join(dir, name)).byteLength;
    } catch {
      // Being written or removed.
    }
  }
  return rss + files;
}

/** Runs `work`, sampling memory every 100 ms; returns the seconds it took and the peak. */
async function measured(dir: string, work: () => Promise<unknown>) {
  let peak = memoryNow(dir);
  const timer = setInterval(() => (peak = Math.max(peak, memoryNow(dir))), 100);
  const t0 = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { seconds: (performance.now() - t0) / 1000, peak };
}

export const render: Benchmark = {
  name: 'render',
  summary:
    'a 30 s 6-scene ad with every layer vs the plain concat; 4 formats vs 1; peak memory vs 2 GiB (smoke: 1 scene, 2 formats)',
  needs: 'none',
  // One scene in two formats: every layer and the several-formats path still run, in a fraction of the time.
  smoke: { runs: '1', scenes: '1', formats: '2' },
  options: {
    runs: { description: 'runs of each render (the fastest counts)', default: '1' },
    scenes: {
      description: `scenes of the ad (1-${LINES.length}), 4.5 s each`,
      default: String(LINES.length),
    },
    formats: {
      description: `formats of the several-formats render (2-${FORMATS.length})`,
      default: String(FORMATS.length),
    },
  },
  async run(options) {
    const runs = Math.max(1, Math.round(options.number('runs')));
    const lines = LINES.slice(0, Math.min(LINES.length, Math.max(1, Math.round(options.number('scenes')))));
    const formats = FORMATS.slice(
      0,
      Math.min(FORMATS.length, Math.max(2, Math.round(options.number('formats')))),
    );
    const adSeconds = lines.length * 4.5 + 3;
    const media = await mkdtemp(join(tmpdir(), 'bench-render-media-'));
    const work = await mkdtemp(join(tmpdir(), 'bench-render-work-'));
    try {
      // 4.5 s scenes (clips of 5 s, as a video model delivers whole seconds) and a 3 s card: 30 s for six.
      const scenes = await Promise.all(
        lines.map(async (line, i) => {
          const video = join(media, `clip-${i}.mp4`);
          const audio = join(media, `audio-${i}.mp3`);
          await lavfiClip(video, 'testsrc2=s=720x1280:r=24', 5);
          await lavfi(audio, `sine=frequency=${220 + 40 * i}:sample_rate=44100`, 5);
          const voice = await spokenLine(join(media, `voice-${i}.wav`), line);
          return { video, audio, durationSeconds: 4.5, voice };
        }),
      );
      const music = join(media, 'music.mp3');
      await lavfi(music, 'sine=frequency=330:sample_rate=44100', adSeconds);
      const logo = join(media, 'logo.png');
      await plainLogo(logo, '400x160');
      const spec = adSpec({ scenes, music, endCard: { ...END_CARD, logo } });

      const best = async (make: () => Promise<unknown>) => {
        let result = { seconds: Infinity, peak: 0 };
        for (let i = 0; i < runs; i++) {
          const r = await measured(work, make);
          result = { seconds: Math.min(result.seconds, r.seconds), peak: Math.max(result.peak, r.peak) };
          await rm(work, { recursive: true, force: true });
          await run('mkdir', ['-p', work]);
        }
        return result;
      };
      const concat = await best(() => run(ffmpeg.path, plainConcatArgs(scenes, join(work, 'concat.mp4'))));
      const output = (f: AspectRatio) => join(work, `ad-${formatFileName(f)}.mp4`);
      const one = await best(() => renderAd({ spec, formats: ['9:16'], workDir: work, outputFor: output }));
      const several = await best(() => renderAd({ spec, formats, workDir: work, outputFor: output }));

      const layersRatio = one.seconds / concat.seconds;
      const formatsRatio = several.seconds / one.seconds;
      const functionMemory = 2 * 1024 * MiB;
      const configured = JOBS.render.queue.memory;
      const memoryShare = several.peak / functionMemory;
      const checks: Check[] = [
        {
          kind: 'target',
          name: `every layer at most ${LAYERS_TARGET}x the plain concat`,
          ok: layersRatio <= LAYERS_TARGET,
          detail: `${round(layersRatio, 2)}x (${round(one.seconds, 1)} vs ${round(concat.seconds, 1)} s)`,
        },
        {
          kind: 'target',
          name: `${formats.length} formats at most ${FORMATS_TARGET}x one format`,
          ok: formatsRatio <= FORMATS_TARGET,
          detail: `${round(formatsRatio, 2)}x (${round(several.seconds, 1)} vs ${round(one.seconds, 1)} s)`,
        },
        {
          kind: 'correctness',
          name: 'peak memory fits the render function',
          ok: configured === '2GiB' && several.peak < functionMemory,
          detail: `${round(several.peak / MiB)} MiB of ${configured ?? 'default'} (${round(memoryShare * 100)}%)`,
        },
      ];
      return {
        tables: [
          {
            title: `${adSeconds} s ad, ${lines.length} scenes, fastest of ${runs}`,
            columns: ['render', 's', 'x concat', 'peak MiB'],
            rows: [
              ['plain concat (before)', round(concat.seconds, 1), 1, round(concat.peak / MiB)],
              ['every layer, 9:16', round(one.seconds, 1), round(layersRatio, 2), round(one.peak / MiB)],
              [
                `every layer, ${formats.length} formats`,
                round(several.seconds, 1),
                round(several.seconds / concat.seconds, 2),
                round(several.peak / MiB),
              ],
            ],
          },
        ],
        figures: {
          runs,
          scenes: lines.length,
          formats: formats.length,
          concat_s: round(concat.seconds, 1),
          one_format_s: round(one.seconds, 1),
          several_formats_s: round(several.seconds, 1),
          layers_ratio: round(layersRatio, 2),
          formats_ratio: round(formatsRatio, 2),
          peak_mib: round(several.peak / MiB),
          memory_share: round(memoryShare, 2),
        },
        checks,
        notes: [
          'peak memory = this process + its ffmpeg children (RSS) + the temp folder (memory on Cloud Functions)',
        ],
      };
    } finally {
      await rm(media, { recursive: true, force: true });
      await rm(work, { recursive: true, force: true });
    }
  },
};

/** The baseline: the plain concat the render did before the finished ad (each clip fitted to 9:16, held or
 * cut to its scene, with its own audio), kept here only to measure against. */
function plainConcatArgs(
  scenes: readonly { video: string; audio: string; durationSeconds: number }[],
  output: string,
): string[] {
  const filters = scenes.map((s, i) => {
    const d = String(s.durationSeconds);
    return (
      `[${2 * i}:v:0]setpts=PTS-STARTPTS,fps=30,scale=720:1280:force_original_aspect_ratio=decrease,` +
      `pad=720:1280:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=yuv420p,` +
      `tpad=stop_mode=clone:stop_duration=${d},trim=duration=${d},setpts=PTS-STARTPTS[v${i}];` +
      `[${2 * i + 1}:a:0]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad,` +
      `atrim=duration=${d},asetpts=PTS-STARTPTS[a${i}]`
    );
  });
  const pairs = scenes.map((_, i) => `[v${i}][a${i}]`).join('');
  return [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y'],
    ...scenes.flatMap((s) => [...fileInput(s.video), ...fileInput(s.audio)]),
    '-filter_complex',
    `${filters.join(';')};${pairs}concat=n=${scenes.length}:v=1:a=1[v][a]`,
    ...['-map', '[v]', '-map', '[a]', ...mp4OutputArgs('720p', '128k'), output],
  ];
}
