// Language-model output schemas. The plain ones are handed to OpenAI structured outputs (zod -> strict JSON
// schema), which supports only required fields, arrays, enums, strings and numbers: no optional fields, no
// bounds, no patterns. The `...CheckedSchema` versions apply LIMITS to what comes back; a model answer that
// fails them is a permanent job error, not something to store.
import { z } from 'zod';
import { LIMITS } from './limits.js';
import { HexColorSchema, SceneDurationSchema, text } from './primitives.js';

const MoodOutput = z.strictObject({
  name: z.string(),
  description: z.string(),
  visual_style: z.string(),
  color_palette: z.array(z.string()),
  mood_keywords: z.array(z.string()),
});
export const MoodsOutputSchema = z.strictObject({ moods: z.array(MoodOutput) });
export type MoodsOutput = z.infer<typeof MoodsOutputSchema>;

const SceneTextOutputFields = {
  title: z.string(),
  description: z.string(),
  duration_seconds: z.number(),
  /** The line spoken over the scene. */
  voiceover_text: z.string(),
};
export const SceneTextOutputSchema = z.strictObject(SceneTextOutputFields);
export type SceneTextOutput = z.infer<typeof SceneTextOutputSchema>;

/** Only the storyboard decides which scenes show the product: a regenerated scene keeps the person's choice. */
const StoryboardSceneOutputFields = {
  ...SceneTextOutputFields,
  /** The product itself is on screen in the scene. */
  shows_product: z.boolean(),
};

export const StoryboardOutputSchema = z.strictObject({
  title: z.string(),
  scenes: z.array(z.strictObject(StoryboardSceneOutputFields)),
});
export type StoryboardOutput = z.infer<typeof StoryboardOutputSchema>;

export const CompositionOutputSchema = z.strictObject({
  description: z.string(),
  styling: z.string(),
  animation: z.string(),
});
export type CompositionOutput = z.infer<typeof CompositionOutputSchema>;

const MoodOutputChecked = z.strictObject({
  name: text(LIMITS.TITLE_MAX),
  description: text(LIMITS.DESCRIPTION_MAX),
  visual_style: text(LIMITS.DESCRIPTION_MAX),
  color_palette: z.array(HexColorSchema).min(LIMITS.PALETTE_MIN).max(LIMITS.PALETTE_MAX),
  mood_keywords: z.array(text(LIMITS.TITLE_MAX)).min(LIMITS.KEYWORDS_MIN).max(LIMITS.KEYWORDS_MAX),
});
export const MoodsOutputCheckedSchema = z.strictObject({
  moods: z.array(MoodOutputChecked).length(LIMITS.MOODS_PER_PROJECT),
});

const SceneTextOutputCheckedFields = {
  title: text(LIMITS.TITLE_MAX),
  description: text(LIMITS.SCENE_TEXT_MAX),
  duration_seconds: SceneDurationSchema,
  voiceover_text: z.string().trim().max(LIMITS.VOICEOVER_TEXT_MAX).default(''),
};
export const SceneTextOutputCheckedSchema = z.strictObject(SceneTextOutputCheckedFields);

/** The storyboard's scene count is checked against the request by the caller; here only the global bounds. */
export const StoryboardOutputCheckedSchema = z.strictObject({
  title: text(LIMITS.TITLE_MAX),
  scenes: z
    .array(z.strictObject({ ...SceneTextOutputCheckedFields, shows_product: z.boolean().default(false) }))
    .min(LIMITS.MIN_SCENE_COUNT)
    .max(LIMITS.MAX_SCENES),
});

export const CompositionOutputCheckedSchema = z.strictObject({
  description: text(LIMITS.COMPOSITION_FIELD_MAX),
  styling: text(LIMITS.COMPOSITION_FIELD_MAX),
  animation: text(LIMITS.COMPOSITION_FIELD_MAX),
});

/** The ad's lines in another language, in the storyboard's scene order, and its call to action ('' when the
 * ad has none). One answer for the whole ad, so the lines read as one voice. */
export const TranslationOutputSchema = z.strictObject({
  lines: z.array(z.strictObject({ scene_number: z.number(), text: z.string() })),
  call_to_action: z.string(),
});
export type TranslationOutput = z.infer<typeof TranslationOutputSchema>;

export const TranslationOutputCheckedSchema = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        scene_number: z.number().int().min(1),
        text: z.string().trim().max(LIMITS.VOICEOVER_TEXT_MAX),
      }),
    )
    .max(LIMITS.MAX_SCENES),
  call_to_action: z.string().trim().max(LIMITS.CALL_TO_ACTION_MAX),
});

/** One line said again shorter, in the same language. */
export const ShortenedLineOutputSchema = z.strictObject({ text: z.string() });
export const ShortenedLineOutputCheckedSchema = z.strictObject({
  text: text(LIMITS.VOICEOVER_TEXT_MAX),
});
