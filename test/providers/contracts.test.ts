// The provider traffic against the providers' own published API descriptions (contracts/, a copy of ../shared/contracts: OpenAI's
// and Replicate's OpenAPI documents), checked by a real validator (scripts/standin/contracts.ts, ajv):
// every request the functions' provider layer sends and every answer the stand-in gives, recorded by a proxy
// between the two and validated here independently of the stand-in's own checks; the requests the documents
// refuse, refused in each provider's shape; the speech formats the document offers, all spoken.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLanguageModel } from '../../functions/src/providers/language-model.js';
import { createMediaProvider } from '../../functions/src/providers/media.js';
import type { MediaKind, MediaInput } from '../../functions/src/providers/models.js';
import { createSpeechProvider } from '../../functions/src/providers/speech.js';
import type { PredictionState } from '../../functions/src/providers/prediction.js';
import { outputMissing } from '../../functions/src/jobs/handlers/prediction.js';
import { Contracts, formFields, type ProviderName } from '../../scripts/standin/contracts.js';
import type { Standin } from '../../scripts/standin/server.js';
import { API_KEY, BRIEF, MOOD, ffprobe, standin, tempDir, webhookReceiver } from './helpers.js';

const contracts = Contracts.load();

interface Exchange {
  provider: ProviderName;
  method: string;
  path: string;
  contentType: string;
  requestBody: unknown;
  status: number;
  responseContentType: string;
  responseBody: unknown;
}

/** A proxy in front of the stand-in that keeps every request and answer, bodies parsed. */
async function recordingProxy(
  target: string,
): Promise<{ url: string; exchanges: Exchange[]; close(): Promise<void> }> {
  const exchanges: Exchange[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const url = req.url ?? '/';
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
        ) as Record<string, string>;
        const method = req.method ?? 'GET';
        const answer = await fetch(`${target}${url}`, {
          method,
          headers,
          ...(body.length > 0 ? { body } : {}),
        });
        const bytes = Buffer.from(await answer.arrayBuffer());
        const contentType = headers['content-type'] ?? '';
        const responseContentType = answer.headers.get('content-type') ?? '';
        const provider: ProviderName = url.startsWith('/openai/') ? 'openai' : 'replicate';
        let requestBody: unknown;
        if (contentType.startsWith('multipart/form-data')) {
          requestBody = formFields(
            await new Request('http://x/', {
              method: 'POST',
              headers: { 'content-type': contentType },
              body,
            }).formData(),
          );
        } else if (body.length > 0) requestBody = JSON.parse(body.toString('utf8'));
        exchanges.push({
          provider,
          method,
          path: new URL(url, 'http://x').pathname.replace(/^\/(openai|replicate)\/v1/, ''),
          contentType,
          requestBody,
          status: answer.status,
          responseContentType,
          responseBody: /json/.test(responseContentType) ? JSON.parse(bytes.toString('utf8')) : undefined,
        });
        res.writeHead(answer.status, { 'content-type': responseContentType });
        res.end(bytes);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What the documents say about one exchange: its operation, its request, its answer. */
function problemsOf(x: Exchange): string[] {
  const op = contracts.operation(x.provider, x.method, x.path);
  if ('missing' in op) return [`${x.method} ${x.path}: no such operation (${op.missing})`];
  const request = contracts.checkRequest(op, {
    method: x.method,
    path: x.path,
    contentType: x.contentType,
    body: x.requestBody,
  });
  const response =
    x.status >= 400
      ? x.provider === 'openai'
        ? contracts.checkSchema('openai', 'ErrorResponse', x.responseBody)
        : []
      : contracts.checkResponse(op, {
          method: x.method,
          path: x.path,
          body: x.requestBody,
          status: x.status,
          responseContentType: x.responseContentType,
          responseBody: x.responseBody,
        });
  return [
    ...request.map((p) => `request ${p.pointer} ${p.message}`),
    ...response.map((p) => `response ${p.pointer} ${p.message}`),
  ].map((p) => `${op.operationId} ${x.status}: ${p}`);
}

let server: Standin;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  server = await standin();
  proxy = await recordingProxy(server.url);
  ({ dir, cleanup } = await tempDir());
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
  await cleanup?.();
});

