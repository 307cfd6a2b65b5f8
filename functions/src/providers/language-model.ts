// The language model: moods, storyboard, one scene's text, and a scene composition, through the `openai`
// SDK's chat completions with structured outputs. The schema package's plain LLM schemas become the
// strict JSON schema sent to the model; the answer is then checked against the bounded `...CheckedSchema`
// versions, so nothing out of range is ever stored.
//
// Retries: the SDK is built with `maxRetries: 0`. Cloud Tasks already retries a failed task with backoff;
// retrying inside the task too would multiply attempts (3 x 3), spend the task's deadline on sleeps, and
// hide from the job record how many attempts really happened. One HTTP attempt per task attempt.
import {
  CompositionOutputCheckedSchema,
  CompositionOutputSchema,
  LIMITS,
  MoodsOutputCheckedSchema,
  MoodsOutputSchema,
  SceneTextOutputCheckedSchema,
  SceneTextOutputSchema,
  ShortenedLineOutputCheckedSchema,
  ShortenedLineOutputSchema,
  StoryboardOutputCheckedSchema,
  StoryboardOutputSchema,
  TranslationOutputCheckedSchema,
  TranslationOutputSchema,
} from '@reelforge/schema';
import type { AspectRatio, CreativeBrief } from '@reelforge/schema';
import type { z } from 'zod';
import { ProviderError, classifyError } from './errors.js';
import type { TokenUsage } from './prices.js';
import {
  compositionPrompt,
  moodsPrompt,
  sceneTextPrompt,
  shortenPrompt,
  storyboardPrompt,
  translatePrompt,
} from './prompts.js';
import type {
  ChatPrompt,
  MoodForPrompt,
  SceneForPrompt,
  ShortenPromptInput,
  TranslatePromptInput,
} from './prompts.js';

export interface LanguageModelOptions {
  baseURL: string;
  apiKey: string;
  /** Chat model id, e.g. `gpt-4.1-mini`; must support structured outputs (json_schema). */
  model: string;
  /** Per request; a hung provider fails the attempt as a retryable timeout. Default 120 s. */
  timeoutMs?: number;
  /** Told the token counts of every answer OpenAI bills (its `usage`), even one that fails our checks. */
  onUsage?: (model: string, tokens: TokenUsage) => void;
  /** Aborts the request in flight (the job was canceled); the SDK closes the connection. */
  signal?: AbortSignal;
  /**
   * Told the token ceiling of a request aborted in flight: OpenAI received it and bills what it generated
   * (the generation does not stop when the client hangs up), but its `usage` never comes back. The prompt's
   * UTF-8 bytes bound its input tokens and `max_completion_tokens` its output, so the booking errs high,
   * like the estimate.
   */
  onAborted?: (model: string, ceiling: TokenUsage) => void;
}

export type MoodAnswer = z.output<typeof MoodsOutputCheckedSchema>['moods'][number];
export type StoryboardAnswer = z.output<typeof StoryboardOutputCheckedSchema>;
export type SceneTextAnswer = z.output<typeof SceneTextOutputCheckedSchema>;
export type CompositionAnswer = z.output<typeof CompositionOutputCheckedSchema>;
export type TranslationAnswer = z.output<typeof TranslationOutputCheckedSchema>;

export interface StoryboardRequest {
  brief: CreativeBrief;
  mood: MoodForPrompt;
  sceneCount: number;
  targetDurationSeconds: number;
  aspectRatio: AspectRatio;
}

export interface SceneTextRequest {
  brief: CreativeBrief;
  mood: MoodForPrompt;
  scenes: readonly (SceneForPrompt & { id: string })[];
  sceneId: string;
  instructions?: string;
}

export interface CompositionRequest {
  brief: CreativeBrief;
  mood: MoodForPrompt;
  scene: SceneForPrompt;
  aspectRatio: AspectRatio;
}

export interface LanguageModel {
  generateMoods(brief: CreativeBrief): Promise<MoodAnswer[]>;
  generateStoryboard(request: StoryboardRequest): Promise<StoryboardAnswer>;
  regenerateSceneText(request: SceneTextRequest): Promise<SceneTextAnswer>;
  generateComposition(request: CompositionRequest): Promise<CompositionAnswer>;
  /** Every line and the call to action in another language; one line per line asked, in their order. */
  translate(request: TranslatePromptInput): Promise<TranslationAnswer>;
  /** One line said shorter in its language. */
  shorten(request: ShortenPromptInput): Promise<string>;
}

/** Output token ceilings: generous for the answer sizes, there only to bound a runaway answer. */
export const MAX_TOKENS = {
  moods: 2_000,
  storyboard: 8_000,
  scene_text: 1_000,
  composition: 2_000,
  translate: 6_000,
  shorten: 500,
} as const;
type AnswerName = keyof typeof MAX_TOKENS;

const WHAT: Record<AnswerName, string> = {
  moods: 'moods',
  storyboard: 'storyboard',
  scene_text: 'scene text',
  composition: 'scene composition',
  translate: 'translation',
  shorten: 'shortened line',
};

