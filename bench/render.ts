// Benchmark: the render at 1080p. A 30 s ad of six scenes with every layer (voiceover, captions, music bed
// ducked under the voice, crossfades, end card with logo, loudness passes) and its delivery pack and quality
// gate, against a plain 1080p concat of the same clips (each with its own audio): at most 1.5x the time.
// Each format as its own task renders it (one after another here; side by side on their own instances in
// production): the longest at most 1.25x one format. Each task's peak memory (the Node process, its ffmpeg
// children and its temp files, which live in memory on Cloud Functions) at most half of its function's. The
// real-time factor of each format beside Shotstack's published figure. Needs nothing running: media are
// made here with ffmpeg and the stand-in's speech.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import type { AspectRatio, Resolution } from '@reelforge/schema';
import { formatFileName, renderAd } from '../functions/src/render/render-ad.js';
import { fileInput } from '../functions/src/render/ffmpeg-input.js';
import { frameSize, mp4OutputArgs } from '../functions/src/render/frame.js';
import { RENDER_FUNCTION } from '../functions/src/render/function-size.js';
import { JOBS } from '../functions/src/jobs/registry.js';
import { END_CARD, adSpec, lavfi, lavfiClip, plainLogo, spokenLine } from '../test/support/ad-fixture.js';
import type { Benchmark } from './lib/bench.js';
import type { Check } from './lib/report.js';
import { MiB, round } from './lib/stats.js';

const run = promisify(execFile);
/** Every layer against a plain concat of the same clips at the same size. */
const LAYERS_TARGET = 1.5;
/** Four formats on four instances (the longest single-format task) against one format. */
const FORMATS_TARGET = 1.25;
/** Peak memory of one format's task against its function's memory. */
const MEMORY_TARGET = 0.5;
/** Shotstack's published figure: about 10 s of render for a 30 s video (shotstack.io, "render a 30 second
 * video in about 10 seconds"), a real-time factor of 1/3. */
