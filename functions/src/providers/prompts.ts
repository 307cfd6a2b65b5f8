// Every prompt the backend sends, in one place, written to be read by a person. The language-model prompts
// pair a system message (the role and the rules) with a user message (the facts). The media prompts are the
// text handed to image, video and music models. Numbers the answer must respect (scene count, durations)
// are stated plainly, because the structured-output schema cannot carry bounds.
import { LIMITS } from '@reelforge/schema';
import type { AspectRatio, CreativeBrief } from '@reelforge/schema';

export interface ChatPrompt {
  system: string;
  user: string;
}

/** The parts of a mood a prompt needs (a stored Mood or a fresh model answer both fit). */
export interface MoodForPrompt {
  name: string;
  description: string;
  visual_style: string;
  color_palette: readonly string[];
  mood_keywords: readonly string[];
}

export interface SceneForPrompt {
  id?: string;
  title: string;
  description: string;
  duration_seconds: number;
}

const ROLE =
  'You are the creative director of a studio that makes short vertical and horizontal video ads. ' +
  'You write concrete, visual, filmable ideas: what the camera sees, not abstract slogans. ' +
  'Answer only with JSON that matches the given schema.';

function briefBlock(brief: CreativeBrief): string {
  const lines = [
    `Brand name: ${brief.brand_name}`,
    `Product: ${brief.product_description}`,
    `Target audience: ${brief.target_audience}`,
    `Key message: ${brief.key_message}`,
    `Tone: ${brief.tone}`,
  ];
  if (brief.notes) lines.push(`Notes: ${brief.notes}`);
  return `Creative brief\n${lines.join('\n')}`;
}

function moodBlock(mood: MoodForPrompt): string {
  return [
    `Chosen mood: ${mood.name}`,
    `Mood description: ${mood.description}`,
    `Visual style: ${mood.visual_style}`,
    `Colour palette: ${mood.color_palette.join(', ')}`,
    `Keywords: ${mood.mood_keywords.join(', ')}`,
  ].join('\n');
}

const FORMAT_LABEL: Record<AspectRatio, string> = {
  '9:16': 'vertical 9:16 (phone, full screen)',
  '16:9': 'horizontal 16:9 (widescreen)',
  '1:1': 'square 1:1 (feed)',
  '4:5': 'portrait 4:5 (feed)',
};

function formatLabel(aspectRatio: AspectRatio): string {
  return FORMAT_LABEL[aspectRatio];
}

/** Spoken English runs at about 2.5 words a second; a line must fit its scene with a breath either side. */
const WORDS_PER_SECOND = 2.5;

function voiceoverRule(): string {
  return (
    `voiceover_text: the line a narrator speaks over the scene, at most ${LIMITS.VOICEOVER_TEXT_MAX} ` +
    `characters and about ${WORDS_PER_SECOND} words per second of the scene less one second ` +
    '(a 4 s scene: 7 words at most); it may be empty for a silent scene.'
  );
}

