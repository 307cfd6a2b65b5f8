// Plausible language-model answers, derived from the prompt and deterministic for a seed. The answer is
// chosen by the structured-output schema's name (moods, storyboard, scene_text, composition), reads the
// facts the prompts state plainly (brand, tone, scene count, target length, palette), and always fits the
// schema package's checked bounds. An unknown schema gets a value generated from the JSON schema itself.
import { hslHex } from './ffmpeg.js';
import { pseudoShorten, pseudoTranslate } from './languages.js';
import type { Rng } from './random.js';

export interface PromptFacts {
  brand: string;
  product: string;
  tone: string;
  keyMessage: string;
  palette: string[];
}

/** The value of a `Label: value` line, cut to 200 characters so answers stay within the schema bounds. */
function line(text: string, label: string): string | undefined {
  const match = new RegExp(`^${label}:\\s*(.+)$`, 'mi').exec(text);
  return match?.[1]?.trim().slice(0, 200);
}

/** Hex colours (#rrggbb) named in a text, in order, without repeats. */
export function hexColours(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/#[0-9a-fA-F]{6}\b/g)) {
    const hex = match[0].toLowerCase();
    if (!found.includes(hex)) found.push(hex);
  }
  return found;
}

export function readFacts(text: string): PromptFacts {
  return {
    brand: line(text, 'Brand name') ?? 'the brand',
    product: line(text, 'Product') ?? 'the product',
    tone: line(text, 'Tone') ?? 'confident',
    keyMessage: line(text, 'Key message') ?? 'made for you',
    palette: hexColours(text),
  };
}

const MOOD_ARCHETYPES = [
  {
    name: 'Golden Hour Calm',
    feel: 'Warm, unhurried light that makes everyday moments feel precious',
    style: 'Low sun, soft lens flare, shallow depth of field, natural textures like linen and wood.',
    hue: 32,
    keywords: ['warm', 'serene', 'sunlit', 'intimate', 'natural', 'slow', 'honest'],
  },
  {
    name: 'Neon Night Pulse',
    feel: 'Electric city energy with a confident, modern edge',
    style: 'Night streets, neon reflections on wet asphalt, quick cuts, high contrast and saturated colour.',
    hue: 285,
    keywords: ['electric', 'urban', 'bold', 'fast', 'nocturnal', 'glossy', 'rhythmic'],
  },
  {
    name: 'Clean Studio Minimal',
    feel: 'Calm precision that lets the product speak for itself',
    style: 'Seamless studio backdrop, hard key light, generous negative space, slow turntable moves.',
    hue: 200,
    keywords: ['minimal', 'precise', 'airy', 'modern', 'crisp', 'focused', 'premium'],
  },
  {
    name: 'Wild Outdoors',
    feel: 'Fresh air and freedom, a product built for real life',
    style: 'Handheld wide shots in open landscapes, morning mist, earthy greens and stone greys.',
    hue: 120,
    keywords: ['adventurous', 'fresh', 'rugged', 'free', 'earthy', 'open', 'alive'],
  },
  {
    name: 'Playful Pop',
    feel: 'Cheerful, witty and impossible to scroll past',
    style: 'Flat bright colour blocks, bouncy stop-motion, top-down framing and graphic shapes.',
    hue: 350,
    keywords: ['playful', 'bright', 'witty', 'bouncy', 'graphic', 'joyful', 'snappy'],
  },
  {
    name: 'Quiet Luxury',
    feel: 'Understated elegance for people who notice details',
    style: 'Deep shadows, silk and marble textures, slow dolly moves, muted jewel tones.',
    hue: 45,
    keywords: ['elegant', 'refined', 'rich', 'quiet', 'textured', 'timeless', 'exclusive'],
  },
] as const;

export function moodsAnswer(text: string, rng: Rng): unknown {
  const facts = readFacts(text);
  const moods = rng.sample(MOOD_ARCHETYPES, 3).map((mood) => {
    const count = rng.int(3, 5);
    const palette = Array.from({ length: count }, (_, i) =>
      hslHex((mood.hue + i * rng.int(20, 50) + 360) % 360, rng.int(35, 85), rng.int(18, 82)),
    );
    return {
      name: mood.name,
      description: `${mood.feel}. It suits ${facts.brand}'s ${facts.tone.toLowerCase()} voice and puts "${facts.keyMessage}" at the centre.`,
      visual_style: mood.style,
      color_palette: [...new Set(palette)].length >= 3 ? [...new Set(palette)] : palette,
      mood_keywords: rng.sample(mood.keywords, rng.int(5, 7)),
    };
  });
  return { moods };
}