describe('the validator', () => {
  it('refuses what the documents refuse: it is not a validator that accepts everything', () => {
    expect(
      contracts
        .checkSchema('replicate', 'schemas_prediction_response', {})
        .map((p) => p.params.missingProperty),
    ).toEqual(expect.arrayContaining(['id', 'model', 'version', 'output', 'data_removed', 'urls']));
    const chat = contracts.operation('openai', 'POST', '/chat/completions');
    if ('missing' in chat) throw new Error('no chat operation');
    const messages = [{ role: 'user', content: 'hi' }];
    const check = (body: unknown) =>
      contracts.checkRequest(chat, {
        method: 'POST',
        path: '/chat/completions',
        contentType: 'application/json',
        body,
      });
    expect(check({ model: 'gpt-4.1-mini', messages })).toEqual([]);
    expect(check({ model: 'gpt-4.1-mini', messages, temperature: 5 }).map((p) => p.keyword)).toContain(
      'maximum',
    );
    expect(check({ model: 'gpt-4.1-mini', messages, temperature: null })).toEqual([]); // nullable
    expect(check({ model: 'gpt-4.1-mini', messages: [] }).map((p) => p.keyword)).toContain('minItems');
    // A discriminated union (response_format): each type with its own fields.
    expect(check({ model: 'm', messages, response_format: { type: 'json_schema' } }).length).toBeGreaterThan(
      0,
    );
    expect(check({ model: 'm', messages, response_format: { type: 'json_object' } })).toEqual([]);
    // Replicate's `version` lists "hidden" under oneOf twice (any string, or "hidden"): still accepted.
    const view = {
      id: 'p',
      model: 'black-forest-labs/flux-schnell',
      version: 'hidden',
      input: {},
      output: null,
      data_removed: false,
      error: null,
      status: 'starting',
      created_at: '2026-12-02T10:00:00.000Z',
      urls: { get: 'https://api.replicate.com/v1/predictions/p', cancel: 'https://x/c', web: 'https://x/w' },
    };
    expect(contracts.checkSchema('replicate', 'schemas_prediction_response', view)).toEqual([]);
    expect(
      contracts.checkSchema('replicate', 'schemas_prediction_response', { ...view, status: 'done' }),
    ).not.toEqual([]);
    expect(
      contracts.checkSchema('replicate', 'schemas_prediction_response', { ...view, created_at: 'yesterday' }),
    ).not.toEqual([]);
    expect(contracts.operation('replicate', 'POST', '/models/a/b/versions/c/predictions')).toEqual({
      missing: 404,
    });
  });
});

