// Every model mapping against its model's real input schema (recorded in providers/models.ts with its
// source), and a stand-in that refuses what Replicate and OpenAI refuse: a wrong mapping fails here, not live.
import { AspectRatioSchema } from '@reelforge/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAPPED_MODELS,
  MODEL_SCHEMAS,
  nearestAspectRatio,
  parseModelId,
  validateInput,
  type MediaInput,
} from '../../functions/src/providers/models.js';
import { createLanguageModel } from '../../functions/src/providers/language-model.js';
import type { Standin } from '../../scripts/standin/server.js';
import { API_KEY, BRIEF, standin } from './helpers.js';

const VIDEO = /seedance|kling|wan-video/;

/** What the pipeline may ask of a model: every project format, every scene length, 1-4 images, a seed or not. */
function inputsFor(model: string): MediaInput[] {
  const inputs: MediaInput[] = [];
  for (const aspectRatio of AspectRatioSchema.options) {
    for (const durationSeconds of [1, 2.5, 5, 7.6, 10]) {
      for (const count of [1, 4]) {
        inputs.push({
          prompt: 'A can of cold brew on a sunlit counter',
          aspectRatio,
          durationSeconds,
          count,
          palette: ['#e63946', '#2a9d8f', '#264653'],
          ...(count === 4 ? { seed: 42 } : {}),
          // Video jobs always animate the scene's keyframe.
          ...(VIDEO.test(model) ? { imageUrl: 'https://example.com/keyframe.png' } : {}),
          // Image models may be configured for product keyframes, which pass the product image.
          ...(VIDEO.test(model) || count === 4
            ? {}
            : { referenceImageUrl: 'https://example.com/product.png' }),
        });
      }
    }
  }
  return inputs;
}

describe('model mappings against their input schemas', () => {
  it('every mapped model has a recorded schema that names its source', () => {
    for (const model of MAPPED_MODELS) {
      expect(MODEL_SCHEMAS[model], `no input schema recorded for ${model}`).toBeDefined();
      expect(MODEL_SCHEMAS[model]!.source).toMatch(/\S{10,}/);
    }
  });

  it.each(MAPPED_MODELS)('%s: every input the pipeline makes passes the schema', (model) => {
    const { mapInput } = parseModelId(model);
    for (const input of inputsFor(model)) {
      expect(validateInput(MODEL_SCHEMAS[model]!, mapInput(input)), JSON.stringify(input)).toEqual([]);
    }
  });

  it('refuses a field the model does not take and a value out of range', () => {
    const schema = MODEL_SCHEMAS['wan-video/wan-2.2-i2v-fast']!;
    const mapped = parseModelId('wan-video/wan-2.2-i2v-fast').mapInput({
      prompt: 'p',
      aspectRatio: '9:16',
      imageUrl: 'https://example.com/k.png',
    });
    expect(validateInput(schema, { ...mapped, aspect_ratio: '9:16' })).toEqual([
      {
        type: 'additional_property_not_allowed',
        field: 'input',
        description: 'Additional property aspect_ratio is not allowed',
      },
    ]);
    expect(
      validateInput(MODEL_SCHEMAS['black-forest-labs/flux-schnell']!, { prompt: 'p', num_outputs: 5 }),
    ).toEqual([
      { type: 'number_lte', field: 'input.num_outputs', description: 'Must be less than or equal to 4' },
    ]);
  });
});