const BEATS = [
  ['The hook', 'A striking close-up grabs attention in the first second'],
  ['Everyday friction', 'We see the small annoyance the audience knows too well'],
  ['First glimpse', `The product enters the frame, catching the light`],
  ['In the hand', 'Hands turn the product slowly; details and materials read clearly'],
  ['In use', 'The product does its job in a real setting, effortless and quick'],
  ['The change', 'The scene brightens as the problem dissolves'],
  ['Shared moment', 'Friends react and smile; the mood lifts'],
  ['Detail shot', 'A macro pass across texture and finish'],
  ['On the move', 'A tracking shot follows the product through the day'],
  ['Quiet pause', 'A still, composed frame lets the feeling land'],
  ['The promise', 'The key message appears over a clean background'],
  ['Brand sign-off', 'The logo settles in the centre with a final beat'],
] as const;

const LINES = [
  'Every morning deserves a better start.',
  'Small things make the biggest difference.',
  'Made for the way you really live.',
  'Simple, quick, and always ready.',
  'You will wonder how you managed without it.',
  'Designed with care, built to last.',
] as const;

/** A voiceover line a scene of `seconds` can hold: the stand-in's voice says about 1.9 words a second, and a
 * line leaves a breath at both ends of its scene. */
export function voiceoverLine(seconds: number, facts: PromptFacts, index: number, isLast: boolean): string {
  const room = Math.max(1, Math.floor((seconds - 0.7) * 1.6));
  const source = isLast ? `${facts.keyMessage}. ${facts.brand}.` : LINES[index % LINES.length]!;
  const words = source.split(/\s+/).filter(Boolean).slice(0, room);
  const text = words.join(' ').replace(/[,;:]$/, '');
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Durations for `count` scenes summing to about `target`, each 1..10 s on a half second. */
function durations(count: number, target: number, rng: Rng): number[] {
  const weights = Array.from({ length: count }, () => 0.8 + rng.next() * 0.4);
  const total = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.min(10, Math.max(1, Math.round(((w * target) / total) * 2) / 2)));
  for (let guard = 0; guard < 400; guard += 1) {
    const diff = target - out.reduce((a, b) => a + b, 0);
    if (Math.abs(diff) < 0.5) break;
    const step = diff > 0 ? 0.5 : -0.5;
    const i = out.findIndex((d) => d + step >= 1 && d + step <= 10);
    if (i === -1) break;
    out[i] = (out[i] ?? 1) + step;
  }
  return out;
}

/** The beats in which the product itself is on screen. */
const PRODUCT_BEATS: ReadonlySet<string> = new Set([
  'First glimpse',
  'In the hand',
  'In use',
  'Detail shot',
  'On the move',
]);

/**
 * A scene `shows_product` exactly when its description names the product (the brief's `Product:` line): the
 * product beats do, the others and the sign-off do not. Deterministic for a seed, and checkable from the
 * scene's own text.
 */
export function storyboardAnswer(text: string, rng: Rng): unknown {
  const facts = readFacts(text);
  const count = Math.min(20, Math.max(1, Number(/exactly (\d+) scenes?/i.exec(text)?.[1] ?? 6)));
  const target = Number(/about (\d+(?:\.\d+)?) seconds in total/i.exec(text)?.[1] ?? 30);
  const lengths = durations(count, target, rng);
  const scenes = lengths.map((duration_seconds, i) => {
    const isLast = i === count - 1;
    const [title, what] = isLast
      ? BEATS[BEATS.length - 1]!
      : BEATS[(i + rng.int(0, 1)) % (BEATS.length - 1)]!;
    const showsProduct = !isLast && PRODUCT_BEATS.has(title);
    const action = isLast
      ? `closes on "${facts.keyMessage}"`
      : showsProduct
        ? `shows ${facts.product.toLowerCase()}`
        : 'sets the scene';
    return {
      title,
      description: `${what}. ${facts.brand} ${action} in a ${facts.tone.toLowerCase()} way.`,
      duration_seconds,
      voiceover_text: voiceoverLine(duration_seconds, facts, i, isLast),
      shows_product: showsProduct,
    };
  });
  return { title: `${facts.brand}: ${facts.keyMessage}`.slice(0, 120), scenes };
}

