import { describe, expect, it } from 'vitest';
import { zodResponseFormat } from 'openai/helpers/zod';
import {
  CompositionOutputCheckedSchema,
  CompositionOutputSchema,
  MoodsOutputCheckedSchema,
  MoodsOutputSchema,
  SceneTextOutputCheckedSchema,
  SceneTextOutputSchema,
  StoryboardOutputCheckedSchema,
  StoryboardOutputSchema,
} from '@reelforge/schema';

const mood = {
  name: 'Golden hour',
  description: 'Warm and slow',
  visual_style: 'Film grain',
  color_palette: ['#ffaa00', '#331100', '#ffffff'],
  mood_keywords: ['warm', 'slow', 'golden', 'soft', 'calm'],
};

describe('model output schemas', () => {
  it.each([
    ['moods', MoodsOutputSchema],
    ['storyboard', StoryboardOutputSchema],
    ['scene_text', SceneTextOutputSchema],
    ['composition', CompositionOutputSchema],
  ] as const)('%s converts to a strict OpenAI JSON schema', (name, schema) => {
    const format = zodResponseFormat(schema, name);
    expect(format.json_schema.strict).toBe(true);
    const text = JSON.stringify(format.json_schema.schema);
    // Strict structured outputs reject bounds and patterns; keep them out of these schemas.
    expect(text).not.toMatch(/"(minItems|maxItems|minLength|maxLength|pattern|minimum|maximum|format)"/);
  });

  it('checked moods: exactly three, hex palettes of 3-5, 5-7 keywords', () => {
    const three = { moods: [mood, mood, mood] };
    expect(MoodsOutputSchema.safeParse({ moods: [mood] }).success).toBe(true);
    expect(MoodsOutputCheckedSchema.safeParse(three).success).toBe(true);
    expect(MoodsOutputCheckedSchema.safeParse({ moods: [mood, mood] }).success).toBe(false);
    const badHex = { ...mood, color_palette: ['orange', '#000000', '#111111'] };
    expect(MoodsOutputCheckedSchema.safeParse({ moods: [mood, mood, badHex] }).success).toBe(false);
    const fewWords = { ...mood, mood_keywords: ['a'] };
    expect(MoodsOutputCheckedSchema.safeParse({ moods: [fewWords, mood, mood] }).success).toBe(false);
  });

  it('checked storyboard and scene text: durations 1..10, 1..20 scenes', () => {
    const scene = {
      title: 'Open',
      description: 'Can on counter',
      duration_seconds: 5,
      voiceover_text: 'Hi.',
    };
    expect(StoryboardOutputCheckedSchema.safeParse({ title: 'T', scenes: [scene] }).success).toBe(true);
    const long = { ...scene, voiceover_text: 'word '.repeat(60) };
    expect(StoryboardOutputCheckedSchema.safeParse({ title: 'T', scenes: [long] }).success).toBe(false);
    expect(StoryboardOutputCheckedSchema.safeParse({ title: 'T', scenes: [] }).success).toBe(false);
    const many = Array.from({ length: 21 }, () => scene);
    expect(StoryboardOutputCheckedSchema.safeParse({ title: 'T', scenes: many }).success).toBe(false);
    expect(SceneTextOutputCheckedSchema.safeParse({ ...scene, duration_seconds: 12 }).success).toBe(false);
    expect(SceneTextOutputSchema.safeParse({ ...scene, duration_seconds: 12 }).success).toBe(true);
    expect(
      CompositionOutputCheckedSchema.safeParse({ description: 'd', styling: '', animation: 'a' }).success,
    ).toBe(false);
  });
});