describe('the four schemas read from their published sources', () => {
  const ok = (model: string, input: Record<string, unknown>) =>
    expect(validateInput(MODEL_SCHEMAS[model]!, input), JSON.stringify(input)).toEqual([]);
  const refused = (model: string, input: Record<string, unknown>, field: string) =>
    expect(validateInput(MODEL_SCHEMAS[model]!, input).map((p) => p.field)).toEqual([field]);
  const IMAGE = 'https://example.com/k.png';

  it('flux-1.1-pro: custom and 4:3 but no 21:9 or 9:21; safety_tolerance 1-6; image_prompt a URI', () => {
    const model = 'black-forest-labs/flux-1.1-pro';
    ok(model, { prompt: 'p', aspect_ratio: 'custom', width: 1440, height: 256, safety_tolerance: 6 });
    ok(model, { prompt: 'p', aspect_ratio: '4:3', image_prompt: IMAGE, prompt_upsampling: true });
    refused(model, { prompt: 'p', aspect_ratio: '21:9' }, 'input.aspect_ratio');
    refused(model, { prompt: 'p', aspect_ratio: '9:21' }, 'input.aspect_ratio');
    refused(model, { prompt: 'p', safety_tolerance: 7 }, 'input.safety_tolerance');
    refused(model, { prompt: 'p', width: 1472 }, 'input.width');
  });

  it('seedance-1-lite: duration 2-12, no 4:5, fps 24 only, reference_images a list of URIs', () => {
    const model = 'bytedance/seedance-1-lite';
    ok(model, { prompt: 'p', image: IMAGE, duration: 2, aspect_ratio: '21:9', camera_fixed: true });
    ok(model, { prompt: 'p', reference_images: [IMAGE, IMAGE], resolution: '480p', duration: 12 });
    refused(model, { prompt: 'p', duration: 13 }, 'input.duration');
    refused(model, { prompt: 'p', aspect_ratio: '4:5' }, 'input.aspect_ratio');
    refused(model, { prompt: 'p', fps: 30 }, 'input.fps');
    refused(model, { prompt: 'p', reference_images: IMAGE }, 'input.reference_images');
    refused(model, { prompt: 'p', reference_images: [IMAGE, 'k.png'] }, 'input.reference_images.1');
  });

  it('kling-v2.1: start_image required, duration 5 or 10, no aspect_ratio or seed', () => {
    const model = 'kwaivgi/kling-v2.1';
    ok(model, { prompt: 'p', start_image: IMAGE, end_image: IMAGE, mode: 'pro', duration: 10 });
    refused(model, { prompt: 'p' }, 'input');
    refused(model, { prompt: 'p', start_image: IMAGE, duration: 7 }, 'input.duration');
    refused(model, { prompt: 'p', start_image: IMAGE, aspect_ratio: '9:16' }, 'input');
  });

  it('wan-2.2-i2v-fast: 81-121 frames at 5-30 fps, last_image, interpolation and LoRA fields', () => {
    const model = 'wan-video/wan-2.2-i2v-fast';
    ok(model, {
      prompt: 'p',
      image: IMAGE,
      last_image: IMAGE,
      num_frames: 121,
      frames_per_second: 30,
      interpolate_output: true,
      lora_weights_transformer: 'https://example.com/high.safetensors',
      lora_scale_transformer: 0.8,
      lora_weights_transformer_2: 'https://example.com/low.safetensors',
      lora_scale_transformer_2: 1,
    });
    refused(model, { prompt: 'p', image: IMAGE, num_frames: 80 }, 'input.num_frames');
    refused(model, { prompt: 'p', image: IMAGE, sample_shift: 21 }, 'input.sample_shift');
  });

  it('a project format a video model lacks goes to the nearest shape it takes', () => {
    const choices = MODEL_SCHEMAS['bytedance/seedance-1-lite']!.input.aspect_ratio;
    expect(choices).toMatchObject({ type: 'string' });
    const seedance = choices as { choices: readonly string[] };
    expect(nearestAspectRatio('4:5', seedance.choices)).toBe('3:4');
    expect(nearestAspectRatio('9:16', seedance.choices)).toBe('9:16');
    const mapped = parseModelId('bytedance/seedance-1-lite').mapInput({
      prompt: 'p',
      aspectRatio: '4:5',
      imageUrl: IMAGE,
    });
    expect(mapped.aspect_ratio).toBe('3:4');
  });
});

