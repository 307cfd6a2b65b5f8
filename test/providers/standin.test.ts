// The stand-in itself: admin API, determinism, schema-driven answers, the very large streamed output, the
// request guards, and the CLI.
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { StoryboardOutputSchema } from '@reelforge/schema';
import { createMediaProvider } from '../../functions/src/providers/media.js';
import { LatencyDraws } from '../../scripts/standin/latency.js';
import { API_KEY, download, ffprobe, standinWithScratch } from './helpers.js';

const env = standinWithScratch();
afterEach(() => {
  env.server.faults.clear();
  env.server.config.bigOutputBytes = 0;
});

async function call(
  path: string,
  init: { method?: string; body?: unknown; auth?: boolean } = {},
): Promise<Response> {
  return fetch(`${env.server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      'content-type': 'application/json',
      ...(init.auth === false ? {} : { authorization: `Bearer ${API_KEY}` }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

function chat(name: string | undefined, content: string, schema: unknown = {}): Promise<Response> {
  return call('/openai/v1/chat/completions', {
    body: {
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content }],
      ...(name
        ? { response_format: { type: 'json_schema', json_schema: { name, strict: true, schema } } }
        : {}),
    },
  });
}

async function answer(response: Response): Promise<unknown> {
  const body = (await response.json()) as { choices: { message: { content: string } }[] };
  return JSON.parse(body.choices[0]?.message.content ?? 'null');
}

describe('stand-in', () => {
  it('answers deterministically for a seed and prompt, and differently for another prompt', async () => {
    const prompt = 'Brand name: Acme\nWrite a storyboard of exactly 5 scenes, about 20 seconds in total.';
    const first = await answer(await chat('storyboard', prompt));
    expect(await answer(await chat('storyboard', prompt))).toEqual(first);
    expect(await answer(await chat('storyboard', `${prompt}\nTone: calm`))).not.toEqual(first);
    const parsed = StoryboardOutputSchema.parse(first);
    expect(parsed.scenes).toHaveLength(5);
  });

  it('answers an unknown schema with a value of that schema, and plain chat with text', async () => {
    const schema = {
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string' } },
        score: { type: 'number' },
        kind: { enum: ['a', 'b'] },
      },
      required: ['tags', 'score', 'kind'],
      additionalProperties: false,
    };
    const value = (await answer(await chat('something_else', 'hi', schema))) as Record<string, unknown>;
    expect(Array.isArray(value.tags)).toBe(true);
    expect(typeof value.score).toBe('number');
    expect(['a', 'b']).toContain(value.kind);
    const plain = (await (await chat(undefined, 'hello')).json()) as {
      choices: { message: { content: string } }[];
    };
    expect(plain.choices[0]?.message.content).toContain('hello');
  });

  it('requires a bearer token and well-formed requests', async () => {
    expect((await call('/openai/v1/chat/completions', { body: {}, auth: false })).status).toBe(401);
    expect((await call('/replicate/v1/predictions/x', { auth: false })).status).toBe(401);
    expect((await call('/openai/v1/chat/completions', { body: { model: 'm' } })).status).toBe(400);
    expect((await call('/replicate/v1/predictions', { body: { input: {} } })).status).toBe(422);
    expect(
      (
        await call('/replicate/v1/models/black-forest-labs/flux-schnell/predictions', {
          body: { input: { prompt: 'x' }, webhook: 'ftp://x' },
        })
      ).status,
    ).toBe(422);
    // An unknown model has no latest-version endpoint.
    expect((await call('/replicate/v1/models/a/b/predictions', { body: { input: {} } })).status).toBe(404);
  });

  it('admin API: rules validated and listed, config changed, stats read and reset', async () => {
    expect((await call('/__standin/faults', { body: { target: 'openai', fault: 'explode' } })).status).toBe(
      400,
    );
    const added = await call('/__standin/faults', {
      body: {
        rules: [
          { target: 'replicate', fault: 'http_500', kind: 'video', times: 2 },
          { target: 'openai', fault: 'slow' },
        ],
      },
    });
    expect(added.status).toBe(200);
    const listed = (await (await call('/__standin/faults')).json()) as {
      rules: unknown[];
      faults: Record<string, string>;
    };
    expect(listed.rules).toHaveLength(2);
    expect(Object.keys(listed.faults)).toContain('expire_output');
    expect((await call('/__standin/faults', { method: 'DELETE' })).status).toBe(200);
    expect(env.server.faults.list()).toHaveLength(0);

    expect((await call('/__standin/config', { body: { predictionSeconds: -1 } })).status).toBe(400);
    expect((await call('/__standin/config', { body: { nope: 1 } })).status).toBe(400);
    const config = (await (
      await call('/__standin/config', { body: { predictionSeconds: 0.25, outputTtlSeconds: 60 } })
    ).json()) as {
      predictionSeconds: number;
    };
    expect(config.predictionSeconds).toBe(0.25);
    expect(env.server.config.outputTtlSeconds).toBe(60);

    await chat('moods', 'Brand name: X');
    const stats = (await (await call('/__standin/stats')).json()) as {
      chatCompletions: number;
      requests: { total: number };
    };
    expect(stats.chatCompletions).toBeGreaterThan(0);
    await call('/__standin/stats', { method: 'DELETE' });
    expect(env.server.stats.chatCompletions).toBe(0);
    env.server.config.predictionSeconds = 0.3;
    env.server.config.outputTtlSeconds = 3600;
  });

  it('holdPredictions keeps a prediction processing past its run time until it is released', async () => {
    expect((await call('/__standin/config', { body: { holdPredictions: 'yes' } })).status).toBe(400);
    expect((await call('/__standin/config', { body: { holdPredictions: true } })).status).toBe(200);
    try {
      const media = createMediaProvider({ baseURL: env.server.replicateBaseUrl, apiKey: API_KEY });
      const succeeded = env.server.stats.predictionsSucceeded;
      const started = await media.start('scene_image', { prompt: 'held', aspectRatio: '16:9' });
      // Well past its 0.3 s run time (and its media made): still running, its progress complete.
      await new Promise((r) => setTimeout(r, 1_500));
      const held = await media.get(started.id);
      expect(held.status).toBe('processing');
      expect(env.server.stats.predictionsSucceeded).toBe(succeeded);
      const releasedAt = Date.now();
      expect((await call('/__standin/config', { body: { holdPredictions: false } })).status).toBe(200);
      const final = await media.waitUntilDone(started.id, { intervalMs: 40, deadline: Date.now() + 5_000 });
      expect(final.status).toBe('succeeded');
      expect(Date.now() - releasedAt).toBeLessThan(1_000);
    } finally {
      env.server.config.holdPredictions = false;
    }
  });

  it('latencies: validated, drawn log-normally per kind from the seed, and taken by answers and predictions', async () => {
    for (const latencies of [
      { nope: { medianSeconds: 1, spread: 0 } },
      { chat: { medianSeconds: -1, spread: 0 } },
      { chat: { medianSeconds: 1, spread: 5 } },
      { chat: { medianSeconds: 1, spread: 0, extra: 1 } },
      { video: { medianSeconds: 1, spread: 0, perOutputSecond: 'fast' } },
      [],
    ]) {
      const refused = await call('/__standin/config', { body: { latencies } });
      expect(refused.status, JSON.stringify(latencies)).toBe(400);
    }

    // The draws: median and spread as asked, the same sequence again for the same seed.
    const spec = { medianSeconds: 2, spread: 0.3 };
    const draws = new LatencyDraws(7);
    const values = Array.from({ length: 4000 }, () => draws.seconds({ video: spec }, 'video')!);
    const sorted = [...values].sort((a, b) => a - b);
    expect(sorted[2000]!).toBeGreaterThan(1.9);
    expect(sorted[2000]!).toBeLessThan(2.1);
    const withinOneSigma = values.filter((v) => Math.abs(Math.log(v / 2)) <= 0.3).length / values.length;
    expect(withinOneSigma).toBeGreaterThan(0.64);
    expect(withinOneSigma).toBeLessThan(0.72);
    const again = new LatencyDraws(7);
    expect(values.slice(0, 5)).toEqual(
      Array.from({ length: 5 }, () => again.seconds({ video: spec }, 'video')),
    );
    expect(new LatencyDraws(7).seconds({}, 'chat')).toBeUndefined();
    expect(
      new LatencyDraws(7).seconds({ audio: { medianSeconds: 1, perOutputSecond: 2, spread: 0 } }, 'audio', 3),
    ).toBe(7);

    const set = await call('/__standin/config', {
      body: {
        latencies: {
          chat: { medianSeconds: 0.4, spread: 0 },
          audio: { medianSeconds: 0.2, perOutputSecond: 0.3, spread: 0 },
        },
      },
    });
    expect(set.status).toBe(200);
    try {
      const t0 = Date.now();
      expect((await chat(undefined, 'hello')).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
      // A 2 s track: 0.2 s + 0.3 s per second of output, instead of predictionSeconds (0.3 s).
      const media = createMediaProvider({ baseURL: env.server.replicateBaseUrl, apiKey: API_KEY });
      const started = await media.start('audio', {
        prompt: 'a bed',
        aspectRatio: '9:16',
        durationSeconds: 2,
      });
      await media.waitUntilDone(started.id, { intervalMs: 40, deadline: Date.now() + 10_000 });
      const read = (await (await call(`/replicate/v1/predictions/${started.id}`)).json()) as {
        metrics: { total_time: number };
      };
      expect(read.metrics.total_time).toBeGreaterThanOrEqual(0.79);
    } finally {
      expect((await call('/__standin/config', { body: { latencies: {} } })).status).toBe(200);
    }
    expect(env.server.config.latencies).toEqual({});
    const t0 = Date.now();
    await chat(undefined, 'hello again');
    expect(Date.now() - t0).toBeLessThan(390);
  });

  it('streams a very large video output that is still a valid MP4, without holding it', async () => {
    const bytes = 64 * 1024 * 1024;
    env.server.config.bigOutputBytes = bytes;
    const media = createMediaProvider({ baseURL: env.server.replicateBaseUrl, apiKey: API_KEY });
    const started = await media.start('video', {
      prompt: 'big',
      aspectRatio: '16:9',
      durationSeconds: 2,
      resolution: '720p',
    });
    const final = await media.waitUntilDone(started.id, { intervalMs: 40, deadline: Date.now() + 20_000 });
    const heapBefore = process.memoryUsage().heapUsed;
    const file = await download(final.outputUrls[0] ?? '', 'video', env.dir, 'big.mp4');
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(bytes / 2);
    expect((await stat(file.path)).size).toBe(bytes);
    const probe = await ffprobe(file.path);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    expect(Math.abs(probe.duration - 2)).toBeLessThanOrEqual(0.2);
    expect(env.server.stats.bytesServed).toBeGreaterThanOrEqual(bytes);
  });
});

describe('CLI', () => {
  const main = fileURLToPath(new URL('../../scripts/standin/main.ts', import.meta.url));

  function run(args: string[]): { child: ReturnType<typeof spawn>; output: () => string } {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    return { child, output: () => out };
  }

  function exit(child: ReturnType<typeof spawn>): Promise<number | null> {
    return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  it('--help lists the options and the faults', async () => {
    const { child, output } = run(['--help']);
    expect(await exit(child)).toBe(0);
    expect(output()).toContain('--prediction-seconds');
    expect(output()).toContain('drop_webhook');
  });

  it('logs one line when ready and exits cleanly on SIGTERM', async () => {
    const { child, output } = run(['--port', '0']);
    const deadline = Date.now() + 15_000;
    while (!output().includes('ready at')) {
      if (Date.now() > deadline) throw new Error(`not ready: ${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = /ready at (\S+)/.exec(output())?.[1] ?? '';
    expect((await fetch(`${url}/__standin/health`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exit(child)).toBe(0);
  });
});
