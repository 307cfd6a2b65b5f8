// The render's inputs and its runs on local files, no emulator: every ffmpeg input is a local file of the
// format its extension names (a playlist named .mp4 is refused), and the job's own renderAd goes through the
// real ffmpeg, ffprobe checking the result.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SceneDoc } from '@reelforge/schema';
import { mixArgs, videoArgs, type AdSpec } from '../../functions/src/render/ad-graph.js';
import { demuxerFor, fileInput } from '../../functions/src/render/ffmpeg-input.js';
import { masterArgs, measureArgs } from '../../functions/src/render/loudness.js';
import { inputSizeProblem, RENDER_INPUT_LIMITS } from '../../functions/src/render/inputs.js';
import { planRender } from '../../functions/src/render/plan.js';
import { MAX_VIDEO_BYTES } from '../../functions/src/providers/output-fetch.js';
import { parseClock, progressReader } from '../../functions/src/render/progress.js';
import { renderAd, type RenderAdOptions } from '../../functions/src/render/render-ad.js';
import { FfmpegError } from '../../functions/src/render/run.js';
import { withTempDir } from '../../functions/src/render/workdir.js';
import { PermanentJobError } from '../../functions/src/errors.js';
import { probeMedia } from '../../scripts/demo/probe.js';
import { lavfiClip } from '../support/ad-fixture.js';

const run = promisify(execFile);
let dir: string;

