// The final render on local files, no emulator: clips of other sizes, rates and lengths, with and without
// audio, go through the real ffmpeg, and ffprobe checks the result.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SceneDoc } from '@reelforge/schema';
import { renderArgs } from '../../functions/src/render/command.js';
import { inputSizeProblem, RENDER_INPUT_LIMITS } from '../../functions/src/render/inputs.js';
import { planRender } from '../../functions/src/render/plan.js';
import { MAX_VIDEO_BYTES } from '../../functions/src/providers/output-fetch.js';
import { parseClock, progressReader } from '../../functions/src/render/progress.js';
import { renderVideo } from '../../functions/src/render/render-video.js';
import { FfmpegError } from '../../functions/src/render/run.js';
import { withTempDir } from '../../functions/src/render/workdir.js';
import { PermanentJobError } from '../../functions/src/errors.js';
import { probeMedia } from '../../scripts/demo/probe.js';

const run = promisify(execFile);
let dir: string;

/** A test clip from ffmpeg's own sources, unlike the output in size, rate and length. */
async function makeClip(name: string, size: string, rate: number, seconds: number) {
  const path = join(dir, name);
  await run(ffmpeg.path, [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'],
    ...[
      '-i',
      `testsrc=size=${size}:rate=${rate}`,
      '-t',
      String(seconds),
      '-pix_fmt',
      'yuv420p',
      '-c:v',
      'libx264',
    ],
    path,
  ]);
  return path;
}

async function makeTone(name: string, seconds: number) {
  const path = join(dir, name);
  await run(ffmpeg.path, [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'],
    ...['-i', `sine=frequency=440:sample_rate=44100`, '-t', String(seconds), path],
  ]);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renderVideo', () => {
  it('holds a short clip, cuts a long one, mixes audio and silence, and outputs 9:16 H.264/AAC', async () => {
    // Scene 1: a 1.5 s clip for a 2.5 s scene (held), with 3 s of audio (cut).
    // Scene 2: a 4 s clip for a 3 s scene (cut), without audio (silence).
    const [a, b, tone] = await Promise.all([
      makeClip('a.mp4', '320x240', 24, 1.5),
      makeClip('b.mp4', '640x360', 25, 4),
      makeTone('a.mp3', 3),
    ]);
    const output = join(dir, 'out-9x16.mp4');
    const progress: number[] = [];
    await renderVideo({
      clips: [
        { video: a, audio: tone, durationSeconds: 2.5 },
        { video: b, durationSeconds: 3 },
      ],
      aspectRatio: '9:16',
      output,
      onProgress: (p) => void progress.push(p),
    });
    const probe = await probeMedia(output);
    expect(probe.durationSeconds).toBeGreaterThan(5.5 - 0.2);
    expect(probe.durationSeconds).toBeLessThan(5.5 + 0.2);
    const video = probe.streams.filter((s) => s.codec_type === 'video');
    const audio = probe.streams.filter((s) => s.codec_type === 'audio');
    expect(video).toHaveLength(1);
    expect(audio).toHaveLength(1);
    expect(video[0]).toMatchObject({
      codec_name: 'h264',
      width: 720,
      height: 1280,
      pix_fmt: 'yuv420p',
      r_frame_rate: '30/1',
    });
    expect(audio[0]).toMatchObject({ codec_name: 'aac' });
    expect(progress.every((p) => p >= 0 && p <= 100)).toBe(true);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });

  it('outputs 16:9 at 1280x720 with fractional durations summed exactly', async () => {
    const clip = await makeClip('c.mp4', '200x200', 30, 2);
    const output = join(dir, 'out-16x9.mp4');
    await renderVideo({
      clips: [
        { video: clip, durationSeconds: 1.2 },
        { video: clip, durationSeconds: 2.7 },
        { video: clip, durationSeconds: 1 },
      ],
      aspectRatio: '16:9',
      output,
    });
    const probe = await probeMedia(output);
    expect(Math.abs(probe.durationSeconds - 4.9)).toBeLessThan(0.2);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 1280, height: 720 });
    expect(probe.streams.filter((s) => s.codec_type === 'audio')).toHaveLength(1);
  });

  it('fails with ffmpeg’s own message on an undecodable clip', async () => {
    const junk = join(dir, 'scene-02-video.mp4');
    await writeFile(junk, 'not a video');
    const error = await renderVideo({
      clips: [{ video: junk, durationSeconds: 1 }],
      aspectRatio: '9:16',
      output: join(dir, 'never.mp4'),
    }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(FfmpegError);
    expect((error as FfmpegError).exitCode).not.toBe(0);
    expect((error as FfmpegError).message).toContain('scene-02-video.mp4');
  });

  it('stops ffmpeg when the progress callback throws (the job was canceled)', async () => {
    const clip = await makeClip('d.mp4', '320x240', 30, 1);
    const canceled = new Error('canceled');
    const started = Date.now();
    const error = await renderVideo({
      clips: [{ video: clip, durationSeconds: 60 }],
      aspectRatio: '16:9',
      output: join(dir, 'canceled.mp4'),
      onProgress: () => {
        throw canceled;
      },
    }).catch((err: unknown) => err);
    expect(error).toBe(canceled);
    // A whole 60 s render would take many seconds; the kill ends it at the first progress report.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stops ffmpeg when the abort signal fires', async () => {
    const clip = await makeClip('e.mp4', '320x240', 30, 1);
    const controller = new AbortController();
    const reason = new Error('aborted');
    setTimeout(() => controller.abort(reason), 200);
    const error = await renderVideo({
      clips: [{ video: clip, durationSeconds: 120 }],
      aspectRatio: '9:16',
      output: join(dir, 'aborted.mp4'),
      signal: controller.signal,
    }).catch((err: unknown) => err);
    expect(error).toBe(reason);
  });
});

