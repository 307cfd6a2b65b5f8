// The language model through the real `openai` SDK against the stand-in: every call shape, the answers'
// bounds, and the error classification of every fault that applies to it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HexColorSchema, LIMITS } from '@reelforge/schema';
import { ProviderError } from '../../functions/src/providers/errors.js';
import { createLanguageModel } from '../../functions/src/providers/language-model.js';
import type { LanguageModel } from '../../functions/src/providers/language-model.js';
import type { Standin } from '../../scripts/standin/server.js';
import { API_KEY, BRIEF, MOOD, closedPort, rejection, standin } from './helpers.js';

let server: Standin;
let llm: LanguageModel;

beforeAll(async () => {
  server = await standin({ openaiApiKey: API_KEY });
  server.config.slowMs = 300;
  llm = createLanguageModel({
    baseURL: server.openaiBaseUrl,
    apiKey: API_KEY,
    model: 'gpt-4.1-mini',
    timeoutMs: 5_000,
  });
});
afterAll(() => server.close());
afterEach(() => server.faults.clear());

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

describe('answers', () => {
  it('generates three bounded moods, the same ones for the same brief', async () => {
    const moods = await llm.generateMoods(BRIEF);
    expect(moods).toHaveLength(3);
    for (const mood of moods) {
      expect(mood.color_palette.length).toBeGreaterThanOrEqual(LIMITS.PALETTE_MIN);
      expect(mood.color_palette.length).toBeLessThanOrEqual(LIMITS.PALETTE_MAX);
      for (const hex of mood.color_palette) expect(HexColorSchema.safeParse(hex).success).toBe(true);
      expect(mood.mood_keywords.length).toBeGreaterThanOrEqual(LIMITS.KEYWORDS_MIN);
      expect(mood.description).toContain('Lumen Bottle');
    }
    expect(await llm.generateMoods(BRIEF)).toEqual(moods);
    expect(await llm.generateMoods({ ...BRIEF, brand_name: 'Other Brand' })).not.toEqual(moods);
  });

  it.each([
    [6, 30],
    [3, 12],
    [20, 120],
    [4, 5],
  ])('writes a storyboard of %i scenes summing to about %i s', async (sceneCount, target) => {
    const board = await llm.generateStoryboard({
      brief: BRIEF,
      mood: MOOD,
      sceneCount,
      targetDurationSeconds: target,
      aspectRatio: '9:16',
    });
    expect(board.scenes).toHaveLength(sceneCount);
    const total = sum(board.scenes.map((s) => s.duration_seconds));
    // Feasible targets land within half a second; 4 scenes cannot be shorter than 4 s.
    expect(Math.abs(total - Math.max(target, sceneCount * LIMITS.SCENE_DURATION_MIN))).toBeLessThanOrEqual(
      0.5,
    );
    for (const scene of board.scenes) {
      expect(scene.duration_seconds).toBeGreaterThanOrEqual(LIMITS.SCENE_DURATION_MIN);
      expect(scene.duration_seconds).toBeLessThanOrEqual(LIMITS.SCENE_DURATION_MAX);
      expect(scene.title.length).toBeGreaterThan(0);
    }
    expect(board.title).toContain('Lumen Bottle');
  });

  it('regenerates one scene in context, following the instructions', async () => {
    const scenes = [
      { id: 'a', title: 'Open', description: 'A bottle on a desk.', duration_seconds: 4 },
      { id: 'b', title: 'Middle', description: 'A commuter drinks.', duration_seconds: 6 },
    ];
    const text = await llm.regenerateSceneText({
      brief: BRIEF,
      mood: MOOD,
      scenes,
      sceneId: 'b',
      instructions: 'make it rain outside',
    });
    expect(text.description).toContain('make it rain outside');
    expect(text.description).toContain('scene 2');
    expect(text.duration_seconds).toBe(6);
  });

  it('refuses to regenerate a scene that is not in the storyboard (permanent)', async () => {
    const err = await rejection(
      llm.regenerateSceneText({ brief: BRIEF, mood: MOOD, scenes: [], sceneId: 'nope' }),
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).retryable).toBe(false);
  });

  it('writes a scene composition that uses the palette', async () => {
    const composition = await llm.generateComposition({
      brief: BRIEF,
      mood: MOOD,
      scene: { title: 'In the hand', description: 'Hands turn the bottle.', duration_seconds: 5 },
      aspectRatio: '16:9',
    });
    expect(composition.description).toContain('In the hand');
    expect(composition.styling).toContain('#e63946');
    expect(composition.animation.length).toBeGreaterThan(10);
  });
});

