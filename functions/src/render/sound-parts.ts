// The parts of the ad's sound (graph.ts): the voice track, one of two beds, and the mix that ducks the bed
// under the voice. Each brings its own inputs and makes one label; mixArgs (ad-graph.ts) joins them.
import type { SpokenWord } from '@reelforge/schema';
import { AUDIO_SAMPLE_RATE } from './frame.js';
import type { GraphPart } from './graph.js';
import { seconds, type Segment } from './timeline.js';

/** A voiceover starts this long after its scene's cut, and must end this long before the next. */
export const VOICE_LEAD_SECONDS = 0.25;
export const VOICE_TAIL_SECONDS = 0.15;
/** The bed sits this far under the voice even before ducking (linear gain, about -8 dB). */
const BED_GAIN = 0.4;
const BED_FADE_IN_SECONDS = 1;
const BED_FADE_OUT_SECONDS = 2;

const AUDIO_FORMAT = `aresample=${AUDIO_SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`;

/** Where a segment has no sound of its own: silence of its length, in the mix's format. */
function silence(length: number, label: string): string {
  return `anullsrc=r=${AUDIO_SAMPLE_RATE}:cl=stereo,${AUDIO_FORMAT},atrim=duration=${seconds(length)}[${label}]`;
}

export interface SoundScene {
  audio?: string;
  voice?: { path: string; words: readonly SpokenWord[] };
}

/** Every scene's line from its lead-in, padded to its segment; silence where a scene (or the card) has none.
 * Makes [voice]; undefined when no scene speaks. */
export function voiceTrack(
  scenes: readonly SoundScene[],
  segments: readonly Segment[],
): GraphPart | undefined {
  if (!scenes.some((s) => s.voice)) return undefined;
  const lead = Math.round(VOICE_LEAD_SECONDS * 1000);
  const voiced = segments.map((_, i) => scenes[i]?.voice);
  return {
    name: 'the voice track',
    inputs: voiced.flatMap((voice) => (voice ? [{ path: voice.path }] : [])),
    filters: (inputs) => {
      let next = 0;
      return [
        ...segments.map((seg, i) => {
          if (!voiced[i]) return silence(seg.durationSeconds, `vo${i}`);
          return (
            `[${inputs[next++]}:a:0]${AUDIO_FORMAT},adelay=${lead}|${lead},apad,` +
            `atrim=duration=${seconds(seg.durationSeconds)},asetpts=PTS-STARTPTS[vo${i}]`
          );
        }),
        `${segments.map((_, i) => `[vo${i}]`).join('')}concat=n=${segments.length}:v=0:a=1[voice]`,
      ];
    },
    output: 'voice',
  };
}

/** The bed fades in at the start, out at the end, and sits under the voice. */
function bedFades(total: number): string {
  const fadeOut = Math.min(BED_FADE_OUT_SECONDS, total / 3);
  return (
    `afade=t=in:st=0:d=${seconds(Math.min(BED_FADE_IN_SECONDS, total / 4))},` +
    `afade=t=out:st=${seconds(total - fadeOut)}:d=${seconds(fadeOut)},volume=${BED_GAIN}`
  );
}

/** One music track under the whole ad, looped if it is shorter. Makes [bed]. */
export function musicBed(path: string, total: number): GraphPart {
  return {
    name: 'the music bed',
    inputs: [{ path, options: ['-stream_loop', '-1'] }],
    filters: ([k]) => [
      `[${k}:a:0]${AUDIO_FORMAT},atrim=duration=${seconds(total)},asetpts=PTS-STARTPTS,${bedFades(total)}[bed]`,
    ],
    output: 'bed',
  };
}

/** Without music: the scenes' own tracks one after another, crossfaded where the picture crossfades so no
 * track stops dead at a cut. Makes [bed]. */
export function sceneAudioBed(
  scenes: readonly SoundScene[],
  segments: readonly Segment[],
  total: number,
): GraphPart {
  const tracks = segments.map((_, i) => scenes[i]?.audio);
  return {
    name: "the scenes' own audio",
    inputs: tracks.flatMap((path) => (path ? [{ path }] : [])),
    filters: (inputs) => {
      let next = 0;
      const filters = segments.map((seg, i) =>
        tracks[i]
          ? `[${inputs[next++]}:a:0]${AUDIO_FORMAT},apad,atrim=duration=${seconds(seg.length)},asetpts=PTS-STARTPTS[sa${i}]`
          : silence(seg.length, `sa${i}`),
      );
      const fades = bedFades(total);
      if (segments.length === 1 || segments.every((s, i) => i === 0 || s.fadeIn === 0)) {
        filters.push(
          `${segments.map((_, i) => `[sa${i}]`).join('')}concat=n=${segments.length}:v=0:a=1,${fades}[bed]`,
        );
        return filters;
      }
      let previous = 'sa0';
      for (let i = 1; i < segments.length; i++) {
        const label = i === segments.length - 1 ? 'beds' : `x${i}`;
        filters.push(
          `[${previous}][sa${i}]acrossfade=d=${seconds(segments[i]!.fadeIn)}:c1=tri:c2=tri[${label}]`,
        );
        previous = label;
      }
      filters.push(`[beds]${fades}[bed]`);
      return filters;
    },
    output: 'bed',
  };
}

/** The label the ducked bed alone goes out on, when a test asks to measure the ducking. */
export const BED_STEM = 'bedstem';

export interface MixOptions {
  /** Also make [bedstem]: the bed as it goes into the mix, to be mapped to its own file. */
  stem?: boolean;
}

/** The bed, tapped for the stem when asked; returns the chains and the label that goes on into the mix. */
function tapped(bed: string, stem: boolean): { filters: string[]; label: string } {
  return stem
    ? { filters: [`[${bed}]asplit=2[bedmix][${BED_STEM}]`], label: 'bedmix' }
    : { filters: [], label: bed };
}

/** The voice over the bed, the bed ducked under it: a sidechain compressor keyed by the voice pulls the bed
 * down ~15 dB while a word sounds and lets it back up over a third of a second. Cut to the ad's length.
 * Makes [mix]. */
export function voiceOverBed(voice: string, bed: string, total: number, opts: MixOptions = {}): GraphPart {
  const stem = tapped('ducked', opts.stem ?? false);
  return {
    name: 'the voice over the ducked bed',
    inputs: [],
    filters: () => [
      `[${voice}]asplit=2[vmix][vkey]`,
      `[${bed}][vkey]sidechaincompress=threshold=0.01:ratio=12:attack=10:release=350:knee=2[ducked]`,
      ...stem.filters,
      // amix halves each of its two inputs; volume=2 gives them back their level (loudnorm follows anyway).
      `[vmix][${stem.label}]amix=inputs=2:duration=first:dropout_transition=0,volume=2,atrim=duration=${seconds(total)}[mix]`,
    ],
    output: 'mix',
  };
}

/** An ad nobody speaks in: the bed alone, cut to the ad's length. Makes [mix]. */
export function bedAlone(bed: string, total: number, opts: MixOptions = {}): GraphPart {
  const stem = tapped(bed, opts.stem ?? false);
  return {
    name: 'the bed alone',
    inputs: [],
    filters: () => [...stem.filters, `[${stem.label}]atrim=duration=${seconds(total)}[mix]`],
    output: 'mix',
  };
}