describe("the functions' provider layer against the documents", () => {
  it('every request it sends and every answer it gets is one the documents allow', async () => {
    proxy.exchanges.length = 0;
    const llm = createLanguageModel({
      baseURL: `${proxy.url}/openai/v1`,
      apiKey: API_KEY,
      model: 'gpt-4.1-mini',
    });
    await llm.generateMoods(BRIEF);
    const board = await llm.generateStoryboard({
      brief: BRIEF,
      mood: MOOD,
      sceneCount: 3,
      targetDurationSeconds: 12,
      aspectRatio: '9:16',
    });
    const scenes = board.scenes.map((s, i) => ({ ...s, id: `s${i}` }));
    await llm.regenerateSceneText({ brief: BRIEF, mood: MOOD, scenes, sceneId: 's1', instructions: 'rain' });
    await llm.generateComposition({ brief: BRIEF, mood: MOOD, scene: scenes[0]!, aspectRatio: '9:16' });

    const speech = createSpeechProvider({
      baseURL: `${proxy.url}/openai/v1`,
      apiKey: API_KEY,
      model: 'gpt-4o-mini-tts',
      voice: 'coral',
      transcriptionModel: 'whisper-1',
    });
    const wav = await speech.speak('Clean water, anywhere you go.', 'Bright and confident');
    const transcript = await speech.transcribe(wav, 'line.wav');
    expect(transcript.words.length).toBe(5);

    const hooks = await webhookReceiver();
    try {
      // Every model the functions map, by name or by version as the functions create them.
      const models: [MediaKind, string][] = [
        ['mood_image', 'black-forest-labs/flux-schnell'],
        ['scene_image', 'black-forest-labs/flux-dev'],
        ['scene_image', 'black-forest-labs/flux-1.1-pro'],
        ['product_image', ''],
        ['video', 'bytedance/seedance-1-lite'],
        ['video', 'kwaivgi/kling-v2.1'],
        ['video', 'wan-video/wan-2.2-i2v-fast'],
        ['audio', ''],
      ];
      const keyframe = await keyframeUrl();
      for (const [kind, model] of models) {
        const media = createMediaProvider({
          baseURL: `${proxy.url}/replicate/v1`,
          apiKey: API_KEY,
          models: model ? { [kind]: model } : {},
          webhookUrl: hooks.url,
        });
        const input: MediaInput = {
          prompt: 'a steel bottle on a desk',
          aspectRatio: '9:16',
          palette: MOOD.color_palette,
          durationSeconds: 5,
          count: kind === 'mood_image' ? 4 : 1,
          ...(kind === 'video' ? { imageUrl: keyframe } : {}),
          // The default product-image model pastes its reference: any image the stand-in serves will do.
          ...(kind === 'product_image' ? { referenceImageUrl: keyframe } : {}),
        };
        const started = await media.start(kind, input);
        if (kind === 'video') {
          // Canceled while it runs: the cancel answer is checked too.
          expect((await media.cancel(started.id)).status).toBe('canceled');
        } else {
          const done = await media.waitUntilDone(started.id, {
            intervalMs: 50,
            deadline: Date.now() + 20_000,
          });
          expect(done.status).toBe('succeeded');
        }
      }
      await hooks.waitFor(
        (received) =>
          received.filter((h) => h.status === 'succeeded' || h.status === 'canceled').length >= models.length,
      );
      for (const hook of hooks.received) {
        expect(
          contracts.checkSchema(
            'replicate',
            'schemas_prediction_response',
            JSON.parse(hook.rawBody.toString()),
          ),
        ).toEqual([]);
      }
    } finally {
      await hooks.close();
    }
    const secret = await fetch(`${proxy.url}/replicate/v1/webhooks/default/secret`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(secret.status).toBe(200);

    const operations = new Set(
      proxy.exchanges.map((x) => {
        const op = contracts.operation(x.provider, x.method, x.path);
        return 'missing' in op ? `missing ${x.path}` : op.operationId;
      }),
    );
    console.log(
      `provider layer: ${proxy.exchanges.length} exchanges, operations ${[...operations].join(', ')}`,
    );
    expect([...operations].sort()).toEqual(
      [
        'createChatCompletion',
        'createSpeech',
        'createTranscription',
        'models.predictions.create',
        'predictions.cancel',
        'predictions.create',
        'predictions.get',
        'webhooks.default.secret.get',
      ].sort(),
    );
    expect(proxy.exchanges.flatMap(problemsOf)).toEqual([]);
    expect(proxy.exchanges.every((x) => x.status < 400)).toBe(true);
    expect(server.violations).toEqual([]);
  });
});

/** A keyframe the video models can fetch: a real PNG from an image prediction. */
async function keyframeUrl(): Promise<string> {
  const media = createMediaProvider({ baseURL: server.replicateBaseUrl, apiKey: API_KEY });
  const p = await media.start('scene_image', { prompt: 'keyframe', aspectRatio: '9:16' });
  const done = await media.waitUntilDone(p.id, { intervalMs: 50, deadline: Date.now() + 20_000 });
  return done.outputUrls[0]!;
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify(body),
  });
}

async function openaiRefusal(
  res: Response,
): Promise<{ message: string; param: string | null; code: string | null }> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as {
    error: { message: string; param: string | null; code: string | null };
  };
  expect(contracts.checkSchema('openai', 'ErrorResponse', body)).toEqual([]);
  expect(body.error).toMatchObject({ type: 'invalid_request_error' });
  return body.error;
}

function transcription(fields: Record<string, string>, file: Buffer): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file)], { type: 'audio/wav' }), 'line.wav');
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return fetch(`${server.openaiBaseUrl}/audio/transcriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}` },
    body: form,
  });
}