const SHOTSTACK_RTF = 10 / 30;
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
    'a 30 s 6-scene ad at 1080p with every layer vs a plain 1080p concat; each format alone (its own task) vs one; peak memory per task vs its function (smoke: 720p, 1 scene, 2 formats)',
  needs: 'none',
  // One scene in two formats at 720p: every layer, the pack and its gate still run, in a fraction of the time.
  smoke: { runs: '1', scenes: '1', formats: '2', resolution: '720p' },
  options: {
    runs: { description: 'runs of each render (the fastest counts)', default: '1' },
    scenes: { description: 'scenes of the ad (1-20)', default: String(LINES.length) },
    'scene-seconds': { description: 'seconds of each scene (1-10)', default: '4.5' },
    formats: {
      description: `formats rendered each as its own task (2-${FORMATS.length})`,
      default: String(FORMATS.length),
    },
    resolution: { description: "the ad's resolution (1080p or 720p)", default: '1080p' },
    'all-in-one': {
      description: 'also render every format in one task, as before the fan-out (1 = yes)',
      default: '0',
    },
  },
  async run(options) {
    const runs = Math.max(1, Math.round(options.number('runs')));
    const count = Math.min(20, Math.max(1, Math.round(options.number('scenes'))));
    const sceneSeconds = Math.min(10, Math.max(1, options.number('scene-seconds')));
    const lines = Array.from({ length: count }, (_, i) => LINES[i % LINES.length]!);
    const formats = FORMATS.slice(
      0,
      Math.min(FORMATS.length, Math.max(2, Math.round(options.number('formats')))),
    );
    const resolution: Resolution = options.string('resolution') === '720p' ? '720p' : '1080p';
    const allInOne = options.number('all-in-one') === 1;
    const adSeconds = lines.length * sceneSeconds + 3;
    const clipSize = frameSize('9:16', resolution);
    const media = await mkdtemp(join(tmpdir(), 'bench-render-media-'));
    const work = await mkdtemp(join(tmpdir(), 'bench-render-work-'));
    try {
      // Clips half a second longer than their scene (a video model delivers whole seconds), at the ad's size.
      const scenes = await Promise.all(
        lines.map(async (line, i) => {
          const video = join(media, `clip-${i}.mp4`);
          const audio = join(media, `audio-${i}.mp3`);
          await lavfiClip(
            video,
            `testsrc2=s=${clipSize.width}x${clipSize.height}:r=24`,
            Math.ceil(sceneSeconds + 0.5),
          );
          await lavfi(
            audio,
            `sine=frequency=${220 + 40 * (i % 6)}:sample_rate=44100`,
            Math.ceil(sceneSeconds + 0.5),
          );
          const voice = await spokenLine(join(media, `voice-${i}.wav`), line);
          return { video, audio, durationSeconds: sceneSeconds, voice };
        }),
      );
      const music = join(media, 'music.mp3');
      await lavfi(music, 'sine=frequency=330:sample_rate=44100', adSeconds);
      const logo = join(media, 'logo.png');
      await plainLogo(logo, '400x160');
      const spec = adSpec({ scenes, music, endCard: { ...END_CARD, logo }, resolution });

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
      const concat = await best(() =>
        run(ffmpeg.path, plainConcatArgs(scenes, clipSize, resolution, join(work, 'concat.mp4'))),
      );
      const output = (f: AspectRatio) => join(work, `ad-${formatFileName(f)}.mp4`);
      const pack = (f: AspectRatio) => {
        const stem = join(work, `ad-${formatFileName(f)}`);
        return { srt: `${stem}.srt`, vtt: `${stem}.vtt`, poster: `${stem}.jpg` };
      };
      // Each format as its own task renders it: the mix and master, its encode, its pack and its gate.
      const alone = new Map<AspectRatio, { seconds: number; peak: number; failed: string[] }>();
      for (const format of formats) {
        let failed: string[] = [];
        const r = await best(async () => {
          const made = await renderAd({
            spec,
            formats: [format],
            workDir: work,
            outputFor: output,
            packFor: pack,
          });
          failed = (made.checks[format] ?? []).filter((c) => !c.pass).map((c) => `${c.name}: ${c.problem}`);
        });
        alone.set(format, { ...r, failed });
      }
      const one = alone.get('9:16')!;
      const longest = Math.max(...[...alone.values()].map((r) => r.seconds));
      const peakTask = Math.max(...[...alone.values()].map((r) => r.peak));
      const together = allInOne
        ? await best(() => renderAd({ spec, formats, workDir: work, outputFor: output }))
        : undefined;

      const layersRatio = one.seconds / concat.seconds;
      const formatsRatio = longest / one.seconds;
      const functionMemory = RENDER_FUNCTION.memoryGiB * 1024 * MiB;
      const memoryShare = peakTask / functionMemory;
      const checks: Check[] = [
        {
          kind: 'target',
          name: `every layer at most ${LAYERS_TARGET}x the plain ${resolution} concat`,
          ok: layersRatio <= LAYERS_TARGET,
          detail: `${round(layersRatio, 2)}x (${round(one.seconds, 1)} vs ${round(concat.seconds, 1)} s)`,
        },
        {
          kind: 'target',
          name: `${formats.length} formats on ${formats.length} instances at most ${FORMATS_TARGET}x one format`,
          ok: formatsRatio <= FORMATS_TARGET,
          detail: `${round(formatsRatio, 2)}x (the longest, ${round(longest, 1)} s, vs 9:16's ${round(one.seconds, 1)} s)`,
        },
        {
          kind: 'target',
          name: `peak memory per task at most ${MEMORY_TARGET * 100}% of its function's`,
          ok: memoryShare <= MEMORY_TARGET,
          detail: `${round(peakTask / MiB)} MiB of ${JOBS.render.queue.memory} (${round(memoryShare * 100)}%)`,
        },
        {
          kind: 'correctness',
          name: 'every format passes its quality gate',
          ok: [...alone.values()].every((r) => r.failed.length === 0),
          detail:
            [...alone.entries()]
              .filter(([, r]) => r.failed.length > 0)
              .map(([f, r]) => `${f}: ${r.failed.join('; ')}`)
              .join(' | ') || 'all checks passed',
        },
      ];
      const rtf = (secondsTaken: number) => round(secondsTaken / adSeconds, 2);
      return {
        tables: [
          {
            title: `${adSeconds} s ad at ${resolution}, ${lines.length} scenes of ${sceneSeconds} s, fastest of ${runs}`,
            columns: ['render', 's', 'x concat', 'real-time factor', 'Shotstack RTF', 'peak MiB'],
            rows: [
              [
                `plain concat, ${resolution} (baseline)`,
                round(concat.seconds, 1),
                1,
                rtf(concat.seconds),
                '',
                round(concat.peak / MiB),
              ],
              ...[...alone.entries()].map(([f, r]) => [
                `every layer + pack + gate, ${f} (its own task)`,
                round(r.seconds, 1),
                round(r.seconds / concat.seconds, 2),
                rtf(r.seconds),
                round(SHOTSTACK_RTF, 2),
                round(r.peak / MiB),
              ]),
              ...(together
                ? [
                    [
                      `every layer, ${formats.length} formats in one task (before)`,
                      round(together.seconds, 1),
                      round(together.seconds / concat.seconds, 2),
                      rtf(together.seconds),
                      '',
                      round(together.peak / MiB),
                    ],
                  ]
                : []),
            ],
          },
        ],
        figures: {
          runs,
          scenes: lines.length,
          ad_s: adSeconds,
          resolution,
          formats: formats.length,
          concat_s: round(concat.seconds, 1),
          one_format_s: round(one.seconds, 1),
          longest_format_s: round(longest, 1),
          ...(together ? { all_in_one_s: round(together.seconds, 1) } : {}),
          layers_ratio: round(layersRatio, 2),
          formats_ratio: round(formatsRatio, 2),
          peak_task_mib: round(peakTask / MiB),
          memory_share: round(memoryShare, 2),
          ...Object.fromEntries(
            [...alone.entries()].map(([f, r]) => [`rtf_${formatFileName(f)}`, rtf(r.seconds)]),
          ),
        },
        checks,
        notes: [
          'peak memory = this process + its ffmpeg children (RSS) + the temp folder (memory on Cloud Functions)',
          'each format is rendered alone, one after another, as its own task (instance) renders it; the instances run side by side in production',
          `Shotstack's published figure: about 10 s of render for a 30 s video (real-time factor ${round(SHOTSTACK_RTF, 2)})`,
        ],
      };
    } finally {
      await rm(media, { recursive: true, force: true });
      await rm(work, { recursive: true, force: true });
    }
  },
};

/** The baseline: a plain concat of the same clips at the same size (each fitted to 9:16, held or cut to its
 * scene, with its own audio) and the same MP4 preset, kept here only to measure against. */
function plainConcatArgs(
  scenes: readonly { video: string; audio: string; durationSeconds: number }[],
  size: { width: number; height: number },
  resolution: Resolution,
  output: string,
): string[] {
  const { width: w, height: h } = size;
  const filters = scenes.map((s, i) => {
    const d = String(s.durationSeconds);
    return (
      `[${2 * i}:v:0]setpts=PTS-STARTPTS,fps=30,scale=${w}:${h}:force_original_aspect_ratio=decrease,` +
      `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=yuv420p,` +
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
    ...['-map', '[v]', '-map', '[a]', ...mp4OutputArgs(resolution), output],
  ];
}