export function sceneTextAnswer(text: string, rng: Rng): unknown {
  const facts = readFacts(text);
  const sceneNumber = Number(/Rewrite scene (\d+)/i.exec(text)?.[1] ?? 1);
  const duration = Number(/duration close to (\d+(?:\.\d+)?) seconds/i.exec(text)?.[1] ?? 5);
  const ask = line(text, 'The user asks');
  const [title, what] = rng.pick(BEATS);
  return {
    title: `${title} (take ${rng.int(2, 9)})`,
    description: `${what}, reworked for scene ${sceneNumber}. ${facts.brand} stays ${facts.tone.toLowerCase()}${ask ? `; as asked: ${ask}` : ''}.`,
    duration_seconds: Math.min(10, Math.max(1, duration)),
    voiceover_text: voiceoverLine(
      Math.min(10, Math.max(1, duration)),
      facts,
      sceneNumber + rng.int(0, 5),
      false,
    ),
  };
}

export function compositionAnswer(text: string, rng: Rng): unknown {
  const facts = readFacts(text);
  const scene = /^Scene:\s*(.+?)\s*\(/m.exec(text)?.[1] ?? 'the scene';
  const palette = facts.palette.length > 0 ? facts.palette.join(', ') : 'the brand colours';
  const lens = rng.pick(['35 mm', '50 mm', '85 mm', '24 mm wide']);
  const move = rng.pick([
    'a slow push-in',
    'a lateral dolly',
    'a gentle crane down',
    'a handheld drift',
    'an orbit',
  ]);
  return {
    description: `${scene}: ${facts.product} framed on a ${lens} lens, subject slightly off centre, clean background.`,
    styling: `Soft key light with a warm rim; colour treatment built on ${palette}; ${facts.tone.toLowerCase()} feel.`,
    animation: `Starts still, then ${move} over the scene while the subject makes one small, natural movement.`,
  };
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
};

/** A value that fits a (strict, OpenAI-style) JSON schema, for schemas the stand-in has no answer for. */
export function fromJsonSchema(schema: JsonSchema, rng: Rng, depth = 0): unknown {
  if (schema.enum && schema.enum.length > 0) return rng.pick(schema.enum);
  if (schema.anyOf && schema.anyOf.length > 0) return fromJsonSchema(schema.anyOf[0]!, rng, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, sub]) => [
          key,
          fromJsonSchema(sub, rng, depth + 1),
        ]),
      );
    case 'array':
      return depth > 6
        ? []
        : Array.from({ length: 3 }, () => fromJsonSchema(schema.items ?? {}, rng, depth + 1));
    case 'number':
      return Math.round(rng.next() * 1000) / 100;
    case 'integer':
      return rng.int(1, 10);
    case 'boolean':
      return rng.next() < 0.5;
    case 'null':
      return null;
    default:
      return rng.pick(['alpha', 'bravo', 'charlie', 'delta']);
  }
}

/** The language a translate or shorten prompt asks for: `into Spanish (es)`, `This German (de) line`. */
function askedLanguage(text: string, pattern: RegExp): string {
  return pattern.exec(text)?.[1] ?? 'es';
}

/** The translation prompt's lines (`Line 2 (3 s): ...`) and call to action, each pseudo-translated. */
export function translateAnswer(text: string): unknown {
  const tag = askedLanguage(text, /\binto [^()\n]*\(([^)]+)\)/);
  const brand = readFacts(text).brand;
  const lines = [...text.matchAll(/^Line (\d+) \([^)]*\): (.*)$/gm)].map((m) => ({
    scene_number: Number(m[1]),
    text: pseudoTranslate(m[2]!, tag, brand).slice(0, 200),
  }));
  const cta = /^Call to action: (.*)$/m.exec(text)?.[1]?.trim() ?? '';
  return { lines, call_to_action: cta ? pseudoTranslate(cta, tag, brand).slice(0, 80) : '' };
}

/** The shorten prompt's line in the share of its length the prompt asks for. */
export function shortenAnswer(text: string): unknown {
  const tag = askedLanguage(text, /^This [^()\n]*\(([^)]+)\) line/m);
  const share = Number(/in about (\d+)% of its length/.exec(text)?.[1] ?? 70) / 100;
  const original = /^Line: (.*)$/m.exec(text)?.[1] ?? '';
  return { text: pseudoShorten(original, tag, share) || original };
}

export const ANSWERS: Record<string, (text: string, rng: Rng) => unknown> = {
  moods: moodsAnswer,
  storyboard: storyboardAnswer,
  scene_text: sceneTextAnswer,
  composition: compositionAnswer,
  translate: translateAnswer,
  shorten: shortenAnswer,
};