describe('the stand-in says no like the real APIs', () => {
  let server: Standin;
  beforeAll(async () => {
    server = await standin();
  });
  afterAll(async () => server.close());

  const post = (path: string, body: unknown) =>
    fetch(`${server.replicateBaseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify(body),
    });
  const SCHNELL = '/models/black-forest-labs/flux-schnell/predictions';
  const MUSICGEN_VERSION = MODEL_SCHEMAS['meta/musicgen']!.versions![0]!;

  it('422 with detail and invalid_fields for an input its schema refuses', async () => {
    for (const input of [
      { prompt: 'p', num_outputs: 5 },
      { prompt: 'p', aspect_ratio: '7:5' },
      { prompt: 'p', steps: 4 },
      { aspect_ratio: '1:1' },
    ]) {
      const res = await post(SCHNELL, { input });
      expect(res.status, JSON.stringify(input)).toBe(422);
      const body = (await res.json()) as { detail: string; invalid_fields: { field: string }[] };
      expect(body.detail).toMatch(/^- input/);
      expect(body.invalid_fields.length).toBeGreaterThan(0);
    }
    expect((await post(SCHNELL, { input: { prompt: 'p' } })).status).toBe(201);
  });

  it('refuses an extra top-level key, an unknown version, and a community model by name', async () => {
    expect((await post(SCHNELL, { input: { prompt: 'p' }, extra: 1 })).status).toBe(422);
    expect((await post('/predictions', { version: 'f'.repeat(64), input: { prompt: 'p' } })).status).toBe(
      422,
    );
    expect((await post('/models/meta/musicgen/predictions', { input: { prompt: 'p' } })).status).toBe(404);
    expect(
      (await post('/predictions', { version: MUSICGEN_VERSION, input: { prompt: 'p', duration: 2 } })).status,
    ).toBe(201);
  });

  it('runs the official video models by name or by their recorded version, refusing what they refuse', async () => {
    const SEEDANCE = '/models/bytedance/seedance-1-lite/predictions';
    const input = { prompt: 'p', image: 'https://example.com/k.png', duration: 5 };
    expect((await post(SEEDANCE, { input: { ...input, aspect_ratio: '4:5' } })).status).toBe(422);
    expect((await post(SEEDANCE, { input: { ...input, aspect_ratio: '3:4' } })).status).toBe(201);
    const version = MODEL_SCHEMAS['wan-video/wan-2.2-i2v-fast']!.versions![0]!;
    expect((await post('/predictions', { version, input: { ...input, num_frames: 81 } })).status).toBe(422);
    const { duration: _unused, ...wan } = input;
    expect((await post('/predictions', { version, input: { ...wan, num_frames: 81 } })).status).toBe(201);
  });

  it('a 429 says in its body when to come back', async () => {
    server.faults.add({ target: 'replicate', fault: 'http_429', times: 1 });
    const res = await post(SCHNELL, { input: { prompt: 'p' } });
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ status: 429, retry_after: 1 });
  });

  it('OpenAI: unknown arguments, models and roles refused; insufficient_quota fails at once, not retried', async () => {
    const chat = (body: unknown) =>
      fetch(`${server.openaiBaseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify(body),
      });
    const messages = [{ role: 'user', content: 'hi' }];
    expect((await chat({ model: 'gpt-4.1-mini', messages, temprature: 1 })).status).toBe(400);
    expect((await chat({ model: 'no-such-model', messages })).status).toBe(404);
    expect((await chat({ model: 'gpt-4.1-mini', messages: [{ role: 'robot', content: 'hi' }] })).status).toBe(
      400,
    );
    const open = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const format = { type: 'json_schema', json_schema: { name: 'x', strict: true, schema: open } };
    expect((await chat({ model: 'gpt-4.1-mini', messages, response_format: format })).status).toBe(400);

    server.faults.add({ target: 'openai', fault: 'insufficient_quota', times: 1 });
    const model = createLanguageModel({
      baseURL: server.openaiBaseUrl,
      apiKey: API_KEY,
      model: 'gpt-4.1-mini',
    });
    await expect(model.generateMoods(BRIEF)).rejects.toMatchObject({
      retryable: false,
      code: 'insufficient_quota',
      message: expect.stringMatching(/run out of quota/),
    });
  });
});
