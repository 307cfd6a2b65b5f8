// The languages an ad can be made in (`settings.languages`), each with the script its captions are drawn in.
// A language is accepted only when the render ships a font for its script (functions/src/render/fonts.ts
// maps each script to its TTF): a caption must never show a box for a glyph. Tags are BCP-47; a tag is
// known by its primary language subtag (`es-MX` speaks and writes as `es`), except that Chinese in the
// traditional script (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`) is refused: the shipped CJK font is simplified.
import { z } from 'zod';
import { AspectRatioSchema, type AspectRatio } from './primitives.js';

/** How a script's text is laid out: its font family (a shipped TTF), whether it runs right to left, and
 * whether its words are separated by spaces (Japanese and Chinese are not: captions break by characters). */
export const SCRIPTS = {
  latin: { font: 'DejaVu Sans', rtl: false, spaced: true },
  cyrillic: { font: 'DejaVu Sans', rtl: false, spaced: true },
  greek: { font: 'DejaVu Sans', rtl: false, spaced: true },
  arabic: { font: 'Noto Sans Arabic', rtl: true, spaced: true },
  hebrew: { font: 'Noto Sans Hebrew', rtl: true, spaced: true },
  japanese: { font: 'Noto Sans JP', rtl: false, spaced: false },
  han_simplified: { font: 'Noto Sans SC', rtl: false, spaced: false },
} as const;
export type Script = keyof typeof SCRIPTS;

/** The accepted languages by primary subtag: their English name (for prompts and messages) and script. */
export const LANGUAGES = {
  en: { name: 'English', script: 'latin' },
  es: { name: 'Spanish', script: 'latin' },
  de: { name: 'German', script: 'latin' },
  fr: { name: 'French', script: 'latin' },
  it: { name: 'Italian', script: 'latin' },
  pt: { name: 'Portuguese', script: 'latin' },
  nl: { name: 'Dutch', script: 'latin' },
  pl: { name: 'Polish', script: 'latin' },
  sv: { name: 'Swedish', script: 'latin' },
  da: { name: 'Danish', script: 'latin' },
  nb: { name: 'Norwegian Bokmål', script: 'latin' },
  fi: { name: 'Finnish', script: 'latin' },
  cs: { name: 'Czech', script: 'latin' },
  ro: { name: 'Romanian', script: 'latin' },
  tr: { name: 'Turkish', script: 'latin' },
  id: { name: 'Indonesian', script: 'latin' },
  vi: { name: 'Vietnamese', script: 'latin' },
  ru: { name: 'Russian', script: 'cyrillic' },
  uk: { name: 'Ukrainian', script: 'cyrillic' },
  el: { name: 'Greek', script: 'greek' },
  ar: { name: 'Arabic', script: 'arabic' },
  he: { name: 'Hebrew', script: 'hebrew' },
  ja: { name: 'Japanese', script: 'japanese' },
  zh: { name: 'Chinese (Simplified)', script: 'han_simplified' },
} as const satisfies Record<string, { name: string; script: Script }>;
export type LanguageCode = keyof typeof LANGUAGES;