function seconds(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * Every language-model prompt: our role, then the brief (and the mood, once one is chosen), each followed by
 * a blank line, then what this prompt asks for.
 */
function chatPrompt(
  context: { brief: CreativeBrief; mood?: MoodForPrompt },
  ask: readonly string[],
): ChatPrompt {
  const preamble = [briefBlock(context.brief), '', ...(context.mood ? [moodBlock(context.mood), ''] : [])];
  return { system: ROLE, user: [...preamble, ...ask].join('\n') };
}

export function moodsPrompt(brief: CreativeBrief): ChatPrompt {
  return chatPrompt({ brief }, [
    `Propose exactly ${LIMITS.MOODS_PER_PROJECT} distinct moods (visual directions) for this ad.`,
    'For each mood give:',
    '- name: two to four evocative words;',
    '- description: two sentences on the feeling and why it suits the audience;',
    '- visual_style: lighting, camera, texture and setting in one or two sentences;',
    `- color_palette: ${LIMITS.PALETTE_MIN} to ${LIMITS.PALETTE_MAX} colours as hex codes like #1a2b3c;`,
    `- mood_keywords: ${LIMITS.KEYWORDS_MIN} to ${LIMITS.KEYWORDS_MAX} single words or short phrases.`,
    'Make the three moods clearly different from each other.',
  ]);
}

export interface StoryboardPromptInput {
  brief: CreativeBrief;
  mood: MoodForPrompt;
  sceneCount: number;
  targetDurationSeconds: number;
  aspectRatio: AspectRatio;
}

export function storyboardPrompt(input: StoryboardPromptInput): ChatPrompt {
  const { sceneCount, targetDurationSeconds } = input;
  return chatPrompt(input, [
    `Format: ${formatLabel(input.aspectRatio)}.`,
    `Write a storyboard of exactly ${sceneCount} scenes, about ${seconds(targetDurationSeconds)} seconds in total.`,
    `Each scene lasts between ${LIMITS.SCENE_DURATION_MIN} and ${LIMITS.SCENE_DURATION_MAX} seconds (duration_seconds).`,
    'Give the storyboard a short title. For each scene give a title of a few words and a description of ' +
      'two or three sentences saying what is on screen and how it moves; the scenes tell one story that ' +
      'ends on the key message and the brand.',
    voiceoverRule(),
    'shows_product: true when the product itself is on screen in the scene (held, used, in close-up), ' +
      'false when it is not.',
  ]);
}

export interface SceneTextPromptInput {
  brief: CreativeBrief;
  mood: MoodForPrompt;
  scenes: readonly SceneForPrompt[];
  sceneIndex: number;
  instructions?: string;
}

export function sceneTextPrompt(input: SceneTextPromptInput): ChatPrompt {
  const target = input.scenes[input.sceneIndex];
  const listing = input.scenes
    .map((scene, index) => {
      const marker = index === input.sceneIndex ? ' <- rewrite this one' : '';
      return `${index + 1}. ${scene.title} (${seconds(scene.duration_seconds)} s): ${scene.description}${marker}`;
    })
    .join('\n');
  const lines = [
    'Current storyboard',
    listing,
    '',
    `Rewrite scene ${input.sceneIndex + 1} so it fits the scenes around it.`,
    `Keep its duration close to ${seconds(target?.duration_seconds ?? LIMITS.SCENE_DURATION_MIN)} seconds ` +
      `(between ${LIMITS.SCENE_DURATION_MIN} and ${LIMITS.SCENE_DURATION_MAX}).`,
    voiceoverRule(),
  ];
  if (input.instructions?.trim()) lines.push(`The user asks: ${input.instructions.trim()}`);
  return chatPrompt(input, lines);
}

export interface CompositionPromptInput {
  brief: CreativeBrief;
  mood: MoodForPrompt;
  scene: SceneForPrompt;
  aspectRatio: AspectRatio;
}

export function compositionPrompt(input: CompositionPromptInput): ChatPrompt {
  return chatPrompt(input, [
    `Format: ${formatLabel(input.aspectRatio)}.`,
    `Scene: ${input.scene.title} (${seconds(input.scene.duration_seconds)} s)`,
    input.scene.description,
    '',
    'Describe how to shoot this scene:',
    '- description: the single keyframe an image model should paint (subject, setting, framing);',
    '- styling: lighting, colour treatment from the palette, textures, typography if any;',
    '- animation: how the keyframe comes alive over the scene (camera move, subject motion, pacing).',
  ]);
}

// Media prompts. Image and video models take no palette parameter, so the palette travels as text; the
// local stand-in reads the hex codes back out of these prompts to tint what it draws.

export function paletteText(palette: readonly string[] | undefined): string {
  return palette && palette.length > 0 ? ` Colour palette: ${palette.join(', ')}.` : '';
}

export function moodImagePrompt(mood: MoodForPrompt, brief: CreativeBrief): string {
  return (
    `Mood board image for a ${brief.brand_name} ad. ${mood.name}: ${mood.description} ` +
    `Visual style: ${mood.visual_style} Keywords: ${mood.mood_keywords.join(', ')}.` +
    paletteText(mood.color_palette)
  );
}

/**
 * With `withReference` the model is given the product image: the prompt asks it to keep that product as it
 * is and says nothing of what the image shows (only the brief, through the scene, describes the product).
 */
export function sceneImagePrompt(input: {
  scene: SceneForPrompt;
  mood: MoodForPrompt;
  composition?: { description: string; styling: string };
  withReference?: boolean;
}): string {
  const what = input.composition
    ? `${input.composition.description} Styling: ${input.composition.styling}`
    : `${input.scene.title}. ${input.scene.description}`;
  const opening = input.withReference
    ? 'Keyframe of an ad scene showing the product in the reference image, unchanged in shape, colour and label.'
    : 'Keyframe of an ad scene.';
  return `${opening} ${what} Visual style: ${input.mood.visual_style}${paletteText(input.mood.color_palette)}`;
}

export function sceneVideoPrompt(input: {
  scene: SceneForPrompt;
  composition?: { animation: string };
}): string {
  const motion = input.composition ? input.composition.animation : input.scene.description;
  return `${input.scene.title}. ${motion}`;
}

export function sceneAudioPrompt(input: {
  scene: SceneForPrompt;
  mood: MoodForPrompt;
  brief: CreativeBrief;
}): string {
  return (
    `Instrumental background music for an ad scene, ${input.brief.tone} tone. ` +
    `Mood: ${input.mood.name}, ${input.mood.mood_keywords.join(', ')}. Scene: ${input.scene.title}.`
  );
}

/** A music bed for the whole ad: one continuous instrumental track under the voice. */
export function musicBedPrompt(input: {
  mood: MoodForPrompt;
  brief: CreativeBrief;
  seconds: number;
}): string {
  return (
    `Instrumental background music bed for a ${seconds(input.seconds)} second ad, ${input.brief.tone} tone, ` +
    `steady and unobtrusive under a voiceover, no vocals. Mood: ${input.mood.name}, ` +
    `${input.mood.mood_keywords.join(', ')}. ${input.mood.visual_style}`
  );
}

/** How the narrator should sound, for text-to-speech models that take instructions. */
export function voiceDirection(brief: CreativeBrief): string {
  return `Speak as the narrator of an ad for ${brief.brand_name}. Tone: ${brief.tone}. Clear and warm, unhurried.`;
}

export interface TranslatePromptInput {
  brief: CreativeBrief;
  /** The language's English name and its tag, e.g. `Spanish`, `es-MX`. */
  language: { name: string; tag: string };
  /** The storyboard's language (the lines are written in it). */
  source: { name: string; tag: string };
  lines: readonly { scene_number: number; seconds: number; text: string }[];
  callToAction?: string;
}

/** The whole ad's spoken lines and call to action, translated in one answer. The brand name is never
 * translated, and each line must still fit its scene when spoken. */
export function translatePrompt(input: TranslatePromptInput): ChatPrompt {
  const { language, source } = input;
  const lines = [
    `Translate this ad's spoken lines and its call to action from ${source.name} (${source.tag}) into ` +
      `${language.name} (${language.tag}), as a native copywriter would say them, not word for word.`,
    `Keep the brand name "${input.brief.brand_name}" exactly as written, in its own script.`,
    'Each line is spoken over its scene: keep it no longer to say than the original, which already fills ' +
      `its seconds; at most ${LIMITS.VOICEOVER_TEXT_MAX} characters.`,
    'Answer with one entry in `lines` per line below, with its scene_number, in the same order; ' +
      'call_to_action is the translated call to action, or an empty string when there is none.',
    '',
    `Call to action: ${input.callToAction ?? ''}`,
    ...input.lines.map((l) => `Line ${l.scene_number} (${seconds(l.seconds)} s): ${l.text}`),
  ];
  return chatPrompt({ brief: input.brief }, lines);
}

export interface ShortenPromptInput {
  brief: CreativeBrief;
  language: { name: string; tag: string };
  text: string;
  /** The seconds the line must be said in, and how long it took. */
  roomSeconds: number;
  spokenSeconds: number;
}

/** A translated line that takes too long to say, asked once to be said shorter. */
export function shortenPrompt(input: ShortenPromptInput): ChatPrompt {
  const share = Math.max(0.3, Math.min(0.95, input.roomSeconds / input.spokenSeconds));
  const lines = [
    `This ${input.language.name} (${input.language.tag}) line of the ad takes ` +
      `${seconds(input.spokenSeconds)} s to say, but its scene has room for ${seconds(input.roomSeconds)} s.`,
    `Say the same thing in about ${Math.round(share * 100)}% of its length, in ${input.language.name}; ` +
      `keep the brand name "${input.brief.brand_name}" exactly as written.`,
    '',
    `Line: ${input.text}`,
  ];
  return chatPrompt({ brief: input.brief }, lines);
}

/** Voice direction in another language: the ad's tone, spoken in that language by a native speaker. */
export function localizedVoiceDirection(
  brief: CreativeBrief,
  language: { name: string; tag: string },
): string {
  return `Speak in ${language.name} (${language.tag}), as a native speaker. ${voiceDirection(brief)}`;
}
