// The ffmpeg commands of the finished ad, as pure functions of the local inputs, so every graph can be
// tested without running ffmpeg. Each graph is composed from named parts (graph.ts; the sound's parts in
// sound-parts.ts, the picture's in picture-parts.ts). The ad is made in three steps:
//   1. mixArgs: the sound, once for every format: the scenes' voiceover lines on a voice track, one bed under
//      the whole ad (the music bed, or else the scenes' own tracks crossfaded at the cuts) ducked under the
//      voice by a sidechain compressor, mixed to a WAV.
//   2. loudnessArgs (loudness.ts): two-pass loudnorm of that WAV to -14 LUFS / -1 dBTP.
//   3. videoArgs: per format, the clips reframed for it, crossfaded, the end card, the captions burned in,
//      with the mastered sound.
import type { AspectRatio, Resolution, SpokenWord } from '@reelforge/schema';
import { phrases, subtitleDocument, type Phrase, type TimedWord } from './captions.js';
import { AUDIO_SAMPLE_RATE, frameSize, mp4OutputArgs, ratioOf } from './frame.js';
import { composeGraph, type GraphPart } from './graph.js';
import { burnedText, canvas, endCard, masteredSound, sceneClip, stacked } from './picture-parts.js';
import {
  BED_STEM,
  VOICE_LEAD_SECONDS,
  VOICE_TAIL_SECONDS,
  bedAlone,
  musicBed,
  sceneAudioBed,
  voiceOverBed,
  voiceTrack,
} from './sound-parts.js';
import { seconds, timeline, totalOf, type Segment } from './timeline.js';

export { VOICE_LEAD_SECONDS, VOICE_TAIL_SECONDS } from './sound-parts.js';
export { filterValue } from './picture-parts.js';

/** Above this ratio between the clip's and the format's aspect the picture is fitted over a blurred copy of
 * itself instead of cropped: cropping 9:16 to 4:5 keeps 70% of the picture, 9:16 to 1:1 only 56%. */
const CROP_MAX_RATIO = 1.5;

export interface Voice {
  path: string;
  words: readonly SpokenWord[];
  durationSeconds: number;
}

export interface AdScene {
  video: string;
  /** The scene's own audio; used as the bed when the ad has no music. */
  audio?: string;
  voice?: Voice;
  durationSeconds: number;
}

export interface EndCardSpec {
  seconds: number;
  brand: string;
  callToAction?: string;
  /** The mood's palette: background, accent bar. */
  palette: readonly string[];
  /** Local path of the logo image (PNG or JPEG). */
  logo?: string;
  /** Local path of the product image (PNG): composited on the card as it is, never generated. */
  packshot?: string;
  /** Fine print drawn exactly as written on the card's bottom edge (never part of any prompt). */
  disclaimer?: string;
}

export interface AdSpec {
  scenes: readonly AdScene[];
  /** Local path of the music bed. */
  music?: string;
  transition: 'cut' | 'crossfade';
  transitionSeconds: number;
  captions: boolean;
  /** The mood colour captions light up in. */
  accent: string;
  endCard?: EndCardSpec;
  /** The ratio the clips were made in (the project's). */
  sourceFormat: AspectRatio;
  /** The short side of every format (frame.ts frameSize). */
  resolution: Resolution;
  /** The language of the voiceover, captions and call to action (absent: the storyboard's own). */
  language?: string;
}

/** The ad's segments: every scene, then the end card. */
export function adTimeline(spec: AdSpec): Segment[] {
  const durations = spec.scenes.map((s) => s.durationSeconds);
  if (spec.endCard) durations.push(spec.endCard.seconds);
  return timeline(durations, spec.transition === 'crossfade' ? spec.transitionSeconds : 0);
}

export function adLength(spec: AdSpec): number {
  return totalOf(adTimeline(spec));
}

/** The longest voiceover a scene of this length holds without cutting a word. */
export function voiceRoom(sceneSeconds: number): number {
  return sceneSeconds - VOICE_LEAD_SECONDS - VOICE_TAIL_SECONDS;
}

/** Every spoken word on the ad's timeline. */
export function adWords(spec: AdSpec): TimedWord[] {
  const segments = adTimeline(spec);
  return spec.scenes.flatMap((scene, i) =>
    (scene.voice?.words ?? []).map((w) => ({
      word: w.word,
      start: segments[i]!.start + VOICE_LEAD_SECONDS + w.start,
      end: segments[i]!.start + VOICE_LEAD_SECONDS + w.end,
    })),
  );
}

/** The captions of the ad (none when they are off): what is burned in and what the SRT and VTT hold. */
export function adCaptions(spec: AdSpec): Phrase[] {
  return spec.captions ? phrases(adWords(spec), spec.language) : [];
}

