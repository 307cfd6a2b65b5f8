// The provider layer's pure parts: error classification, progress parsing, duration normalisation, model
// ids and input mappings, prompts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '@reelforge/schema';
import {
  classifyError,
  classifyPredictionFailure,
  ProviderError,
} from '../../functions/src/providers/errors.js';
import { normaliseDurations } from '../../functions/src/providers/language-model.js';
import { DEFAULT_MODEL_IDS, parseModelId, resolveMediaModels } from '../../functions/src/providers/models.js';
import { parseProgress, toPredictionState } from '../../functions/src/providers/prediction.js';
import { storyboardPrompt } from '../../functions/src/providers/prompts.js';
import { BRIEF, MOOD } from './helpers.js';

function withCause(message: string, code: string): Error {
  return new TypeError(message, { cause: Object.assign(new Error('socket'), { code }) });
}

function replicateApiError(status: number, body: string): Error {
  return Object.assign(
    new Error(`Request to https://api.replicate.com/v1/predictions failed with status ${status} X: ${body}.`),
    {
      name: 'ApiError',
      response: { status },
    },
  );
}

describe('classifyError', () => {
  it.each([
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [408, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [422, false],
  ])('HTTP %i -> retryable %s', (status, retryable) => {
    const err = classifyError(Object.assign(new Error(`${status} boom`), { status }), 'openai');
    expect(err).toMatchObject({ provider: 'openai', retryable, status });
    expect(err.message).toContain('boom');
  });

  it('keeps the Replicate detail readable', () => {
    const err = classifyError(
      replicateApiError(
        422,
        '{"title":"Input validation failed","detail":"input.duration: must be <= 12","status":422}',
      ),
      'replicate',
    );
    expect(err).toMatchObject({ retryable: false, status: 422 });
    expect(err.message).toBe('Replicate 422 Input validation failed: input.duration: must be <= 12');
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'UND_ERR_SOCKET'])(
    'network %s is retryable',
    (code) => {
      expect(classifyError(withCause('fetch failed', code), 'output')).toMatchObject({
        retryable: true,
        code,
      });
    },
  );

  it('timeouts, aborts and hang-ups are retryable', () => {
    expect(classifyError(new DOMException('t', 'TimeoutError'), 'replicate')).toMatchObject({
      retryable: true,
      code: 'timeout',
    });
    expect(classifyError(new DOMException('a', 'AbortError'), 'replicate')).toMatchObject({
      retryable: true,
      code: 'aborted',
    });
    expect(classifyError(new Error('socket hang up'), 'openai')).toMatchObject({ retryable: true });
    class APIConnectionTimeoutError extends Error {}
    expect(classifyError(new APIConnectionTimeoutError('Request timed out.'), 'openai')).toMatchObject({
      code: 'timeout',
    });
  });

  it('content refusals, validation and programming errors are permanent; unknown errors retry', () => {
    expect(
      classifyError(Object.assign(new Error('NSFW content detected'), { status: 500 }), 'replicate'),
    ).toMatchObject({
      retryable: false,
      code: 'content_refused',
    });
    class LengthFinishReasonError extends Error {}
    expect(classifyError(new LengthFinishReasonError('x'), 'openai')).toMatchObject({
      retryable: false,
      code: 'truncated',
    });
    expect(classifyError(Object.assign(new Error('bad'), { name: 'ZodError' }), 'openai')).toMatchObject({
      retryable: false,
    });
    expect(classifyError(new TypeError('x is not a function'), 'openai')).toMatchObject({ retryable: false });
    expect(classifyError(new Error('something odd'), 'openai')).toMatchObject({
      retryable: true,
      code: 'unknown',
    });
    const unloadable = Object.assign(
      new TypeError(`Failed to resolve "replicate" from data:${'timeout,'.repeat(100)}`),
      {
        code: 'ERR_UNSUPPORTED_RESOLVE_REQUEST',
      },
    );
    expect(classifyError(unloadable, 'replicate')).toMatchObject({ retryable: false, code: 'internal' });
    // Only the head of a long message is read: a word deep inside an embedded body decides nothing.
    expect(classifyError(new Error(`bad thing ${'x'.repeat(300)} timeout`), 'openai')).toMatchObject({
      code: 'unknown',
    });
    const given = new ProviderError('output', 'kept', { retryable: false });
    expect(classifyError(given, 'openai')).toBe(given);
  });

  it('classifies failed predictions by their error', () => {
    const failed = (error: string) => classifyPredictionFailure({ id: 'p', status: 'failed', error });
    expect(failed('CUDA out of memory')).toMatchObject({ retryable: true });
    expect(failed('Prediction interrupted; please retry (code: PA)')).toMatchObject({ retryable: true });
    expect(failed('All generated images contained NSFW content.')).toMatchObject({ retryable: false });
    expect(failed('duration must be between 2 and 12')).toMatchObject({
      retryable: false,
      code: 'invalid_input',
    });
  });
});

describe('parseProgress', () => {
  it.each([
    [' 45%|████▌     | 45/100 [00:02<00:02]', 45],
    ['100%|██████████| 50/50 [00:05<00:00]', 100],
    ['step 1\n 10%|█| 5/50\n 60%|██████| 30/50', 60],
    ['  3/4 [00:01<00:00, 3.1it/s]', 75],
    [' 10%|█ | 1/10\r 20%|██ | 2/10\r 30%|███ | 3/10', 30],
    ['Using seed: 42\ndownloading https://x.y/1/2/weights', undefined],
    ['', undefined],
  ])('%j -> %s', (logs, expected) => {
    expect(parseProgress(logs)).toBe(expected);
  });

  it('is 100 once succeeded and collects every output URL', () => {
    const state = toPredictionState({
      id: 'p',
      status: 'succeeded',
      logs: ' 50%|',
      output: { video: 'https://a/1.mp4', frames: ['https://a/2.png', 'not a url'] },
    });
    expect(state).toEqual({
      id: 'p',
      status: 'succeeded',
      progress: 100,
      outputUrls: ['https://a/1.mp4', 'https://a/2.png'],
    });
    expect(toPredictionState({ id: 'q', status: 'aborted', error: { msg: 'x' } })).toMatchObject({
      status: 'canceled',
      error: '{"msg":"x"}',
    });
  });
});

describe('normaliseDurations', () => {
  it('sums to about the target, within bounds, on half seconds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 40, noNaN: true }), {
          minLength: 1,
          maxLength: LIMITS.MAX_SCENES,
        }),
        fc.integer({ min: LIMITS.TARGET_DURATION_MIN, max: LIMITS.TARGET_DURATION_MAX }),
        (raw, target) => {
          const out = normaliseDurations(raw, target);
          expect(out).toHaveLength(raw.length);
          for (const d of out) {
            expect(d).toBeGreaterThanOrEqual(LIMITS.SCENE_DURATION_MIN);
            expect(d).toBeLessThanOrEqual(LIMITS.SCENE_DURATION_MAX);
            expect(d * 2).toBe(Math.round(d * 2));
          }
          const reachable = Math.min(
            Math.max(target, raw.length * LIMITS.SCENE_DURATION_MIN),
            raw.length * LIMITS.SCENE_DURATION_MAX,
          );
          expect(Math.abs(out.reduce((a, b) => a + b, 0) - reachable)).toBeLessThan(0.5);
        },
      ),
    );
  });
});