function permanent(message: string, code: string): ProviderError {
  return new ProviderError('openai', message, { retryable: false, code });
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Rounds to the half second video models understand. */
function halfSeconds(value: number): number {
  return Math.round(value * 2) / 2;
}

function clampDuration(value: number): number {
  const safe = Number.isFinite(value) && value > 0 ? value : LIMITS.SCENE_DURATION_MIN;
  return Math.min(LIMITS.SCENE_DURATION_MAX, Math.max(LIMITS.SCENE_DURATION_MIN, halfSeconds(safe)));
}

/**
 * Scales scene durations so they sum to about `target` seconds: each stays within the scene bounds and on
 * a half second; what rounding and clamping leave over is spread half a second at a time over the scenes
 * that still have room. When the target is out of reach (6 scenes cannot make 90 s), the closest sum wins.
 */
export function normaliseDurations(durations: readonly number[], targetSeconds: number): number[] {
  if (durations.length === 0) return [];
  const raw = durations.map((d) => (Number.isFinite(d) && d > 0 ? d : 1));
  const total = raw.reduce((sum, d) => sum + d, 0);
  const result = raw.map((d) => clampDuration((d * targetSeconds) / total));
  const step = 0.5;
  for (let guard = 0; guard < 1_000; guard += 1) {
    const diff = targetSeconds - result.reduce((sum, d) => sum + d, 0);
    if (Math.abs(diff) < step) break;
    const direction = diff > 0 ? step : -step;
    // Adjust the scene that moves least relative to its length: the longest when shrinking, the shortest
    // when growing, so proportions survive.
    let pick = -1;
    for (let i = 0; i < result.length; i += 1) {
      const next = (result[i] ?? 0) + direction;
      if (next < LIMITS.SCENE_DURATION_MIN || next > LIMITS.SCENE_DURATION_MAX) continue;
      if (pick === -1) pick = i;
      else if (
        direction > 0 ? (result[i] ?? 0) < (result[pick] ?? 0) : (result[i] ?? 0) > (result[pick] ?? 0)
      ) {
        pick = i;
      }
    }
    if (pick === -1) break;
    result[pick] = (result[pick] ?? 0) + direction;
  }
  return result;
}

/** `ABC`, `#abc`, `#AABBCC` -> `#aabbcc`; anything else is left for the schema check to refuse. */
function normaliseHex(value: string): string {
  const hex = value.trim().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/i.test(hex)) {
    return `#${[...hex].map((c) => c + c).join('')}`.toLowerCase();
  }
  if (/^[0-9a-f]{6}$/i.test(hex)) return `#${hex.toLowerCase()}`;
  return value;
}

// Typed through the dynamic import: this file is CommonJS for TypeScript (functions/ has no "type":
// "module"), where a static `import type` would resolve the SDK's CJS declarations, not the ESM ones the
// dynamic import yields.
const loadOpenAI = () => import('openai');
type OpenAIClient = InstanceType<Awaited<ReturnType<typeof loadOpenAI>>['default']>;

