// Media through the real `replicate` SDK against the stand-in: each kind of prediction with its default
// model, progress while polling, cancel, faults and their classification, output expiry, and the files
// themselves (ffprobe reads the asked duration and size; the PNG carries the palette's colours).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { classifyPredictionFailure, ProviderError } from '../../functions/src/providers/errors.js';
import { createMediaProvider } from '../../functions/src/providers/media.js';
import type { MediaProvider } from '../../functions/src/providers/media.js';
import { openOutput } from '../../functions/src/providers/output-fetch.js';
import type { PredictionState } from '../../functions/src/providers/prediction.js';
import { FFMPEG_PATH } from '../../scripts/standin/ffmpeg.js';
import type { Standin } from '../../scripts/standin/server.js';
import { API_KEY, download, ffprobe, hostOf, rejection, standin, tempDir } from './helpers.js';

let server: Standin;
let media: MediaProvider;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  server = await standin({ replicateApiToken: API_KEY });
  media = createMediaProvider({ baseURL: server.replicateBaseUrl, apiKey: API_KEY, requestTimeoutMs: 2_000 });
  ({ dir, cleanup } = await tempDir());
});
afterAll(async () => {
  await server.close();
  await cleanup();
});
afterEach(() => {
  server.faults.clear();
  server.config.predictionSeconds = 0.3;
  server.config.outputTtlSeconds = 3600;
});

function done(id: string, onProgress?: (s: PredictionState) => void): Promise<PredictionState> {
  return media.waitUntilDone(id, {
    intervalMs: 40,
    deadline: Date.now() + 20_000,
    ...(onProgress ? { onProgress } : {}),
  });
}

/** RGB of `n` columns across the middle row of an image (ffmpeg averages each column band). */
async function middleRow(path: string, n: number): Promise<number[][]> {
  const { stdout } = await promisify(execFile)(
    FFMPEG_PATH,
    [
      '-v',
      'error',
      '-i',
      path,
      '-vf',
      `crop=iw:1:0:ih/2,scale=${n}:1`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ],
    { encoding: 'buffer' },
  );
  return Array.from({ length: n }, (_, i) => [
    stdout[i * 3] ?? 0,
    stdout[i * 3 + 1] ?? 0,
    stdout[i * 3 + 2] ?? 0,
  ]);
}

function rgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