/** The captions-and-card subtitle document for one format, or undefined when it would be empty. */
export function adSubtitles(spec: AdSpec, format: AspectRatio): string | undefined {
  const segments = adTimeline(spec);
  const captions = adCaptions(spec);
  const card = spec.endCard;
  const cardSegment = card ? segments.at(-1)! : undefined;
  if (captions.length === 0 && !card) return undefined;
  return subtitleDocument({
    format,
    resolution: spec.resolution,
    captions,
    accent: spec.accent,
    ...(spec.language ? { language: spec.language } : {}),
    ...(card && cardSegment
      ? {
          endCard: {
            brand: card.brand,
            ...(card.callToAction ? { callToAction: card.callToAction } : {}),
            start: cardSegment.enter,
            end: cardSegment.start + cardSegment.durationSeconds,
            background: card.palette[0] ?? '#111111',
            withLogo: Boolean(card.logo),
            withPackshot: Boolean(card.packshot),
            ...(card.disclaimer ? { disclaimer: card.disclaimer } : {}),
          },
        }
      : {}),
  });
}

const COMMON = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y'];

export interface MixOutputs {
  /** The mixed sound (WAV). */
  mix: string;
  /** Optional: the ducked bed alone, to measure the ducking. */
  bedStem?: string;
}

/** Step 1: the ad's sound as a WAV of exactly the ad's length: the voice track, one bed (the music, or else
 * the scenes' own tracks), and the mix of the two with the bed ducked under the voice. */
export function mixArgs(spec: AdSpec, out: MixOutputs): string[] {
  const segments = adTimeline(spec);
  const total = totalOf(segments);
  const stem = { stem: Boolean(out.bedStem) };
  const voice = voiceTrack(spec.scenes, segments);
  const bed = spec.music ? musicBed(spec.music, total) : sceneAudioBed(spec.scenes, segments, total);
  const mix = voice
    ? voiceOverBed(voice.output!, bed.output!, total, stem)
    : bedAlone(bed.output!, total, stem);
  const mapped = out.bedStem ? [mix.output!, BED_STEM] : [mix.output!];
  const graph = composeGraph([...(voice ? [voice] : []), bed, mix], mapped);

  const args = [...COMMON, ...graph.inputArgs, '-filter_complex', graph.filterComplex];
  args.push('-map', `[${mix.output!}]`, '-c:a', 'pcm_s16le', '-ar', String(AUDIO_SAMPLE_RATE), out.mix);
  if (out.bedStem) args.push('-map', `[${BED_STEM}]`, '-c:a', 'pcm_s16le', out.bedStem);
  return args;
}

/** How a clip made in `source` fills a `format` frame: cropped when the ratios are close, else fitted over a
 * blurred, zoomed copy of itself. */
export function reframeMode(source: AspectRatio, format: AspectRatio): 'crop' | 'blur' {
  const a = ratioOf(source);
  const b = ratioOf(format);
  return Math.max(a / b, b / a) <= CROP_MAX_RATIO ? 'crop' : 'blur';
}

export interface VideoFiles {
  /** The mastered sound from step 2. */
  audio: string;
  /** The subtitle document for this format (adSubtitles), written to a file. */
  subtitles?: string;
  /** Folder of the caption font (fonts.ts). */
  fontsDir: string;
  output: string;
}

/** Step 3: one format of the ad: the canvas, every scene's clip and the end card stacked on it, the text
 * burned in, with the mastered sound. */
export function videoArgs(spec: AdSpec, format: AspectRatio, files: VideoFiles): string[] {
  const frame = { format, ...frameSize(format, spec.resolution) };
  const segments = adTimeline(spec);
  const total = totalOf(segments);
  const mode = reframeMode(spec.sourceFormat, format);

  const base = canvas(frame, total);
  const layers: GraphPart[] = spec.scenes.map((scene, i) =>
    sceneClip(scene.video, i, segments[i]!, mode, frame),
  );
  if (spec.endCard) layers.push(endCard(spec.endCard, layers.length, segments.at(-1)!, frame));
  const picture = stacked(
    base.output!,
    layers.map((l) => l.output!),
  );
  const text = burnedText(picture.output!, files.subtitles, files.fontsDir);
  const sound = masteredSound(files.audio);
  const graph = composeGraph([base, ...layers, picture, text, sound], [text.output!]);
  const [a] = graph.inputsOf(sound);
  return [
    ...COMMON,
    ...graph.inputArgs,
    // The graph (scaling, the fill, overlays, subtitles) on both of the function's vCPUs: one format per
    // task now, so no second encode fills the other (bench/README.md "render": 16:9 25.3 s to 22.6 s).
    '-filter_complex_threads',
    '2',
    '-filter_complex',
    graph.filterComplex,
    '-map',
    `[${text.output!}]`,
    '-map',
    `${a}:a:0`,
    ...mp4OutputArgs(spec.resolution),
    ...['-t', seconds(total)],
    '-progress',
    'pipe:1',
    files.output,
  ];
}