describe('the stand-in refuses what the documents refuse, as the providers do', () => {
  const messages = [{ role: 'user', content: 'hi' }];
  const chat = (extra: Record<string, unknown>) =>
    post('/openai/v1/chat/completions', { model: 'gpt-4.1-mini', messages, ...extra });
  const speech = (extra: Record<string, unknown>) =>
    post('/openai/v1/audio/speech', {
      model: 'gpt-4o-mini-tts',
      voice: 'coral',
      input: 'Hello there.',
      ...extra,
    });

  it('chat: temperature 5, n 0, an unknown argument, response_format xml', async () => {
    expect(await openaiRefusal(await chat({ temperature: 5 }))).toMatchObject({
      param: 'temperature',
      code: 'decimal_above_max_value',
      message:
        "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 5 instead.",
    });
    expect(await openaiRefusal(await chat({ n: 0 }))).toMatchObject({
      param: 'n',
      code: 'integer_below_min_value',
    });
    expect(await openaiRefusal(await chat({ temprature: 1 }))).toMatchObject({
      message: 'Unrecognized request argument supplied: temprature',
    });
    expect(await openaiRefusal(await chat({ response_format: { type: 'xml' } }))).toMatchObject({
      param: 'response_format.type',
      code: 'invalid_value',
      message: expect.stringMatching(/^Invalid value: 'xml'\. Supported values are: .*'json_schema'/),
    });
    expect(await openaiRefusal(await chat({ max_completion_tokens: 'many' }))).toMatchObject({
      param: 'max_completion_tokens',
      code: 'invalid_type',
    });
    expect((await chat({ temperature: 2, n: 1 })).status).toBe(200);
    expect(server.stats.chatCompletions).toBeGreaterThan(0);
  });

  it('speech: speed 10, response_format xml, an unknown field, a line over 4096 characters', async () => {
    expect(await openaiRefusal(await speech({ speed: 10 }))).toMatchObject({
      param: 'speed',
      code: 'decimal_above_max_value',
    });
    expect(await openaiRefusal(await speech({ speed: 0.1 }))).toMatchObject({
      param: 'speed',
      code: 'decimal_below_min_value',
    });
    expect(await openaiRefusal(await speech({ response_format: 'xml' }))).toMatchObject({
      param: 'response_format',
      message: "Invalid value: 'xml'. Supported values are: 'mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'.",
    });
    expect(await openaiRefusal(await speech({ volume: 11 }))).toMatchObject({
      param: 'volume',
      code: 'unknown_parameter',
    });
    expect(await openaiRefusal(await speech({ input: 'a'.repeat(4097) }))).toMatchObject({
      param: 'input',
      code: 'string_above_max_length',
    });
    expect(
      await openaiRefusal(await post('/openai/v1/audio/speech', { model: 'tts-1', input: 'hi' })),
    ).toMatchObject({
      param: 'voice',
      code: 'missing_required_parameter',
    });
  });

  it('speech: every format the document offers is spoken (mp3, opus, aac, flac, wav, pcm)', async () => {
    const expected: Record<string, { type: string; format?: string; codec?: string }> = {
      mp3: { type: 'audio/mpeg', format: 'mp3', codec: 'mp3' },
      opus: { type: 'audio/ogg', format: 'ogg', codec: 'opus' },
      aac: { type: 'audio/aac', format: 'aac', codec: 'aac' },
      flac: { type: 'audio/flac', format: 'flac', codec: 'flac' },
      wav: { type: 'audio/wav', format: 'wav', codec: 'pcm_s16le' },
      pcm: { type: 'audio/pcm' },
    };
    for (const [format, want] of Object.entries(expected)) {
      const res = await speech({ response_format: format, input: 'Clean water anywhere.' });
      expect(res.status, format).toBe(200);
      expect(res.headers.get('content-type')).toBe(want.type);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(1000);
      if (!want.format) continue;
      const path = join(dir, `speech.${format}`);
      await writeFile(path, bytes);
      const probe = await ffprobe(path);
      expect(probe.formatName, format).toContain(want.format);
      expect(probe.streams[0]?.codec_name, format).toBe(want.codec);
      expect(probe.duration, format).toBeGreaterThan(0.8);
    }
    expect(server.violations).toEqual([]);
  });

  it('transcription: verbose_json only where the model has it, response_format xml, a bad temperature', async () => {
    const wav = Buffer.from(await (await speech({ response_format: 'wav' })).arrayBuffer());
    for (const model of ['gpt-4o-transcribe', 'gpt-4o-mini-transcribe']) {
      expect(
        await openaiRefusal(
          await transcription(
            { model, response_format: 'verbose_json', 'timestamp_granularities[]': 'word' },
            wav,
          ),
        ),
      ).toMatchObject({ param: 'response_format', code: 'unsupported_value' });
      const json = await transcription({ model, response_format: 'json' }, wav);
      expect(json.status).toBe(200);
      expect(((await json.json()) as { text: string }).text).toBe('Hello there.');
    }
    expect(
      await openaiRefusal(await transcription({ model: 'whisper-1', response_format: 'xml' }, wav)),
    ).toMatchObject({
      param: 'response_format',
      code: 'invalid_value',
    });
    expect(
      await openaiRefusal(await transcription({ model: 'whisper-1', temperature: 'hot' }, wav)),
    ).toMatchObject({
      param: 'temperature',
      code: 'invalid_type',
    });
    expect(
      await openaiRefusal(await transcription({ model: 'whisper-1', loudness: 'high' }, wav)),
    ).toMatchObject({
      param: 'loudness',
    });
    const text = await transcription(
      { model: 'whisper-1', response_format: 'text', temperature: '0.2' },
      wav,
    );
    expect(text.status).toBe(200);
    expect(await text.text()).toBe('Hello there.');
    const srt = await transcription({ model: 'whisper-1', response_format: 'srt' }, wav);
    expect(await srt.text()).toMatch(/^1\n00:00:00,000 --> 00:00:0\d,\d{3}\nHello there\.\n/);
    expect(server.violations).toEqual([]);
  });

  it('Replicate: an unknown key, no input, an unknown webhook event, an undocumented route: 422 / 404 problem details', async () => {
    const SCHNELL = '/replicate/v1/models/black-forest-labs/flux-schnell/predictions';
    const problem = async (res: Response, status: number) => {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const body = (await res.json()) as {
        status: number;
        detail: string;
        invalid_fields?: { type: string; field: string }[];
      };
      expect(body.status).toBe(status);
      expect(typeof body.detail).toBe('string');
      return body;
    };
    expect(
      (await problem(await post(SCHNELL, { input: { prompt: 'p' }, extra: 1 }), 422)).invalid_fields,
    ).toEqual([
      {
        type: 'additional_property_not_allowed',
        field: '(root)',
        description: 'Additional property extra is not allowed',
      },
    ]);
    expect((await problem(await post(SCHNELL, {}), 422)).invalid_fields).toEqual([
      { type: 'required', field: '(root)', description: 'input is required' },
    ]);
    expect((await problem(await post(SCHNELL, { input: 'p' }), 422)).invalid_fields).toEqual([
      { type: 'invalid_type', field: 'input', description: 'Invalid type. Expected: object, given: string' },
    ]);
    const events = await problem(
      await post(SCHNELL, { input: { prompt: 'p' }, webhook_events_filter: ['done'] }),
      422,
    );
    expect(events.invalid_fields?.[0]).toMatchObject({ type: 'enum', field: 'webhook_events_filter.0' });
    await problem(
      await post('/replicate/v1/models/black-forest-labs/flux-schnell/versions/abc/predictions', {
        input: {},
      }),
      404,
    );
    expect(server.violations).toEqual([]);
  });
});