describe('errors', () => {
  async function failure(fault: string, extra: Record<string, unknown> = {}): Promise<ProviderError> {
    server.faults.clear();
    server.faults.add({ target: 'openai', fault: fault as never, ...extra });
    const err = await rejection(llm.generateMoods(BRIEF));
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }

  it('a truncated answer is a permanent, clearly worded error', async () => {
    const err = await failure('truncated');
    expect(err).toMatchObject({ provider: 'openai', retryable: false, code: 'truncated' });
    expect(err.message).toMatch(/cut off/);
  });

  it('a refusal is permanent and quotes the model', async () => {
    const err = await failure('refused');
    expect(err).toMatchObject({ retryable: false, code: 'refused' });
    expect(err.message).toMatch(/can't help/);
  });

  it('500 and 429 are retryable, 422 permanent, each made in one HTTP attempt', async () => {
    const before = server.stats.requests.openai;
    expect(await failure('http_500')).toMatchObject({ retryable: true, status: 500 });
    expect(await failure('http_429')).toMatchObject({ retryable: true, status: 429 });
    const invalid = await failure('http_422');
    expect(invalid).toMatchObject({ retryable: false, status: 422 });
    expect(invalid.message).toMatch(/told to refuse/);
    expect(server.stats.requests.openai - before).toBe(3);
  });

  it('a hung request times out as retryable', async () => {
    const quick = createLanguageModel({
      baseURL: server.openaiBaseUrl,
      apiKey: API_KEY,
      model: 'gpt-4.1-mini',
      timeoutMs: 400,
    });
    server.faults.add({ target: 'openai', fault: 'hang' });
    const started = Date.now();
    const err = await rejection(quick.generateMoods(BRIEF));
    expect(err).toMatchObject({ retryable: true, code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a slow answer still succeeds', async () => {
    server.faults.add({ target: 'openai', fault: 'slow' });
    const started = Date.now();
    await llm.generateMoods(BRIEF);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('rules honour times, kind and match; markers apply per request', async () => {
    server.faults.add({ target: 'openai', fault: 'http_500', times: 1 });
    await rejection(llm.generateMoods(BRIEF));
    await expect(llm.generateMoods(BRIEF)).resolves.toHaveLength(3);

    server.faults.add({ target: 'openai', fault: 'http_500', kind: 'storyboard' });
    await expect(llm.generateMoods(BRIEF)).resolves.toHaveLength(3);

    server.faults.add({ target: 'openai', fault: 'refused', match: 'Unlucky Brand' });
    await expect(llm.generateMoods(BRIEF)).resolves.toHaveLength(3);
    await expect(llm.generateMoods({ ...BRIEF, brand_name: 'Unlucky Brand' })).rejects.toMatchObject({
      code: 'refused',
    });
    server.faults.clear();

    const marked = { ...BRIEF, notes: 'please [[standin:truncated]]' };
    await expect(llm.generateMoods(marked)).rejects.toMatchObject({ code: 'truncated' });
    await expect(llm.generateMoods(BRIEF)).resolves.toHaveLength(3);
  });

  it('a wrong API key is a permanent 401', async () => {
    const wrong = createLanguageModel({
      baseURL: server.openaiBaseUrl,
      apiKey: 'nope',
      model: 'gpt-4.1-mini',
    });
    await expect(wrong.generateMoods(BRIEF)).rejects.toMatchObject({ retryable: false, status: 401 });
  });

  it('a refused connection is retryable', async () => {
    const down = createLanguageModel({
      baseURL: `http://127.0.0.1:${await closedPort()}/v1`,
      apiKey: 'k',
      model: 'gpt-4.1-mini',
      timeoutMs: 2_000,
    });
    await expect(down.generateMoods(BRIEF)).rejects.toMatchObject({ retryable: true, code: 'ECONNREFUSED' });
  });
});
