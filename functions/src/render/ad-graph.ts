// The ffmpeg commands of the finished ad, as pure functions of the local inputs, so every graph can be
// tested without running ffmpeg. The ad is made in three steps:
//   1. mixArgs: the sound, once for every format: the scenes' voiceover lines on a voice track, one bed under
//      the whole ad (the music bed, or else the scenes' own tracks crossfaded at the cuts) ducked under the
//      voice by a sidechain compressor, mixed to a WAV.
//   2. loudnessArgs (loudness.ts): two-pass loudnorm of that WAV to -14 LUFS / -1 dBTP.
//   3. videoArgs: per format, the clips reframed for it, crossfaded, the end card, the captions burned in,
//      with the mastered sound.
import type { AspectRatio, SpokenWord } from '@reelforge/schema';
import { ffColor, mostContrasting } from './colors.js';
import { endCardLayout, phrases, subtitleDocument, type TimedWord } from './captions.js';
import { AUDIO_SAMPLE_RATE, FPS, FRAME_SIZE, SAFE_ZONE, mp4OutputArgs, ratioOf } from './frame.js';
import { demuxerFor, fileInput } from './ffmpeg-input.js';
import { seconds, timeline, totalOf, type Segment } from './timeline.js';

/** A voiceover starts this long after its scene's cut, and must end this long before the next. */
export const VOICE_LEAD_SECONDS = 0.25;
export const VOICE_TAIL_SECONDS = 0.15;
/** The bed sits this far under the voice even before ducking (linear gain, about -8 dB). */
const BED_GAIN = 0.4;
const BED_FADE_IN_SECONDS = 1;
const BED_FADE_OUT_SECONDS = 2;
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

/** The captions-and-card subtitle document for one format, or undefined when it would be empty. */
export function adSubtitles(spec: AdSpec, format: AspectRatio): string | undefined {
  const segments = adTimeline(spec);
  const captions = spec.captions ? phrases(adWords(spec)) : [];
  const card = spec.endCard;
  const cardSegment = card ? segments.at(-1)! : undefined;
  if (captions.length === 0 && !card) return undefined;
  return subtitleDocument({
    format,
    captions,
    accent: spec.accent,
    ...(card && cardSegment
      ? {
          endCard: {
            brand: card.brand,
            ...(card.callToAction ? { callToAction: card.callToAction } : {}),
            start: cardSegment.enter,
            end: cardSegment.start + cardSegment.durationSeconds,
            background: card.palette[0] ?? '#111111',
            withLogo: Boolean(card.logo),
          },
        }
      : {}),
  });
}

const COMMON = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y'];
const AUDIO_FORMAT = `aresample=${AUDIO_SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`;

function silence(length: number, label: string): string {
  return `anullsrc=r=${AUDIO_SAMPLE_RATE}:cl=stereo,${AUDIO_FORMAT},atrim=duration=${seconds(length)}[${label}]`;
}

/** Numbered inputs, each read as a local file of the format its extension names (ffmpeg-input.ts). */
class Inputs {
  readonly args: string[] = [];
  private next = 0;
  add(path: string, before: string[] = []): number {
    this.args.push(...fileInput(path, demuxerFor(path), before));
    return this.next++;
  }
}

export interface MixOutputs {
  /** The mixed sound (WAV). */
  mix: string;
  /** Optional: the ducked bed alone, to measure the ducking. */
  bedStem?: string;
}

