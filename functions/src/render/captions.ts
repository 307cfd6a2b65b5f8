// Captions and end-card text as one ASS subtitle document per format, burned in by libass. Captions are the
// voiceover in short phrases, each on screen from its first word to just after its last, timed by when the
// words were actually spoken (the voiceover's word timings), not spread over the scene. The word being
// spoken lights up in the mood's accent colour (karaoke), on white text with a black outline that reads on
// any footage. Everything sits inside the format's safe zone.
import {
  isRightToLeft,
  joinWords,
  layoutOf,
  wordSeparator,
  type AspectRatio,
  type Resolution,
} from '@reelforge/schema';
import { assColor, lightened, textOn } from './colors.js';
import { FONT_FAMILY } from './fonts.js';
import { SAFE_ZONE, frameSize } from './frame.js';

/** A word placed on the ad's timeline (seconds from the start of the ad). */
export interface TimedWord {
  word: string;
  start: number;
  end: number;
}

export interface Phrase {
  text: string;
  start: number;
  end: number;
  words: TimedWord[];
}

export const PHRASE_MAX_WORDS = 5;
export const PHRASE_MAX_CHARS = 28;
/** Characters of a phrase in a script that writes no spaces (Japanese, Chinese): each is about as wide as
 * two Latin letters, so half as many fit the same line; their words are short, so more of them. */
export const UNSPACED_PHRASE_MAX_CHARS = 12;
const UNSPACED_PHRASE_MAX_WORDS = 8;

/** U+200F RIGHT-TO-LEFT MARK: starts a line in Arabic or Hebrew, so that the line runs right to left even
 * when it opens with a word in Latin letters (a brand name), which would otherwise make it left to right. */
const RLM = '\u200f';
/** A phrase stays up this long after its last word (unless the next one starts sooner). */
export const PHRASE_HOLD_SECONDS = 0.3;
/** A pause this long between words starts a new phrase even mid-sentence. */
const PAUSE_SECONDS = 0.45;

/** Articles, prepositions, conjunctions and possessives: they belong with the word after them. */
const LEADING_WORD = /^(a|an|the|to|of|in|on|at|by|for|with|and|or|but|your|our|my|its|their|from|into)$/i;

/** Groups words into short phrases: at most a few words and characters, broken after punctuation and at
 * pauses, so a viewer reads each at a glance. */
export function phrases(words: readonly TimedWord[], language?: string): Phrase[] {
  const [maxWords, maxChars] = layoutOf(language).spaced
    ? [PHRASE_MAX_WORDS, PHRASE_MAX_CHARS]
    : [UNSPACED_PHRASE_MAX_WORDS, UNSPACED_PHRASE_MAX_CHARS];
  const groups: TimedWord[][] = [];
  let current: TimedWord[] = [];
  const text = (ws: readonly TimedWord[]) =>
    joinWords(
      ws.map((w) => w.word),
      language,
    );
  const length = (ws: readonly TimedWord[]) => [...text(ws)].length;
  for (const word of words) {
    const previous = current.at(-1);
    const full =
      current.length >= maxWords ||
      (current.length > 0 && length([...current, word]) > maxChars) ||
      (previous !== undefined && /[.!?;:,。、！？，؟،]$/.test(previous.word)) ||
      (previous !== undefined && word.start - previous.end > PAUSE_SECONDS);
    if (full && current.length > 0) {
      // A phrase does not end on a word that leads into the next one ("deserves a | better start").
      const carried =
        current.length > 1 && LEADING_WORD.test(current.at(-1)!.word) ? current.pop()! : undefined;
      groups.push(current);
      current = carried ? [carried] : [];
    }
    current.push(word);
  }
  if (current.length > 0) groups.push(current);
  return groups.map((ws, i) => {
    const next = groups[i + 1]?.[0];
    const last = ws.at(-1)!;
    const end = Math.max(last.end, Math.min(last.end + PHRASE_HOLD_SECONDS, next?.start ?? Infinity));
    return { text: text(ws), start: ws[0]!.start, end, words: ws };
  });
}