export function createLanguageModel(options: LanguageModelOptions): LanguageModel {
  const timeoutMs = options.timeoutMs ?? 120_000;
  let client: Promise<OpenAIClient> | undefined;

  // The SDK loads on first use only: the functions' cold start must not pay for it.
  function getClient(): Promise<OpenAIClient> {
    client ??= loadOpenAI().then(
      ({ default: OpenAIClient }) =>
        new OpenAIClient({
          baseURL: options.baseURL,
          apiKey: options.apiKey,
          timeout: timeoutMs,
          maxRetries: 0,
        }),
    );
    return client;
  }

  async function complete(name: AnswerName, schema: z.ZodType, prompt: ChatPrompt): Promise<unknown> {
    const [openai, { zodResponseFormat }] = await Promise.all([getClient(), import('openai/helpers/zod')]);
    const completion = await openai.chat.completions
      .create(
        {
          model: options.model,
          messages: [
            { role: 'system', content: prompt.system },
            { role: 'user', content: prompt.user },
          ],
          response_format: zodResponseFormat(schema, name),
          max_completion_tokens: MAX_TOKENS[name],
        },
        options.signal ? { signal: options.signal } : {},
      )
      .catch((err: unknown) => {
        if (options.signal?.aborted) {
          options.onAborted?.(options.model, {
            input_tokens: Buffer.byteLength(prompt.system + prompt.user, 'utf8'),
            output_tokens: MAX_TOKENS[name],
          });
        }
        throw classifyError(err, 'openai');
      });
    if (completion.usage) {
      options.onUsage?.(options.model, {
        input_tokens: completion.usage.prompt_tokens,
        output_tokens: completion.usage.completion_tokens,
      });
    }
    const choice = completion.choices[0];
    if (!choice) throw permanent(`OpenAI returned no answer for the ${WHAT[name]}`, 'invalid_output');
    const { message, finish_reason: finish } = choice;
    if (message.refusal) {
      throw permanent(`OpenAI refused to write the ${WHAT[name]}: ${message.refusal}`, 'refused');
    }
    if (finish === 'content_filter') {
      throw permanent(`OpenAI's content filter blocked the ${WHAT[name]}`, 'refused');
    }
    if (finish === 'length') {
      throw permanent(
        `OpenAI's answer for the ${WHAT[name]} was cut off at the length limit (finish_reason "length")`,
        'truncated',
      );
    }
    if (!message.content) throw permanent(`OpenAI returned an empty ${WHAT[name]}`, 'invalid_output');
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.content);
    } catch {
      throw permanent(`OpenAI's ${WHAT[name]} is not valid JSON`, 'invalid_output');
    }
    const shape = schema.safeParse(parsed);
    if (!shape.success) {
      throw permanent(
        `OpenAI's ${WHAT[name]} does not match the schema: ${describeIssues(shape.error)}`,
        'invalid_output',
      );
    }
    return shape.data;
  }

  function check<S extends z.ZodType>(name: AnswerName, schema: S, value: unknown): z.output<S> {
    const result = schema.safeParse(value);
    if (!result.success) {
      throw permanent(
        `OpenAI's ${WHAT[name]} is out of bounds: ${describeIssues(result.error)}`,
        'invalid_output',
      );
    }
    return result.data;
  }

  return {
    async generateMoods(brief) {
      const answer = (await complete('moods', MoodsOutputSchema, moodsPrompt(brief))) as z.output<
        typeof MoodsOutputSchema
      >;
      const tidy = {
        moods: answer.moods.map((mood) => ({
          ...mood,
          color_palette: mood.color_palette.map(normaliseHex).slice(0, LIMITS.PALETTE_MAX),
          mood_keywords: mood.mood_keywords.map((k) => k.trim()).slice(0, LIMITS.KEYWORDS_MAX),
        })),
      };
      return check('moods', MoodsOutputCheckedSchema, tidy).moods;
    },

    async generateStoryboard(request) {
      const answer = (await complete(
        'storyboard',
        StoryboardOutputSchema,
        storyboardPrompt(request),
      )) as z.output<typeof StoryboardOutputSchema>;
      if (answer.scenes.length < request.sceneCount) {
        throw permanent(
          `OpenAI wrote ${answer.scenes.length} scenes where ${request.sceneCount} were asked for`,
          'invalid_output',
        );
      }
      // A longer answer is trimmed rather than refused: the first N scenes still tell the story's start,
      // and the durations are rescaled to the target below.
      const scenes = answer.scenes.slice(0, request.sceneCount);
      const durations = normaliseDurations(
        scenes.map((s) => s.duration_seconds),
        request.targetDurationSeconds,
      );
      const tidy = {
        title: answer.title,
        scenes: scenes.map((scene, i) => ({
          ...scene,
          duration_seconds: durations[i] ?? LIMITS.SCENE_DURATION_MIN,
        })),
      };
      return check('storyboard', StoryboardOutputCheckedSchema, tidy);
    },

    async regenerateSceneText(request) {
      const sceneIndex = request.scenes.findIndex((s) => s.id === request.sceneId);
      if (sceneIndex === -1) {
        throw permanent(`scene ${request.sceneId} is not in the storyboard`, 'invalid_input');
      }
      const prompt = sceneTextPrompt({
        brief: request.brief,
        mood: request.mood,
        scenes: request.scenes,
        sceneIndex,
        ...(request.instructions === undefined ? {} : { instructions: request.instructions }),
      });
      const answer = (await complete('scene_text', SceneTextOutputSchema, prompt)) as z.output<
        typeof SceneTextOutputSchema
      >;
      return check('scene_text', SceneTextOutputCheckedSchema, {
        ...answer,
        duration_seconds: clampDuration(answer.duration_seconds),
      });
    },

    async generateComposition(request) {
      const answer = await complete('composition', CompositionOutputSchema, compositionPrompt(request));
      return check('composition', CompositionOutputCheckedSchema, answer);
    },

    async translate(request) {
      const answer = check(
        'translate',
        TranslationOutputCheckedSchema,
        await complete('translate', TranslationOutputSchema, translatePrompt(request)),
      );
      // Every line asked for, once, matched by its scene number: a missing or extra line is a bad answer.
      const asked = request.lines.map((l) => l.scene_number);
      const got = answer.lines.map((l) => l.scene_number);
      const missing = asked.filter((n) => !got.includes(n));
      if (missing.length || got.length !== asked.length || answer.lines.some((l) => l.text === '')) {
        throw permanent(
          `OpenAI's translation does not give one line for each scene (missing: ${missing.join(', ') || 'none'})`,
          'invalid_output',
        );
      }
      return answer;
    },

    async shorten(request) {
      const answer = await complete('shorten', ShortenedLineOutputSchema, shortenPrompt(request));
      return check('shorten', ShortenedLineOutputCheckedSchema, answer).text;
    },
  };
}