/** Step 1: the ad's sound as a WAV of exactly the ad's length. */
export function mixArgs(spec: AdSpec, out: MixOutputs): string[] {
  const segments = adTimeline(spec);
  const total = totalOf(segments);
  const inputs = new Inputs();
  const filters: string[] = [];
  const lead = Math.round(VOICE_LEAD_SECONDS * 1000);

  // The voice track: every scene's line from its lead-in, padded to the scene; silence under the card.
  const voiced = spec.scenes.some((s) => s.voice);
  if (voiced) {
    const parts = segments.map((seg, i) => {
      const voice = spec.scenes[i]?.voice;
      if (!voice) return silence(seg.durationSeconds, `vo${i}`);
      const k = inputs.add(voice.path);
      return (
        `[${k}:a:0]${AUDIO_FORMAT},adelay=${lead}|${lead},apad,` +
        `atrim=duration=${seconds(seg.durationSeconds)},asetpts=PTS-STARTPTS[vo${i}]`
      );
    });
    filters.push(...parts);
    filters.push(`${segments.map((_, i) => `[vo${i}]`).join('')}concat=n=${segments.length}:v=0:a=1[voice]`);
  }

  // The bed: one music track for the whole ad (looped if short), or the scenes' own audio crossfaded.
  const fadeOut = Math.min(BED_FADE_OUT_SECONDS, total / 3);
  const fades =
    `afade=t=in:st=0:d=${seconds(Math.min(BED_FADE_IN_SECONDS, total / 4))},` +
    `afade=t=out:st=${seconds(total - fadeOut)}:d=${seconds(fadeOut)},volume=${BED_GAIN}`;
  if (spec.music) {
    const k = inputs.add(spec.music, ['-stream_loop', '-1']);
    filters.push(
      `[${k}:a:0]${AUDIO_FORMAT},atrim=duration=${seconds(total)},asetpts=PTS-STARTPTS,${fades}[bed]`,
    );
  } else {
    segments.forEach((seg, i) => {
      const audio = spec.scenes[i]?.audio;
      if (!audio) {
        filters.push(silence(seg.length, `sa${i}`));
        return;
      }
      const k = inputs.add(audio);
      filters.push(
        `[${k}:a:0]${AUDIO_FORMAT},apad,atrim=duration=${seconds(seg.length)},asetpts=PTS-STARTPTS[sa${i}]`,
      );
    });
    if (segments.length === 1 || segments.every((s, i) => i === 0 || s.fadeIn === 0)) {
      filters.push(
        `${segments.map((_, i) => `[sa${i}]`).join('')}concat=n=${segments.length}:v=0:a=1,${fades}[bed]`,
      );
    } else {
      // Each cut becomes a crossfade as long as the picture's, so no track stops dead at a cut.
      let previous = 'sa0';
      for (let i = 1; i < segments.length; i++) {
        const label = i === segments.length - 1 ? 'beds' : `x${i}`;
        filters.push(
          `[${previous}][sa${i}]acrossfade=d=${seconds(segments[i]!.fadeIn)}:c1=tri:c2=tri[${label}]`,
        );
        previous = label;
      }
      filters.push(`[beds]${fades}[bed]`);
    }
  }

  // Duck the bed under the voice: a sidechain compressor keyed by the voice pulls the bed down ~15 dB while
  // a word sounds and lets it back up over a third of a second.
  let bed = 'bed';
  if (voiced) {
    filters.push(
      `[voice]asplit=2[vmix][vkey]`,
      `[bed][vkey]sidechaincompress=threshold=0.01:ratio=12:attack=10:release=350:knee=2[ducked]`,
    );
    bed = 'ducked';
  }
  if (out.bedStem) {
    filters.push(`[${bed}]asplit=2[bedmix][bedstem]`);
    bed = 'bedmix';
  }
  // amix halves each of its two inputs; volume=2 gives them back their level (loudnorm follows anyway).
  filters.push(
    voiced
      ? `[vmix][${bed}]amix=inputs=2:duration=first:dropout_transition=0,volume=2,atrim=duration=${seconds(total)}[mix]`
      : `[${bed}]atrim=duration=${seconds(total)}[mix]`,
  );

  const args = [...COMMON, ...inputs.args, '-filter_complex', filters.join(';')];
  args.push('-map', '[mix]', '-c:a', 'pcm_s16le', '-ar', String(AUDIO_SAMPLE_RATE), out.mix);
  if (out.bedStem) args.push('-map', '[bedstem]', '-c:a', 'pcm_s16le', out.bedStem);
  return args;
}

/** How a clip made in `source` fills a `format` frame: cropped when the ratios are close, else fitted over a
 * blurred, zoomed copy of itself. */
export function reframeMode(source: AspectRatio, format: AspectRatio): 'crop' | 'blur' {
  const a = ratioOf(source);
  const b = ratioOf(format);
  return Math.max(a / b, b / a) <= CROP_MAX_RATIO ? 'crop' : 'blur';
}

/** Filter-graph value quoting: a path or text inside an option value. */
export function filterValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "'\\\\\\''").replace(/:/g, '\\:')}'`;
}

