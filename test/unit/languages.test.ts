// The ad's languages as pure code: which tags are accepted (a script with no shipped font is refused, naming
// the tag), how a line splits into words in a script without spaces, how captions phrase it, how the
// subtitle document draws it, and the stand-in's deterministic translation.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LanguagesSchema,
  ProjectSettingsSchema,
  SCRIPTS,
  languageProblem,
  parseRenderKey,
  renderKey,
  wordsOf,
} from '@reelforge/schema';
import {
  UNSPACED_PHRASE_MAX_CHARS,
  phrases,
  subtitleDocument,
  type TimedWord,
} from '../../functions/src/render/captions.js';
import { fontsDir } from '../../functions/src/render/fonts.js';
import { pseudoShorten, pseudoTranslate, speechLanguage } from '../../scripts/standin/languages.js';

const timed = (words: string[], each = 0.3): TimedWord[] =>
  words.map((word, i) => ({ word, start: i * each, end: i * each + each * 0.8 }));

describe('language tags', () => {
  it('accepts the supported languages in canonical case, with regions and scripts', () => {
    expect(LanguagesSchema.parse(['en', 'es-mx', 'DE', 'ja', 'ar', 'zh-hans'])).toEqual([
      'en',
      'es-MX',
      'de',
      'ja',
      'ar',
      'zh-Hans',
    ]);
    expect(ProjectSettingsSchema.parse({}).languages).toEqual(['en']);
  });

  it('refuses a language whose script the render cannot draw, naming it', () => {
    expect(languageProblem('ko')).toMatch(/"ko" is not a language the ad can be made in/);
    expect(languageProblem('hi')).toMatch(/"hi"/);
    expect(languageProblem('zh-TW')).toMatch(/traditional Chinese/);
    expect(languageProblem('not a tag')).toMatch(/not a BCP-47 language tag/);
    const refused = LanguagesSchema.safeParse(['en', 'ko']);
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]!.path).toEqual([1]);
    expect(refused.error!.issues[0]!.message).toMatch(/"ko"/);
  });

  it('refuses more than 10 languages and a language listed twice', () => {
    const eleven = ['en', 'es', 'de', 'fr', 'it', 'pt', 'nl', 'pl', 'sv', 'da', 'fi'];
    expect(LanguagesSchema.safeParse(eleven).success).toBe(false);
    expect(LanguagesSchema.safeParse(['en', 'es', 'ES']).success).toBe(false);
  });

  it("names each rendered file by format and (other than the storyboard's) language", () => {
    expect(renderKey('9:16')).toBe('9:16');
    expect(renderKey('16:9', 'es-MX')).toBe('16:9@es-MX');
    expect(parseRenderKey('16:9@es-MX')).toEqual({ format: '16:9', language: 'es-MX' });
    expect(parseRenderKey('9:16')).toEqual({ format: '9:16' });
    expect(parseRenderKey('9:16@ko')).toBeUndefined();
    expect(parseRenderKey('2:1')).toBeUndefined();
  });

  it('ships a font file for every script it accepts', () => {
    for (const script of Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[]) {
      const dir = fontsDir(script);
      expect(existsSync(join(dir, 'DejaVuSans-Bold.ttf')), script).toBe(true);
    }
    expect(existsSync(join(fontsDir('japanese'), 'NotoSansJP_700Bold.ttf'))).toBe(true);
    expect(existsSync(join(fontsDir('arabic'), 'NotoSansArabic_700Bold.ttf'))).toBe(true);
  });
});

describe('words and phrases in a script without spaces', () => {
  it('splits Japanese and Chinese by the word segmenter, punctuation on the word before it', () => {
    const words = wordsOf('冷たいコーヒーを飲もう。毎日、一緒に。', 'ja');
    expect(words.length).toBeGreaterThan(3);
    expect(words.join('')).toBe('冷たいコーヒーを飲もう。毎日、一緒に。');
    expect(words.some((w) => w.endsWith('。'))).toBe(true);
    expect(wordsOf('Real coffee, ready.', 'en')).toEqual(['Real', 'coffee,', 'ready.']);
  });

  it('phrases Japanese by characters, joined without spaces, each within the phrase limit', () => {
    const line = '冷たいコーヒーをいつでもどこでも毎日一緒に新しい一日を始めよう';
    const groups = phrases(timed(wordsOf(line, 'ja')), 'ja');
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.map((p) => p.text).join('')).toBe(line);
    for (const p of groups) {
      expect(p.text).not.toContain(' ');
      expect([...p.text].length).toBeLessThanOrEqual(UNSPACED_PHRASE_MAX_CHARS);
    }
    // The same words as a spaced language would be one long run with spaces: the language decides.
    expect(phrases(timed(['one', 'two']), 'es')[0]!.text).toBe('one two');
  });

  it("draws each language's captions in its script's font, the brand as written", () => {
    const doc = (language?: string) =>
      subtitleDocument({
        format: '9:16',
        resolution: '1080p',
        captions: phrases(timed(['قهوة', 'باردة']), language),
        accent: '#ff0000',
        ...(language ? { language } : {}),
        endCard: {
          brand: 'Morning Brew',
          callToAction: 'اطلب الآن',
          start: 5,
          end: 8,
          background: '#111111',
          withLogo: false,
        },
      });
    expect(doc('ar')).toMatch(/^Style: Caption,Noto Sans Arabic,/m);
    expect(doc('ar')).toMatch(/^Style: Action,Noto Sans Arabic,/m);
    expect(doc('ar')).toMatch(/^Style: Brand,DejaVu Sans,/m);
    expect(doc('ja')).toMatch(/^Style: Caption,Noto Sans JP,/m);
    expect(doc()).toMatch(/^Style: Caption,DejaVu Sans,/m);
  });
});

describe("the stand-in's translation", () => {
  it('is deterministic, in the target script, and keeps the brand as written', () => {
    const line = 'Morning Brew is real coffee, ready when you are.';
    const es = pseudoTranslate(line, 'es', 'Morning Brew');
    expect(pseudoTranslate(line, 'es', 'Morning Brew')).toBe(es);
    expect(es).toMatch(/^Morning Brew /);
    expect(pseudoTranslate(line, 'ja', 'Morning Brew')).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(pseudoTranslate(line, 'ar', 'Morning Brew')).toMatch(/[\u0600-\u06ff]/);
    expect(pseudoTranslate(line, 'de', 'Morning Brew').length).toBeGreaterThan(line.length);
    expect(wordsOf(pseudoShorten(es, 'es', 0.5)).length).toBe(Math.floor(wordsOf(es).length / 2));
  });

  it('speaks the language the instructions name, else the one the script tells', () => {
    expect(speechLanguage('Hola', 'Speak in Spanish (es-MX), as a native speaker.')).toBe('es-MX');
    expect(speechLanguage('قهوة', undefined)).toBe('ar');
    expect(speechLanguage('コーヒー', undefined)).toBe('ja');
    expect(speechLanguage('Coffee', 'Speak as the narrator')).toBe('en');
  });
});