/** A test clip from ffmpeg's own sources, unlike the output in size, rate and length. */
async function makeClip(name: string, size: string, rate: number, seconds: number) {
  const path = join(dir, name);
  await lavfiClip(path, `testsrc=size=${size}:rate=${rate}`, seconds);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The smallest ad the job can render: one scene, no voice, no bed, no card. */
function oneScene(video: string, durationSeconds = 1): AdSpec {
  return {
    scenes: [{ video, durationSeconds }],
    transition: 'cut',
    transitionSeconds: 0,
    captions: false,
    accent: '#ffffff',
    sourceFormat: '9:16',
    resolution: '720p',
  };
}

async function render(spec: AdSpec, extra: Partial<RenderAdOptions> = {}) {
  const work = await mkdtemp(join(dir, 'work-'));
  return renderAd({
    spec,
    formats: ['9:16'],
    workDir: work,
    outputFor: () => join(work, 'out.mp4'),
    ...extra,
  });
}

/** Rendering a one-scene ad from `clip` fails in ffmpeg itself (non-zero exit) with a message naming `name`. */
async function expectFfmpegRefusal(clip: string, name: string): Promise<void> {
  const error = await render(oneScene(clip)).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(FfmpegError);
  expect((error as FfmpegError).exitCode).not.toBe(0);
  expect((error as FfmpegError).message).toContain(name);
}

describe('every ffmpeg input is a local file of the format its extension names', () => {
  it('builds -protocol_whitelist file -f <demuxer> -i <path>, and refuses unknown extensions', () => {
    expect(fileInput('/tmp/r/v1.mp4')).toEqual([
      '-protocol_whitelist',
      'file',
      '-f',
      'mp4',
      '-i',
      '/tmp/r/v1.mp4',
    ]);
    expect(fileInput('/tmp/r/m.mp3', demuxerFor('/tmp/r/m.mp3'), ['-stream_loop', '-1'])).toEqual([
      ...['-stream_loop', '-1', '-protocol_whitelist', 'file', '-f', 'mp3', '-i', '/tmp/r/m.mp3'],
    ]);
    expect(demuxerFor('logo.PNG')).toBe('png_pipe');
    expect(demuxerFor('a.webm')).toBe('matroska');
    expect(() => demuxerFor('/tmp/r/v1.m3u8')).toThrow(/cannot read a \.m3u8 file/);
  });

  it('holds for every input of the mix, the loudness passes and every format of the ad', () => {
    const spec: AdSpec = {
      scenes: [
        { video: '/w/scene-01-video.mp4', audio: '/w/scene-01-audio.wav', durationSeconds: 2 },
        {
          video: '/w/scene-02-video.webm',
          voice: {
            path: '/w/scene-02-voice.mp3',
            words: [{ word: 'hi', start: 0, end: 0.5 }],
            durationSeconds: 1,
          },
          durationSeconds: 2,
        },
      ],
      music: '/w/music.m4a',
      transition: 'crossfade',
      transitionSeconds: 0.5,
      captions: true,
      accent: '#ffffff',
      endCard: { seconds: 2, brand: 'B', palette: ['#000000'], logo: '/w/logo.png' },
      sourceFormat: '9:16',
      resolution: '1080p',
    };
    const commands = [
      mixArgs(spec, { mix: '/w/mix.wav' }),
      measureArgs('/w/mix.wav'),
      masterArgs('/w/mix.wav', 1, '/w/master.wav'),
      ...(['9:16', '16:9'] as const).map((f) =>
        videoArgs(spec, f, { audio: '/w/master.wav', fontsDir: '/f', output: '/w/o.mp4' }),
      ),
    ];
    let inputs = 0;
    for (const args of commands) {
      args.forEach((arg, i) => {
        if (arg !== '-i') return;
        inputs++;
        expect(args.slice(i - 4, i)).toEqual(['-protocol_whitelist', 'file', '-f', demuxerFor(args[i + 1]!)]);
      });
    }
    // mix: voice + music; two measures and a master; each format: two clips, the logo, the master.
    expect(inputs).toBe(2 + 2 + 4 * 2);
  });
});

describe('renderAd on the inputs the job downloads', () => {
  it('refuses a playlist named .mp4 instead of following it', async () => {
    // An HLS playlist naming a real clip beside it: ffmpeg would detect HLS from the content and render the
    // clip it points at (or any URL or local file it names) if the input's format were guessed.
    const target = await makeClip('target.mp4', '320x240', 30, 1);
    const playlist = join(dir, 'scene-01-video.mp4');
    await writeFile(
      playlist,
      `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n${target}\n#EXT-X-ENDLIST\n`,
    );
    await expectFfmpegRefusal(playlist, 'scene-01-video.mp4');
  });

  it('renders a smaller clip of another rate and length to 1080x1920 H.264 High, 30 fps CFR, AAC-LC 48 kHz stereo', async () => {
    const clip = await makeClip('a.mp4', '320x240', 24, 1.5);
    const work = await mkdtemp(join(dir, 'work-'));
    const progress: number[] = [];
    await renderAd({
      spec: { ...oneScene(clip, 2.5), resolution: '1080p' },
      formats: ['9:16'],
      workDir: work,
      outputFor: () => join(work, 'out.mp4'),
      onProgress: (p) => void progress.push(p),
    });
    const probe = await probeMedia(join(work, 'out.mp4'));
    expect(Math.abs(probe.durationSeconds - 2.5)).toBeLessThan(0.2);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      profile: 'High',
      width: 1080,
      height: 1920,
      pix_fmt: 'yuv420p',
      r_frame_rate: '30/1',
      avg_frame_rate: '30/1',
    });
    expect(probe.streams.find((s) => s.codec_type === 'audio')).toMatchObject({
      codec_name: 'aac',
      profile: 'LC',
      sample_rate: '48000',
      channels: 2,
    });
    expect(progress.every((p) => p >= 0 && p <= 100)).toBe(true);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });

  it('fails with ffmpeg’s own message on an undecodable clip', async () => {
    const junk = join(dir, 'scene-02-video.mp4');
    await writeFile(junk, 'not a video');
    await expectFfmpegRefusal(junk, 'scene-02-video.mp4');
  });

  it('stops ffmpeg when the progress callback throws (the job was canceled)', async () => {
    const clip = await makeClip('d.mp4', '320x240', 30, 1);
    const canceled = new Error('canceled');
    const started = Date.now();
    const error = await render(oneScene(clip, 10), {
      onProgress: () => {
        throw canceled;
      },
    }).catch((err: unknown) => err);
    expect(error).toBe(canceled);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stops ffmpeg when the abort signal fires', async () => {
    const clip = await makeClip('e.mp4', '320x240', 30, 1);
    const controller = new AbortController();
    const reason = new Error('aborted');
    setTimeout(() => controller.abort(reason), 200);
    const error = await render(oneScene(clip, 10), { signal: controller.signal }).catch(
      (err: unknown) => err,
    );
    expect(error).toBe(reason);
  });
});