function reframe(input: string, output: string, mode: 'crop' | 'blur', w: number, h: number): string[] {
  if (mode === 'crop') {
    return [`${input}scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h}${output}`];
  }
  // The background is blurred at an eighth of the size: the same look for a sliver of the work.
  const sw = Math.max(2, Math.round(w / 8 / 2) * 2);
  const sh = Math.max(2, Math.round(h / 8 / 2) * 2);
  const id = output.slice(1, -1);
  return [
    `${input}split=2[${id}a][${id}b]`,
    `[${id}a]scale=${sw}:${sh}:force_original_aspect_ratio=increase,crop=${sw}:${sh},boxblur=3:2,` +
      `scale=${w}:${h},eq=brightness=-0.08[${id}bg]`,
    `[${id}b]scale=${w}:${h}:force_original_aspect_ratio=decrease,setsar=1[${id}fg]`,
    `[${id}bg][${id}fg]overlay=(W-w)/2:(H-h)/2${output}`,
  ];
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

/** Step 3: one format of the ad. */
export function videoArgs(spec: AdSpec, format: AspectRatio, files: VideoFiles): string[] {
  const { width: w, height: h } = FRAME_SIZE[format];
  const segments = adTimeline(spec);
  const total = totalOf(segments);
  const inputs = new Inputs();
  const filters: string[] = [`color=c=black:s=${w}x${h}:r=${FPS}:d=${seconds(total)}[base]`];
  const mode = reframeMode(spec.sourceFormat, format);

  /** Holds the last frame if the clip is short, cuts it to its length, fades it in, moves it into place. */
  const place = (seg: Segment) =>
    `format=yuva420p,tpad=stop_mode=clone:stop_duration=${seconds(seg.length)},` +
    `trim=duration=${seconds(seg.length)},setpts=PTS-STARTPTS,` +
    (seg.fadeIn > 0 ? `fade=t=in:st=0:d=${seconds(seg.fadeIn)}:alpha=1,` : '') +
    `setpts=PTS+${seconds(seg.enter)}/TB`;

  spec.scenes.forEach((scene, i) => {
    const k = inputs.add(scene.video);
    filters.push(`[${k}:v:0]setpts=PTS-STARTPTS,fps=${FPS}[c${i}]`);
    filters.push(...reframe(`[c${i}]`, `[r${i}]`, mode, w, h));
    filters.push(`[r${i}]setsar=1,${place(segments[i]!)}[s${i}]`);
  });

  const card = spec.endCard;
  if (card) {
    const seg = segments.at(-1)!;
    const background = card.palette[0] ?? '#111111';
    // The bar in a palette colour that shows on the background (white or black if none does).
    const accent = mostContrasting(background, card.palette.slice(1));
    const zone = SAFE_ZONE[format];
    const layout = endCardLayout(format, Boolean(card.logo));
    const left = Math.round(w * zone.left);
    const usableW = w - left - Math.round(w * zone.right);
    // An accent bar between the brand and the call to action.
    const barW = Math.round(usableW * 0.4);
    const barY = Math.round(h * layout.bar);
    const bar = `drawbox=x=${left + Math.round((usableW - barW) / 2)}:y=${barY - 3}:w=${barW}:h=6:color=${ffColor(accent)}:t=fill`;
    filters.push(
      `color=c=${ffColor(background)}:s=${w}x${h}:r=${FPS}:d=${seconds(seg.length)},setsar=1,${bar}[cardbg]`,
    );
    let cardOut = 'cardbg';
    if (card.logo) {
      const k = inputs.add(card.logo);
      const boxW = Math.round(usableW * 0.6);
      const boxH = Math.round(h * layout.logo.height);
      const top = Math.round(h * layout.logo.top);
      filters.push(
        `[${k}:v:0]scale=${boxW}:${boxH}:force_original_aspect_ratio=decrease,format=rgba[logo]`,
        `[cardbg][logo]overlay=x=${left}+(${usableW}-w)/2:y=${top}+(${boxH}-h)/2:eof_action=repeat[cardlogo]`,
      );
      cardOut = 'cardlogo';
    }
    filters.push(`[${cardOut}]${place(seg)}[s${segments.length - 1}]`);
  }

  let current = 'base';
  segments.forEach((_, i) => {
    filters.push(`[${current}][s${i}]overlay=eof_action=pass[o${i}]`);
    current = `o${i}`;
  });
  const subtitles = files.subtitles
    ? `subtitles=${filterValue(files.subtitles)}:fontsdir=${filterValue(files.fontsDir)},`
    : '';
  filters.push(`[${current}]${subtitles}format=yuv420p[v]`);

  const a = inputs.add(files.audio);
  return [
    ...COMMON,
    ...inputs.args,
    '-filter_complex',
    filters.join(';'),
    '-map',
    '[v]',
    '-map',
    `${a}:a:0`,
    ...mp4OutputArgs('160k'),
    ...['-t', seconds(total)],
    '-progress',
    'pipe:1',
    files.output,
  ];
}