describe('predictions as Replicate presents them', () => {
  let short: Standin;
  beforeAll(async () => {
    short = await standin({ outputTtlSeconds: 1 });
  });
  afterAll(async () => short?.close());

  it('finished: predict_time and total_time; by version: the model named; an hour on: output null, data_removed', async () => {
    const media = createMediaProvider({ baseURL: short.replicateBaseUrl, apiKey: API_KEY });
    const started = await media.start('audio', { prompt: 'a bed', aspectRatio: '9:16', durationSeconds: 2 });
    const raw = async (): Promise<Record<string, unknown>> =>
      (await (
        await fetch(`${short.replicateBaseUrl}/predictions/${started.id}`, {
          headers: { authorization: `Bearer ${API_KEY}` },
        })
      ).json()) as Record<string, unknown>;
    const done: PredictionState = await media.waitUntilDone(started.id, {
      intervalMs: 50,
      deadline: Date.now() + 20_000,
    });
    expect(done.status).toBe('succeeded');
    expect(done.outputUrls).toHaveLength(1);
    const finished = await raw();
    // musicgen is created by version: the answer still names its model.
    expect(finished).toMatchObject({ model: 'meta/musicgen', data_removed: false, status: 'succeeded' });
    const metrics = finished.metrics as { predict_time: number; total_time: number };
    expect(metrics.predict_time).toBeGreaterThan(0);
    expect(metrics.total_time).toBeGreaterThanOrEqual(metrics.predict_time);
    expect(contracts.checkSchema('replicate', 'schemas_prediction_response', finished)).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const removed = await raw();
    expect(removed).toMatchObject({ output: null, data_removed: true, status: 'succeeded' });
    expect(contracts.checkSchema('replicate', 'schemas_prediction_response', removed)).toEqual([]);
    // The functions read it as a success whose files are gone, and say so.
    const state = await media.get(started.id);
    expect(state).toMatchObject({ status: 'succeeded', outputUrls: [], outputRemoved: true });
    expect(outputMissing(state)).toMatch(/expired at the provider before it could be saved/);
    expect(short.violations).toEqual([]);
  });
});