describe('renderArgs', () => {
  it('reads every input as a local file of the format its extension names, nothing else', () => {
    const args = renderArgs({
      clips: [{ video: '/tmp/r/v1.mp4', audio: '/tmp/r/a1.mp3', durationSeconds: 2 }],
      aspectRatio: '9:16',
      output: 'out.mp4',
    });
    const at = args.indexOf('-i');
    expect(args.slice(at - 4, at + 2)).toEqual([
      '-protocol_whitelist',
      'file',
      '-f',
      'mp4',
      '-i',
      '/tmp/r/v1.mp4',
    ]);
    const audio = args.indexOf('-i', at + 1);
    expect(args.slice(audio - 4, audio + 2)).toEqual([
      '-protocol_whitelist',
      'file',
      '-f',
      'mp3',
      '-i',
      '/tmp/r/a1.mp3',
    ]);
    expect(() =>
      renderArgs({
        clips: [{ video: '/tmp/r/v1.m3u8', durationSeconds: 2 }],
        aspectRatio: '9:16',
        output: 'o.mp4',
      }),
    ).toThrow(/cannot read a \.m3u8 file/);
  });

  it('uses silence for a scene without audio and the audio input for one with it', () => {
    const args = renderArgs({
      clips: [
        { video: 'v1.mp4', audio: 'a1.wav', durationSeconds: 2 },
        { video: 'v2.mp4', durationSeconds: 0.1 + 0.2 },
      ],
      aspectRatio: '16:9',
      output: 'out.mp4',
    });
    expect(args.filter((a) => a === '-i')).toHaveLength(3);
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('[1:a:0]');
    expect(graph).toContain('anullsrc=r=48000:cl=stereo');
    // Float noise never reaches ffmpeg.
    expect(graph).toContain('trim=duration=0.3,');
    expect(graph).toContain('scale=1280:720');
    expect(graph).toContain('[v0][a0][v1][a1]concat=n=2:v=1:a=1[v][a]');
    expect(args).toEqual(expect.arrayContaining(['libx264', 'aac', 'yuv420p', '+faststart']));
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
      'scenes 1 "A", 2 "B" and 4 "D" have no video clip yet; generate them first.',
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