/** ASS time `H:MM:SS.cc`. */
export function assTime(value: number): string {
  const cs = Math.max(0, Math.round(value * 100));
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  const c = cs % 100;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(c).padStart(2, '0')}`;
}

/** Text as ASS shows it literally: braces open override blocks and backslashes start tags. */
export function assText(text: string): string {
  return text
    .replace(/[{}]/g, (c) => (c === '{' ? '(' : ')'))
    .replace(/\\/g, '/')
    .replace(/\s+/g, ' ');
}

/** One phrase with a karaoke tag per word: each word switches to the accent when it is spoken. */
function karaoke(phrase: Phrase, language?: string): string {
  return phrase.words
    .map((w, i) => {
      const until = phrase.words[i + 1]?.start ?? phrase.end;
      // The first tag also covers the gap between the phrase appearing and its first word.
      const from = i === 0 ? phrase.start : w.start;
      return `{\\k${Math.max(1, Math.round((until - from) * 100))}}${assText(w.word)}${i < phrase.words.length - 1 ? wordSeparator(w.word, phrase.words[i + 1]!.word, language) : ''}`;
    })
    .join('');
}

export interface EndCardText {
  brand: string;
  callToAction?: string;
  /** When the card starts and ends on the ad's timeline. */
  start: number;
  end: number;
  /** The card's background, to pick a readable text colour. */
  background: string;
  /** Whether a logo takes the upper part of the card (the text then moves down). */
  withLogo: boolean;
  /** Whether the product image is composited on the card (the text then moves below it). */
  withPackshot?: boolean;
  /** Fine print on the card's bottom edge (a price, a legal line), drawn exactly as given. */
  disclaimer?: string;
}

export interface SubtitleDocument {
  format: AspectRatio;
  /** The frame's size follows from format and resolution; every size in the document scales with it. */
  resolution: Resolution;
  captions: readonly Phrase[];
  /** The mood colour the spoken word lights up in. */
  accent: string;
  endCard?: EndCardText;
  /** The language of the captions and the call to action (BCP-47): picks the font of its script and how
   * its words join. The storyboard's own language when absent (Latin). */
  language?: string;
}

/** Caption size: about 7.5% of the short side, large enough for a phone held at arm's length. */
export function captionFontSize(format: AspectRatio, resolution: Resolution): number {
  const { width, height } = frameSize(format, resolution);
  return Math.round(Math.min(width, height) * 0.075);
}

/** The card's layout as fractions of the height: the logo's box, the packshot's box (the product image, when
 * there is one), the brand's baseline (its text grows upwards from there when it wraps), the accent bar under
 * it, and the top of the call to action (which grows downwards), so that wrapped lines never run into the bar.
 * The disclaimer sits on the bottom edge of the safe zone. */
export function endCardLayout(format: AspectRatio, withLogo: boolean, withPackshot = false) {
  const zone = SAFE_ZONE[format];
  const top = zone.top;
  const usable = 1 - zone.top - zone.bottom;
  const bottom = 1 - zone.bottom;
  if (withPackshot) {
    // The product leads: the logo shrinks to a band above it, and the brand's baseline stays where room for
    // two lines of it is left above (it grows upwards when it wraps, and must not cover the product: the
    // packshot test measured a wrapped brand over it).
    const packshot = withLogo
      ? { top: top + usable * 0.12, height: usable * 0.26 }
      : { top: top + usable * 0.02, height: usable * 0.34 };
    const brandBottom = packshot.top + packshot.height + usable * 0.28;
    return {
      logo: { top: top + usable * 0.01, height: usable * 0.1 },
      packshot,
      brandBottom,
      bar: brandBottom + usable * 0.04,
      ctaTop: brandBottom + usable * 0.07,
      bottom,
    };
  }
  const brandBottom = top + usable * (withLogo ? 0.62 : 0.5);
  return {
    logo: { top: top + usable * 0.04, height: usable * 0.3 },
    packshot: undefined,
    brandBottom,
    bar: brandBottom + usable * 0.04,
    ctaTop: brandBottom + usable * 0.08,
    bottom,
  };
}

export function subtitleDocument(doc: SubtitleDocument): string {
  const { width, height } = frameSize(doc.format, doc.resolution);
  const zone = SAFE_ZONE[doc.format];
  const size = captionFontSize(doc.format, doc.resolution);
  const outline = Math.max(3, Math.round(size / 14));
  const shadow = Math.round(outline / 2);
  // The margins hold the letters' outline and shadow too, and the pixel or two libass's antialiasing and
  // glyph overhang reach past them: what is drawn stays inside the zone (measured by the quality gate, which
  // found the shadow over the bottom edge without the outline and shadow, then a caption 2 px over without
  // the overhang).
  const overhang = Math.ceil(size / 25);
  const marginL = Math.round(width * zone.left) + outline + overhang;
  const marginR = Math.round(width * zone.right) + outline + shadow + overhang;
  const marginV = Math.round(height * zone.bottom) + outline + shadow + overhang;
  const fields =
    'Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, ' +
    'Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, ' +
    'MarginL, MarginR, MarginV, Encoding';
  // Karaoke: a word shows SecondaryColour until it is spoken, then PrimaryColour (the accent).
  const accent = assColor(lightened(doc.accent));
  // The words in the ad's language take its script's font; the brand and the disclaimer are drawn as
  // written, in the Latin font (libass falls back glyph by glyph to the other font of the folder).
  const font = layoutOf(doc.language).font;
  const rtl = isRightToLeft(doc.language) ? RLM : '';
  // libass lays every line out left to right unless the style's encoding is -1, which lets the line's first
  // strong character decide (the RLM above, in Arabic and Hebrew): with 1, a line opening with the brand in
  // Latin letters put the brand on the left of the Arabic (read back from the frame).
  const encoding = rtl ? -1 : 1;
  const styles = [
    `Style: Caption,${font},${size},${accent},${assColor('#ffffff')},${assColor('#000000')},` +
      `${assColor('#000000', 0x60)},-1,0,0,0,100,100,0,0,1,${outline},${shadow},2,` +
      `${marginL},${marginR},${marginV},${encoding}`,
  ];
  const events = doc.captions.map(
    (p) =>
      `Dialogue: 0,${assTime(p.start)},${assTime(p.end)},Caption,,0,0,0,,${rtl}${karaoke(p, doc.language)}`,
  );
  const card = doc.endCard;
  if (card) {
    const color = assColor(textOn(card.background));
    const sideL = Math.round(width * zone.left);
    const sideR = Math.round(width * zone.right);
    // On 9:16 the card's text is centred in the safe zone, not the frame: the right-hand buttons would
    // otherwise cover its end.
    const x = Math.round(sideL + (width - sideL - sideR) / 2);
    const layout = endCardLayout(doc.format, card.withLogo, card.withPackshot);
    const brandSize = Math.round(size * 1.6);
    styles.push(
      `Style: Brand,${FONT_FAMILY},${brandSize},${color},${color},${assColor('#000000', 0xff)},` +
        `${assColor('#000000', 0xff)},-1,0,0,0,100,100,0,0,1,0,0,5,${sideL},${sideR},0,1`,
      `Style: Action,${font},${Math.round(size * 0.9)},${color},${color},${assColor('#000000', 0xff)},` +
        `${assColor('#000000', 0xff)},0,0,0,0,100,100,0,0,1,0,0,5,${sideL},${sideR},0,${encoding}`,
      // Fine print: small, but not below what a phone screen shows legibly (about 3% of the short side).
      `Style: Fine,${FONT_FAMILY},${Math.max(12, Math.round(size * 0.42))},${color},${color},` +
        `${assColor('#000000', 0xff)},${assColor('#000000', 0xff)},0,0,0,0,100,100,0,0,1,0,0,2,` +
        `${sideL},${sideR},0,1`,
    );
    // \\an2: anchored at the bottom centre (grows up); \\an8: anchored at the top centre (grows down).
    const at = (anchor: 2 | 8, y: number) => `{\\an${anchor}\\pos(${x},${Math.round(height * y)})}`;
    events.push(
      `Dialogue: 1,${assTime(card.start)},${assTime(card.end)},Brand,,0,0,0,,${at(2, layout.brandBottom)}${assText(card.brand)}`,
    );
    if (card.callToAction) {
      events.push(
        `Dialogue: 1,${assTime(card.start)},${assTime(card.end)},Action,,0,0,0,,${at(8, layout.ctaTop)}${rtl}${assText(card.callToAction)}`,
      );
    }
    if (card.disclaimer) {
      // Anchored at the bottom of the safe zone, growing upwards when it wraps; the descenders and the
      // antialiasing stay inside the zone (the same overhang the captions keep).
      const y = Math.round(height * layout.bottom) - overhang;
      events.push(
        `Dialogue: 1,${assTime(card.start)},${assTime(card.end)},Fine,,0,0,0,,{\\an2\\pos(${x},${y})}${assText(card.disclaimer)}`,
      );
    }
  }
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${width}`,
    `PlayResY: ${height}`,
    // Smart wrapping, lines of even length: a two-line phrase does not leave one word alone.
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    `Format: ${fields}`,
    ...styles,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...events,
    '',
  ].join('\n');
}