/** BCP-47's common shape: a language, then optional script, region and variant subtags. */
const BCP47 =
  /^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?(-([a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*$/;

/** `es-mx` -> `es-MX`, `ZH-hans` -> `zh-Hans`: the case BCP-47 recommends, so equal tags compare equal. */
export function canonicalTag(tag: string): string {
  return tag
    .split('-')
    .map((sub, i) =>
      i === 0
        ? sub.toLowerCase()
        : sub.length === 4 && /^[a-z]/i.test(sub)
          ? sub[0]!.toUpperCase() + sub.slice(1).toLowerCase()
          : sub.length === 2
            ? sub.toUpperCase()
            : sub.toLowerCase(),
    )
    .join('-');
}

/** Why the render cannot make an ad in `tag`, or undefined when it can. */
export function languageProblem(tag: string): string | undefined {
  if (!BCP47.test(tag)) return `"${tag}" is not a BCP-47 language tag (e.g. "en", "es-MX", "ja")`;
  const [primary, ...rest] = canonicalTag(tag).split('-');
  if (primary === 'zh' && rest.some((sub) => ['Hant', 'TW', 'HK', 'MO'].includes(sub))) {
    return `"${tag}" is written in traditional Chinese characters, which the captions have no font for; use "zh-Hans"`;
  }
  const code = primary === 'no' || primary === 'nn' ? 'nb' : primary;
  if (!(code! in LANGUAGES)) {
    return `"${tag}" is not a language the ad can be made in: its captions have no font for its script (supported: ${Object.keys(LANGUAGES).join(', ')})`;
  }
  return undefined;
}

/** The entry of an accepted tag (its primary subtag's). Throws on a tag `languageProblem` refuses. */
export function languageOf(tag: string): { code: LanguageCode; name: string; script: Script } {
  const problem = languageProblem(tag);
  if (problem) throw new Error(problem);
  const primary = canonicalTag(tag).split('-')[0]!;
  const code = (primary === 'no' || primary === 'nn' ? 'nb' : primary) as LanguageCode;
  return { code, ...LANGUAGES[code] };
}

/** How text in `tag` is laid out. */
export function scriptOf(tag: string): (typeof SCRIPTS)[Script] & { script: Script } {
  const { script } = languageOf(tag);
  return { script, ...SCRIPTS[script] };
}

/** How text in `tag` is laid out, Latin's for no tag or a tag the render cannot draw (callers that must
 * refuse such a tag check `languageProblem` first). */
export function layoutOf(tag?: string): (typeof SCRIPTS)[Script] & { script: Script } {
  return tag === undefined || languageProblem(tag) !== undefined
    ? { script: 'latin', ...SCRIPTS.latin }
    : scriptOf(tag);
}

/** One accepted language tag, stored in its canonical case. */
export const LanguageTagSchema = z
  .string()
  .trim()
  .max(35)
  .superRefine((tag, ctx) => {
    const problem = languageProblem(tag);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform(canonicalTag);

export const MAX_LANGUAGES = 10;

/** `settings.languages`: the first is the storyboard's own language; at most 10, no tag twice. */
export const LanguagesSchema = z
  .array(LanguageTagSchema)
  .min(1)
  .max(MAX_LANGUAGES)
  .refine((tags) => new Set(tags).size === tags.length, 'a language is listed twice');

/** The key of one rendered file in `assets.renders` (and of its part in the render job): the format alone for
 * the storyboard's own language (the first of `settings.languages`, as before languages existed), and
 * `<format>@<tag>` for each other language, e.g. `9:16@es`. */
export type RenderKey = AspectRatio | `${AspectRatio}@${string}`;

export function renderKey(format: AspectRatio, language?: string): RenderKey {
  return language ? `${format}@${language}` : format;
}

/** The format and (other than the storyboard's) language of a render key; undefined for anything else. */
export function parseRenderKey(key: string): { format: AspectRatio; language?: string } | undefined {
  const [format, language, ...rest] = key.split('@');
  if (rest.length || !AspectRatioSchema.safeParse(format).success) return undefined;
  if (language === undefined) return { format: format as AspectRatio };
  if (languageProblem(language) || canonicalTag(language) !== language) return undefined;
  return { format: format as AspectRatio, language };
}

export const RenderKeySchema = z.custom<RenderKey>(
  (key) => typeof key === 'string' && key.length <= 48 && parseRenderKey(key) !== undefined,
  'must be a format, or a format@language tag',
);

/** A key of `localizations`: a canonical language tag. */
export const LocalizationKeySchema = z
  .string()
  .max(35)
  .refine((tag) => !languageProblem(tag) && canonicalTag(tag) === tag, 'must be a supported language tag');

/**
 * The words of a line as it is spoken and captioned: split at spaces, or, in a script that writes no spaces
 * between words (Japanese, Chinese), by the platform's word segmenter (ICU's dictionary, `Intl.Segmenter`).
 * Punctuation stays on the word before it, as a spaced script's does ("word," "word."), so phrases still
 * break after it.
 */
export function wordsOf(text: string, tag?: string): string[] {
  if (layoutOf(tag).spaced) return text.split(/\s+/).filter((t) => /[\p{L}\p{N}]/u.test(t));
  const words: string[] = [];
  for (const segment of new Intl.Segmenter(tag, { granularity: 'word' }).segment(text)) {
    const piece = segment.segment.trim();
    if (!piece) continue;
    if (segment.isWordLike || words.length === 0) words.push(piece);
    else words[words.length - 1] += piece;
  }
  return words.filter((t) => /[\p{L}\p{N}]/u.test(t));
}

/** What goes between two words of a line in `tag`: a space in a spaced script; in Japanese or Chinese
 * nothing, except between two words written in Latin letters or digits (a brand name kept as written). */
export function wordSeparator(previous: string, next: string, tag?: string): string {
  if (layoutOf(tag).spaced) return ' ';
  const latin = /[\p{Script=Latin}\p{N}]/u;
  return latin.test(previous.slice(-1)) && latin.test(next.charAt(0)) ? ' ' : '';
}

/** The words of a line joined as the line is written in `tag` (the inverse of `wordsOf`, spaces aside). */
export function joinWords(words: readonly string[], tag?: string): string {
  return words.reduce(
    (line, word, i) => (i === 0 ? word : line + wordSeparator(words[i - 1]!, word, tag) + word),
    '',
  );
}

/** Whether text in `tag` runs right to left (Arabic, Hebrew). */
export function isRightToLeft(tag?: string): boolean {
  return layoutOf(tag).rtl;
}