describe('progressReader', () => {
  it('reports the position at the end of each block, across split chunks', () => {
    const seen: [number, boolean][] = [];
    const read = progressReader((s, ended) => seen.push([s, ended]));
    read('frame=1\nout_time_us=N/A\nout_time=N/A\nprogress=continue\nout_time_us=1500000\nout_ti');
    read('me=00:00:01.500000\nprogress=continue\nout_time=00:01:02.250000\nprogress=end\n');
    expect(seen).toEqual([
      [1.5, false],
      [62.25, true],
    ]);
    expect(parseClock('-00:00:00.023220')).toBeUndefined();
  });
});

describe('planRender', () => {
  const scene = (n: number, title: string, video?: string, audio?: string): SceneDoc =>
    ({
      id: `s${n}`,
      scene_number: n,
      title,
      description: 'd',
      duration_seconds: n,
      assets: { ...(video ? { video_path: video } : {}), ...(audio ? { audio_path: audio } : {}) },
    }) as SceneDoc;

  it('orders scenes by number and keeps audio where present', () => {
    const plan = planRender([scene(2, 'B', 'b.mp4'), scene(1, 'A', 'a.mp4', 'a.mp3')]);
    expect(plan.map((p) => [p.sceneNumber, p.videoPath, p.audioPath])).toEqual([
      [1, 'a.mp4', 'a.mp3'],
      [2, 'b.mp4', undefined],
    ]);
  });

  it('names the scene without a video clip', () => {
    expect(() => planRender([scene(1, 'A', 'a.mp4'), scene(3, 'Title')])).toThrow(
      new PermanentJobError('scene 3 "Title" has no video clip yet; generate it first.'),
    );
  });

  it('names every scene without a video clip', () => {
    expect(() => planRender([scene(1, 'A'), scene(2, 'B'), scene(3, 'C', 'c.mp4'), scene(4, 'D')])).toThrow(
      'scene 1 "A", scene 2 "B" and scene 4 "D" have no video clip yet; generate them first.',
    );
  });
});

describe('withTempDir', () => {
  it('removes the folder when the work throws', async () => {
    let seen = '';
    await expect(
      withTempDir('render-test-', async (d) => {
        seen = d;
        await writeFile(join(d, 'x'), 'y');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(run('test', ['-e', seen])).rejects.toBeTruthy();
  });
});

describe('render input sizes', () => {
  const MiB = 1024 * 1024;
  const clip = (sceneNumber: number, bytes: number) =>
    ({ what: `the video clip of scene ${sceneNumber} "Scene ${sceneNumber}"`, bytes }) as const;

  it('takes inputs that fit the render memory', () => {
    expect(inputSizeProblem([clip(1, 20 * MiB), clip(2, 30 * MiB)])).toBeUndefined();
  });

  it('refuses one clip over the per-file cap, naming its scene', () => {
    expect(inputSizeProblem([clip(1, 20 * MiB), clip(2, 300 * MiB)])).toMatch(
      /video clip of scene 2 "Scene 2" is 300 MiB, over the 200 MiB/,
    );
  });

  it('takes any clip a video job may store: the per-file cap is the video output cap', () => {
    expect(inputSizeProblem([clip(1, MAX_VIDEO_BYTES)])).toBeUndefined();
    expect(RENDER_INPUT_LIMITS.fileBytes).toBe(MAX_VIDEO_BYTES);
  });

  it('refuses inputs that together exceed the total cap', () => {
    const many = Array.from({ length: 6 }, (_, i) => clip(i + 1, 100 * MiB));
    expect(inputSizeProblem(many)).toMatch(/add up to 600 MiB, over the 512 MiB/);
    expect(RENDER_INPUT_LIMITS.totalBytes).toBeLessThan(2048 * MiB);
  });
});