/** A caption time rounded as the ASS document rounds it (centiseconds), so the sidecar files show each
 * phrase exactly when the burned-in one shows. */
function centiseconds(value: number): number {
  return Math.max(0, Math.round(value * 100));
}

/** `HH:MM:SS<sep>mmm` from centiseconds. */
function clock(cs: number, separator: ',' | '.'): string {
  const ms = cs * 10;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/** The captions as SubRip (.srt): the same phrases at the same times as burned in, numbered from 1. An ad
 * without captions gets a document with no cues. */
export function srtDocument(captions: readonly Phrase[], language?: string): string {
  const rtl = isRightToLeft(language) ? RLM : '';
  return captions
    .map(
      (p, i) =>
        `${i + 1}\n${clock(centiseconds(p.start), ',')} --> ${clock(centiseconds(p.end), ',')}\n${rtl}${p.text}\n`,
    )
    .join('\n');
}

/** WebVTT cue text: `&`, `<` and `>` are markup there. */
function vttText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The captions as WebVTT (.vtt), the same phrases and times as the SRT and the burned-in text. */
export function vttDocument(captions: readonly Phrase[], language?: string): string {
  const rtl = isRightToLeft(language) ? RLM : '';
  const cues = captions.map(
    (p) =>
      `${clock(centiseconds(p.start), '.')} --> ${clock(centiseconds(p.end), '.')}\n${rtl}${vttText(p.text)}\n`,
  );
  return ['WEBVTT\n', ...cues].join('\n');
}