describe('predictions, polled', () => {
  it('mood images: flux-schnell, several outputs, progress from the logs, PNGs in the palette', async () => {
    const palette = ['#e63946', '#2a9d8f', '#f1c453'];
    const started = await media.start('mood_image', {
      prompt: 'Mood board for a water bottle.',
      aspectRatio: '9:16',
      palette,
      count: 2,
      seed: 7,
    });
    expect(started.status).toBe('starting');
    const seen: PredictionState[] = [];
    const final = await done(started.id, (s) => seen.push(s));
    expect(final.status).toBe('succeeded');
    expect(final.progress).toBe(100);
    expect(final.outputUrls).toHaveLength(2);
    const progress = seen.filter((s) => s.status === 'processing').map((s) => s.progress);
    expect(progress.some((p) => p > 0 && p < 100)).toBe(true);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    const file = await download(final.outputUrls[0] ?? '', 'image', dir, 'mood.png');
    expect(file.contentType).toBe('image/png');
    const probe = await ffprobe(file.path);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'png', width: 720, height: 1280 });
    const row = await middleRow(file.path, 12);
    for (const hex of palette) {
      const target = rgb(hex);
      const nearest = Math.min(...row.map((px) => Math.hypot(...px.map((v, i) => v - (target[i] ?? 0)))));
      expect(nearest).toBeLessThan(45);
    }
  });

  it('scene image 16:9 is 1280x720', async () => {
    const final = await done(
      (await media.start('scene_image', { prompt: 'keyframe', aspectRatio: '16:9' })).id,
    );
    const file = await download(final.outputUrls[0] ?? '', 'image', dir, 'scene.png');
    expect((await ffprobe(file.path)).streams[0]).toMatchObject({ width: 1280, height: 720 });
  });

  it('video: image-to-video of the asked duration, aspect ratio and 1080p (the default), from an image URL', async () => {
    const image = await done((await media.start('scene_image', { prompt: 'still', aspectRatio: '9:16' })).id);
    const started = await media.start('video', {
      prompt: 'slow push-in',
      aspectRatio: '9:16',
      durationSeconds: 4,
      imageUrl: image.outputUrls[0] ?? '',
    });
    const final = await done(started.id);
    expect(final.status).toBe('succeeded');
    expect(final.outputUrls).toHaveLength(1);
    const file = await download(final.outputUrls[0] ?? '', 'video', dir, 'clip.mp4');
    const probe = await ffprobe(file.path);
    expect(probe.streams[0]).toMatchObject({
      codec_type: 'video',
      codec_name: 'h264',
      width: 1080,
      height: 1920,
    });
    expect(Math.abs(probe.duration - 4)).toBeLessThanOrEqual(0.2);
  });

  it('video 16:9 of 6 s at 720p without an image', async () => {
    const final = await done(
      (
        await media.start('video', {
          prompt: 'pan',
          aspectRatio: '16:9',
          durationSeconds: 6,
          resolution: '720p',
        })
      ).id,
    );
    const probe = await ffprobe((await download(final.outputUrls[0] ?? '', 'video', dir, 'wide.mp4')).path);
    expect(probe.streams[0]).toMatchObject({ width: 1280, height: 720 });
    expect(Math.abs(probe.duration - 6)).toBeLessThanOrEqual(0.2);
  });

  it('audio: musicgen by version, an MP3 of the asked duration', async () => {
    const final = await done(
      (await media.start('audio', { prompt: 'calm synth', aspectRatio: '9:16', durationSeconds: 5 })).id,
    );
    expect(final.status).toBe('succeeded');
    const file = await download(final.outputUrls[0] ?? '', 'audio', dir, 'track.mp3');
    expect(file.contentType).toBe('audio/mpeg');
    const probe = await ffprobe(file.path);
    expect(probe.streams[0]).toMatchObject({ codec_type: 'audio', codec_name: 'mp3' });
    expect(Math.abs(probe.duration - 5)).toBeLessThanOrEqual(0.2);
  });

  it('cancel stops a running prediction', async () => {
    server.config.predictionSeconds = 5;
    const started = await media.start('video', { prompt: 'long', aspectRatio: '16:9', durationSeconds: 2 });
    const canceled = await media.cancel(started.id);
    expect(canceled.status).toBe('canceled');
    expect((await media.get(started.id)).status).toBe('canceled');
    expect(server.stats.predictionsCanceled).toBeGreaterThanOrEqual(1);
    expect(classifyPredictionFailure({ id: started.id, status: 'canceled' })).toMatchObject({
      retryable: false,
    });
  });

  it('an unknown prediction is a permanent 404', async () => {
    await expect(media.get('doesnotexist')).rejects.toMatchObject({ retryable: false, status: 404 });
  });

  it('a wrong token is a permanent 401', async () => {
    const wrong = createMediaProvider({ baseURL: server.replicateBaseUrl, apiKey: 'nope' });
    await expect(wrong.start('audio', { prompt: 'x', aspectRatio: '9:16' })).rejects.toMatchObject({
      retryable: false,
      status: 401,
    });
  });
});