describe('models', () => {
  it('parses model ids and refuses nonsense', () => {
    expect(parseModelId('black-forest-labs/flux-schnell')).toMatchObject({
      model: 'black-forest-labs/flux-schnell',
    });
    expect(parseModelId(DEFAULT_MODEL_IDS.audio)).toMatchObject({
      version: expect.stringMatching(/^671ac645/),
    });
    expect(() => parseModelId('not a model')).toThrow(/not a Replicate model id/);
  });

  it('maps the neutral input to each default model', () => {
    const models = resolveMediaModels({ mood_image: '', video: undefined });
    expect(
      models.mood_image.mapInput({ prompt: 'p', aspectRatio: '9:16', count: 9, palette: ['#112233'] }),
    ).toEqual({
      prompt: 'p Colour palette: #112233.',
      aspect_ratio: '9:16',
      num_outputs: 4,
      output_format: 'png',
      go_fast: true,
    });
    expect(
      models.video.mapInput({
        prompt: 'p',
        aspectRatio: '16:9',
        durationSeconds: 1,
        imageUrl: 'https://i/1.png',
        seed: 3,
      }),
    ).toEqual({
      prompt: 'p',
      image: 'https://i/1.png',
      duration: 2,
      resolution: '1080p',
      aspect_ratio: '16:9',
      fps: 24,
      seed: 3,
    });
    // The project's resolution, as each video model's schema offers it.
    const at = (model: string, resolution: '1080p' | '720p') =>
      resolveMediaModels({ video: model }).video.mapInput({
        prompt: 'p',
        aspectRatio: '9:16',
        durationSeconds: 5,
        imageUrl: 'https://i/1.png',
        resolution,
      });
    expect(at('bytedance/seedance-1-lite', '720p')).toMatchObject({ resolution: '720p' });
    expect(at('kwaivgi/kling-v2.1', '1080p')).toMatchObject({ mode: 'pro' });
    expect(at('kwaivgi/kling-v2.1', '720p')).toMatchObject({ mode: 'standard' });
    // Wan has no 1080p: its largest, 720p, scaled up by the render.
    expect(at('wan-video/wan-2.2-i2v-fast', '1080p')).toMatchObject({ resolution: '720p' });
    expect(models.audio.mapInput({ prompt: 'p', aspectRatio: '16:9', durationSeconds: 6.4 })).toMatchObject({
      duration: 6,
      output_format: 'mp3',
    });
    const custom = resolveMediaModels({ video: 'someone/new-video-model' });
    expect(
      custom.video.mapInput({ prompt: 'p', aspectRatio: '9:16', durationSeconds: 5, imageUrl: 'u' }),
    ).toEqual({
      prompt: 'p',
      aspect_ratio: '9:16',
      duration: 5,
      image: 'u',
    });
  });
});

describe('prompts', () => {
  it('state the numbers the answer must respect', () => {
    const prompt = storyboardPrompt({
      brief: BRIEF,
      mood: MOOD,
      sceneCount: 7,
      targetDurationSeconds: 45,
      aspectRatio: '16:9',
    });
    expect(prompt.user).toContain('exactly 7 scenes');
    expect(prompt.user).toContain('about 45 seconds in total');
    expect(prompt.user).toContain('Brand name: Lumen Bottle');
    expect(prompt.user).toContain('#e63946');
  });
});