describe('faults', () => {
  it('create answering 500 or 429 is retryable, 422 permanent and readable; one HTTP attempt each', async () => {
    const before = server.stats.requests.replicate;
    for (const [fault, retryable] of [
      ['http_500', true],
      ['http_429', true],
      ['http_422', false],
    ] as const) {
      server.faults.clear();
      server.faults.add({ target: 'replicate', fault, kind: 'image' });
      const err = await rejection(media.start('scene_image', { prompt: 'x', aspectRatio: '9:16' }));
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ provider: 'replicate', retryable });
      if (fault === 'http_422') expect((err as Error).message).toContain('Input validation failed');
    }
    // The SDK would have retried 429 (and the GET 5xx) five more times on its own.
    expect(server.stats.requests.replicate - before).toBe(3);
  });

  it('a hung create times out quickly as retryable (no SDK retry loop)', async () => {
    server.faults.add({ target: 'replicate', fault: 'hang' });
    const quick = createMediaProvider({
      baseURL: server.replicateBaseUrl,
      apiKey: API_KEY,
      requestTimeoutMs: 300,
    });
    const started = Date.now();
    const err = await rejection(quick.start('audio', { prompt: 'x', aspectRatio: '9:16' }));
    expect(err).toMatchObject({ retryable: true, code: 'timeout' });
    // One attempt: the SDK's own loop would have waited 6 x 300 ms.
    expect(Date.now() - started).toBeLessThan(1_200);
    expect(server.stats.faultsInjected.hang).toBe(1);
  });

  it('polling rides out a few failing GETs', async () => {
    server.faults.add({ target: 'replicate', fault: 'http_500', on: 'get', times: 2 });
    const final = await done(
      (await media.start('audio', { prompt: 'x', aspectRatio: '9:16', durationSeconds: 1 })).id,
    );
    expect(final.status).toBe('succeeded');
    expect(server.stats.faultsInjected.http_500).toBeGreaterThanOrEqual(2);
  });

  it('a failed prediction is retryable; an NSFW refusal is permanent', async () => {
    const failed = await done(
      (await media.start('scene_image', { prompt: 'x [[standin:fail_prediction]]', aspectRatio: '9:16' })).id,
    );
    expect(failed.status).toBe('failed');
    expect(
      classifyPredictionFailure({
        id: failed.id,
        status: 'failed',
        ...(failed.error ? { error: failed.error } : {}),
      }),
    ).toMatchObject({
      retryable: true,
    });

    server.faults.add({ target: 'replicate', fault: 'refused', kind: 'image' });
    const refused = await done((await media.start('scene_image', { prompt: 'y', aspectRatio: '9:16' })).id);
    expect(refused.status).toBe('failed');
    const err = classifyPredictionFailure({
      id: refused.id,
      status: 'failed',
      ...(refused.error ? { error: refused.error } : {}),
    });
    expect(err).toMatchObject({ retryable: false, code: 'content_refused' });
    expect(err.message).toContain('NSFW');
  });

  it('a slow prediction takes slowFactor times longer', async () => {
    server.faults.add({ target: 'replicate', fault: 'slow' });
    server.config.slowMs = 0;
    const started = Date.now();
    const final = await done(
      (await media.start('audio', { prompt: 'x', aspectRatio: '9:16', durationSeconds: 1 })).id,
    );
    expect(final.status).toBe('succeeded');
    expect(Date.now() - started).toBeGreaterThanOrEqual(
      server.config.predictionSeconds * 1000 * server.config.slowFactor * 0.9,
    );
  });

  it('an expired output URL is a permanent "expired" error (fault and TTL)', async () => {
    const expired = await done(
      (
        await media.start('audio', {
          prompt: 'x [[standin:expire_output]]',
          aspectRatio: '9:16',
          durationSeconds: 1,
        })
      ).id,
    );
    const url = expired.outputUrls[0] ?? '';
    const err = await rejection(
      openOutput(url, { kind: 'audio', allowedHosts: [hostOf(url)], requireHttps: false }),
    );
    expect(err).toMatchObject({ provider: 'output', retryable: false, code: 'expired' });
    expect((err as Error).message).toContain("the provider's output URL has expired");

    server.config.outputTtlSeconds = 0.4;
    const short = await done(
      (await media.start('audio', { prompt: 'ttl', aspectRatio: '9:16', durationSeconds: 1 })).id,
    );
    const shortUrl = short.outputUrls[0] ?? '';
    const fresh = await openOutput(shortUrl, {
      kind: 'audio',
      allowedHosts: [hostOf(shortUrl)],
      requireHttps: false,
    });
    fresh.stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(
      openOutput(shortUrl, { kind: 'audio', allowedHosts: [hostOf(shortUrl)], requireHttps: false }),
    ).rejects.toMatchObject({
      code: 'expired',
    });
  });

  it('waitUntilDone gives up with a retryable timeout, and honours an abort signal', async () => {
    server.config.predictionSeconds = 5;
    const started = await media.start('audio', { prompt: 'x', aspectRatio: '9:16', durationSeconds: 1 });
    await expect(
      media.waitUntilDone(started.id, { intervalMs: 50, deadline: Date.now() + 200 }),
    ).rejects.toMatchObject({
      retryable: true,
      code: 'timeout',
    });
    await expect(
      media.waitUntilDone(started.id, {
        intervalMs: 50,
        signal: AbortSignal.timeout(150),
        deadline: Date.now() + 20_000,
      }),
    ).rejects.toMatchObject({ retryable: true });
    await media.cancel(started.id);
  });
});
