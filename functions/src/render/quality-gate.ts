// The quality gate on a rendered file: measured on the file (ffprobe for its streams; one ffmpeg pass with
// the EBU R128 meter, blackdetect and freezedetect; libass drawing the caption document alone, to see where
// its text lands), never assumed from the settings. Each check is {name, measured, limit, unit, pass}; a
// failing one says in `problem` which scene and which rule. The file is delivered either way, marked.
//
// The checks split in two: `measureFile`/`measureText` run the tools and return plain numbers, and
// `qualityChecks` is a pure function of those numbers and the plan, so the rules are tested without ffmpeg.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AspectRatio, RenderCheck, Resolution } from '@reelforge/schema';
import type { Phrase } from './captions.js';
import { fileInput } from './ffmpeg-input.js';
import { AUDIO_SAMPLE_RATE, FPS, SAFE_ZONE, frameSize } from './frame.js';
import { MAX_TRUE_PEAK_DBTP, TARGET_LUFS, parseMeasure, type Loudness } from './loudness.js';
import { filterValue } from './picture-parts.js';
import { runFfmpeg } from './run.js';
import { seconds as ffSeconds, type Segment } from './timeline.js';

/** Integrated loudness may be this far from the target (LU): the platforms' own normalisation tolerance. */
export const LOUDNESS_GATE_LU = 1;
/** How far the file's length may be from the plan. */
export const DURATION_TOLERANCE_SECONDS = 0.1;
/** The longest black or frozen stretch a scene may hold (ffmpeg's blackdetect / freezedetect `d`). */
export const STILL_LIMIT_SECONDS = 0.5;
/**
 * Reading speed: Netflix's Timed Text Style Guide for English subtitles ("Reading speed limits: Adult
 * programs: up to 17 characters per second", partnerhelp.netflixstudios.com, English (USA) Timed Text Style
 * Guide), characters counted with their spaces. BBC's Subtitle Guidelines ask 160-180 words a minute, about
 * the same for English words of five letters and a space.
 */
export const READING_SPEED = {
  cps: 17,
  source: "Netflix's English Timed Text Style Guide (adults)",
} as const;

/** Where the safe zones come from (frame.ts SAFE_ZONE holds the fractions). */
export const SAFE_ZONE_SOURCE: Record<AspectRatio, string> = {
  '9:16':
    "TikTok's ads safe zone (ads.tiktok.com, Creative best practices: keep text out of the caption and " +
    'account area at the bottom, the action column on the right and the top bar), which Instagram Reels and ' +
    'YouTube Shorts cover alike',
  '16:9': 'the title-safe area of EBU R 95 (a 5% margin each side; kept wider here)',
  '1:1': "Meta's feed ad guidance: a margin clear of the edge for text, as title-safe",
  '4:5': "Meta's feed ad guidance: a margin clear of the edge for text, as title-safe",
};

/** Seconds [start, end) on the ad's timeline. */
export interface Interval {
  start: number;
  end: number;
}

/** What ffprobe and one ffmpeg pass measured on the file. */
export interface FileMeasurements {
  durationSeconds: number;
  video?: {
    codec: string;
    profile: string;
    pixFmt: string;
    width: number;
    height: number;
    rFrameRate: string;
    avgFrameRate: string;
  };
  audio?: { codec: string; profile: string; sampleRate: number; channels: number };
  loudness: Loudness | null;
  black: Interval[];
  frozen: Interval[];
}

/** Where libass drew one piece of text: its box in pixels, or null when nothing was drawn. */
export interface DrawnText {
  kind: 'caption' | 'card';
  text: string;
  start: number;
  end: number;
  box: { left: number; top: number; right: number; bottom: number } | null;
}

/** What the gate holds the file to: the plan the render made it from. */
export interface GatePlan {
  format: AspectRatio;
  resolution: Resolution;
  /** The ad's segments (the scenes, then the end card if any) and the names of the scenes, in order. */
  segments: readonly Segment[];
  sceneNames: readonly string[];
  endCard?: { seconds: number };
  captions: readonly Phrase[];
}

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

/** The scenes (by name) a stretch of the ad overlaps; the end card is named as such. */
function scenesIn(plan: GatePlan, at: Interval): string[] {
  return plan.segments
    .map((seg, i) => ({ seg, name: plan.sceneNames[i] ?? 'the end card' }))
    .filter(({ seg }) => seg.start < at.end && seg.start + seg.durationSeconds > at.start)
    .map(({ name }) => name);
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The end card's segment, when the ad has one. */
function cardSegment(plan: GatePlan): Segment | undefined {
  return plan.endCard ? plan.segments.at(-1) : undefined;
}

/** Centisecond-rounded seconds of a caption on screen, as the burned-in document and the sidecars time it. */
function onScreen(p: Phrase): number {
  return (Math.round(p.end * 100) - Math.round(p.start * 100)) / 100;
}

/** Characters per second of a phrase (spaces counted, as the guidelines count them). */
export function readingSpeed(p: Phrase): number {
  const shown = onScreen(p);
  return shown > 0 ? p.text.length / shown : Infinity;
}

/** Every check of the gate, from the measurements and the plan. Pure. */
export function qualityChecks(
  plan: GatePlan,
  file: FileMeasurements,
  drawn: readonly DrawnText[],
): RenderCheck[] {
  const checks: RenderCheck[] = [];
  const frame = frameSize(plan.format, plan.resolution);
  const last = plan.segments.at(-1)!;
  const planned = last.start + last.durationSeconds;
  const add = (check: RenderCheck) => checks.push(check);
  /** A check that lists one problem per offender (a caption, a stretch): it passes when there is none. */
  const addListed = (check: Omit<RenderCheck, 'pass' | 'problem'>, problems: string[]) =>
    add({
      ...check,
      pass: problems.length === 0,
      ...(problems.length ? { problem: problems.join('; ') } : {}),
    });

  // Loudness and true peak (EBU R128, ITU-R BS.1770 true peak), on the file's own audio.
  const integrated = file.loudness?.integrated;
  add({
    name: 'integrated loudness',
    measured: integrated === undefined ? 'silent' : round(integrated, 1),
    limit: `${TARGET_LUFS} ± ${LOUDNESS_GATE_LU}`,
    unit: 'LUFS',
    pass: integrated !== undefined && Math.abs(integrated - TARGET_LUFS) <= LOUDNESS_GATE_LU,
    ...(integrated !== undefined && Math.abs(integrated - TARGET_LUFS) <= LOUDNESS_GATE_LU
      ? {}
      : {
          problem:
            integrated === undefined
              ? 'the ad is silent: the platforms play it at -14 LUFS, it has no sound to play'
              : `the whole ad plays at ${round(integrated, 1)} LUFS, outside ${TARGET_LUFS} ± ${LOUDNESS_GATE_LU} LUFS (the level TikTok, YouTube and Instagram normalise to)`,
        }),
  });
  const peak = file.loudness?.truePeak;
  const peakOk = peak === undefined || peak <= MAX_TRUE_PEAK_DBTP;
  add({
    name: 'true peak',
    measured: peak === undefined || !Number.isFinite(peak) ? 'silent' : round(peak, 1),
    limit: MAX_TRUE_PEAK_DBTP,
    unit: 'dBTP',
    pass: peakOk,
    ...(peakOk
      ? {}
      : {
          problem: `the sound peaks at ${round(peak, 1)} dBTP, over the ${MAX_TRUE_PEAK_DBTP} dBTP ceiling (a platform's encoder would clip it)`,
        }),
  });

  const off = Math.abs(file.durationSeconds - planned);
  add({
    name: 'duration',
    measured: round(file.durationSeconds, 3),
    limit: `${round(planned, 3)} ± ${DURATION_TOLERANCE_SECONDS}`,
    unit: 's',
    pass: off <= DURATION_TOLERANCE_SECONDS,
    ...(off <= DURATION_TOLERANCE_SECONDS
      ? {}
      : {
          problem: `the file is ${round(file.durationSeconds, 2)} s long, the plan ${round(planned, 2)} s (the scenes and the end card)`,
        }),
  });

  // What the file is made of, against the delivery preset: each a value that must be exactly the wanted one.
  const exactly = (name: string, measured: string, wanted: string, problem: string) =>
    add({
      name,
      measured,
      limit: wanted,
      pass: measured === wanted,
      ...(measured === wanted ? {} : { problem }),
    });
  const v = file.video;
  const size = v ? `${v.width}x${v.height}` : 'no video';
  const wanted = `${frame.width}x${frame.height}`;
  exactly(
    'resolution',
    size,
    wanted,
    `the picture is ${size}, ${plan.resolution} ${plan.format} is ${wanted}`,
  );
  const codec = v ? `${v.codec} ${v.profile} ${v.pixFmt}` : 'no video';
  exactly(
    'video codec',
    codec,
    'h264 High yuv420p',
    `the video is ${codec}, the delivery preset h264 High yuv420p`,
  );
  const rate = v
    ? v.rFrameRate === v.avgFrameRate
      ? v.rFrameRate
      : `${v.rFrameRate} (average ${v.avgFrameRate})`
    : 'none';
  exactly('frame rate', rate, `${FPS}/1`, `the frame rate is ${rate}, not a constant ${FPS} fps`);
  const a = file.audio;
  const sound = a ? `${a.codec} ${a.profile} ${a.sampleRate} Hz ${a.channels} ch` : 'no audio';
  const wantedSound = `aac LC ${AUDIO_SAMPLE_RATE} Hz 2 ch`;
  exactly('audio codec', sound, wantedSound, `the audio is ${sound}, the delivery preset ${wantedSound}`);

  // Text inside the safe zone: the boxes libass drew, against the zone's edges in pixels.
  const zone = SAFE_ZONE[plan.format];
  const edges = {
    left: Math.round(frame.width * zone.left),
    right: frame.width - Math.round(frame.width * zone.right),
    top: Math.round(frame.height * zone.top),
    bottom: frame.height - Math.round(frame.height * zone.bottom),
  };
  const outside = drawn.map((t) => {
    if (!t.box) return 0;
    return Math.max(
      0,
      edges.left - t.box.left,
      t.box.right - edges.right,
      edges.top - t.box.top,
      t.box.bottom - edges.bottom,
    );
  });
  const worst = Math.max(0, ...outside);
  const strays = drawn.map((t, i) => ({ ...t, by: outside[i]! })).filter((t) => t.by > 0);
  addListed(
    { name: 'text in the safe zone', measured: worst, limit: 0, unit: 'px' },
    strays.map(
      (t) =>
        `${list(scenesIn(plan, t))}: the ${t.kind === 'card' ? 'end card text' : 'caption'} "${t.text}" reaches ${t.by} px outside the ${plan.format} safe zone (${SAFE_ZONE_SOURCE[plan.format]})`,
    ),
  );

  // Reading speed of every caption.
  const speeds = plan.captions.map(readingSpeed);
  const fastest = Math.max(0, ...speeds);
  const fast = plan.captions.filter((_, i) => speeds[i]! > READING_SPEED.cps);
  addListed(
    { name: 'caption reading speed', measured: round(fastest, 1), limit: READING_SPEED.cps, unit: 'cps' },
    fast.map(
      (p) =>
        `${list(scenesIn(plan, p))}: "${p.text}" is ${p.text.length} characters in ${onScreen(p)} s, ${round(readingSpeed(p), 1)} characters per second, over the ${READING_SPEED.cps} of ${READING_SPEED.source}`,
    ),
  );

  // Black and frozen stretches in the scenes (the end card is still on purpose).
  const card = cardSegment(plan);
  const scenesEnd = card ? card.enter : planned;
  const stretches = (intervals: readonly Interval[], what: string, name: string) => {
    const inScenes = intervals
      .map((i) => ({ start: i.start, end: Math.min(i.end, scenesEnd) }))
      .filter((i) => i.end - i.start > 0);
    const longest = Math.max(0, ...inScenes.map((i) => i.end - i.start));
    const bad = inScenes.filter((i) => i.end - i.start > STILL_LIMIT_SECONDS);
    addListed(
      { name, measured: round(longest, 2), limit: STILL_LIMIT_SECONDS, unit: 's' },
      bad.map(
        (i) =>
          `${list(scenesIn(plan, i))}: ${round(i.end - i.start, 2)} s ${what} from ${round(i.start, 2)} s, longer than ${STILL_LIMIT_SECONDS} s`,
      ),
    );
  };
  stretches(file.black, 'of black', 'black stretches');
  stretches(file.frozen, 'of frozen picture', 'frozen stretches');

  // The end card: the still picture that runs to the end of the file, from the moment it stopped changing.
  if (card && plan.endCard) {
    const end = file.durationSeconds;
    const still = file.frozen.find((i) => i.end >= end - 1 / FPS && i.start >= card.enter - 1 / FPS);
    // Fully on screen from the end of its fade-in (the crossfade is centred on the cut), to the end.
    const wantedSeconds = round(plan.endCard.seconds - card.fadeIn / 2 - 0.1, 2);
    const measured = still ? round(end - still.start, 2) : 0;
    add({
      name: 'end card on screen',
      measured,
      limit: wantedSeconds,
      unit: 's',
      pass: measured >= wantedSeconds,
      ...(measured >= wantedSeconds
        ? {}
        : {
            problem: `the end card is on screen ${measured} s, its ${plan.endCard.seconds} s (less the half of its fade-in) ask at least ${wantedSeconds} s`,
          }),
    });
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------------------
// Measuring.

interface ProbeJson {
  format?: { duration?: string };
  streams?: {
    codec_type?: string;
    codec_name?: string;
    profile?: string;
    pix_fmt?: string;
    width?: number;
    height?: number;
    r_frame_rate?: string;
    avg_frame_rate?: string;
    sample_rate?: string;
    channels?: number;
  }[];
}

/** Parses blackdetect's and freezedetect's log lines into stretches; a freeze still open at the end runs to
 * `total`. */
export function parseDetections(stderr: string, total: number): { black: Interval[]; frozen: Interval[] } {
  const black = [...stderr.matchAll(/black_start:\s*([\d.]+)\s+black_end:\s*([\d.]+)/g)].map((m) => ({
    start: Number(m[1]),
    end: Number(m[2]),
  }));
  const frozen: Interval[] = [];
  let open: number | undefined;
  for (const m of stderr.matchAll(/lavfi\.freezedetect\.freeze_(start|end):\s*([\d.]+)/g)) {
    if (m[1] === 'start') open = Number(m[2]);
    else if (open !== undefined) {
      frozen.push({ start: open, end: Number(m[2]) });
      open = undefined;
    }
  }
  if (open !== undefined) frozen.push({ start: open, end: total });
  return { black, frozen };
}

/** ffprobe's view of the file's streams, and one ffmpeg pass over it: loudness, black, frozen. */
export async function measureFile(
  ffmpeg: string,
  ffprobe: string,
  path: string,
  plannedSeconds: number,
  signal?: AbortSignal,
): Promise<FileMeasurements> {
  const { stdout } = await promisify(execFile)(
    ffprobe,
    [
      ...['-v', 'error', '-protocol_whitelist', 'file', '-show_entries'],
      'format=duration:stream=codec_type,codec_name,profile,pix_fmt,width,height,r_frame_rate,avg_frame_rate,sample_rate,channels',
      ...['-of', 'json', path],
    ],
    signal ? { signal } : {},
  );
  const probe = JSON.parse(stdout) as ProbeJson;
  const video = probe.streams?.find((s) => s.codec_type === 'video');
  const audio = probe.streams?.find((s) => s.codec_type === 'audio');
  const durationSeconds = Number(probe.format?.duration ?? 0);
  // The detectors on a quarter-size picture (the same stretches, a sixteenth of the pixels to compare). The
  // meter's per-frame lines go to the verbose log: at info they would push the detectors' lines out of the
  // stderr tail runFfmpeg keeps.
  const graph = [
    `[0:v:0]scale=iw/4:ih/4:flags=fast_bilinear,blackdetect=d=${STILL_LIMIT_SECONDS}:pix_th=0.10,` +
      `freezedetect=n=-60dB:d=${STILL_LIMIT_SECONDS}[v]`,
    ...(audio ? ['[0:a:0]ebur128=peak=true:framelog=verbose[a]'] : []),
  ].join(';');
  const stderr = await runFfmpeg(
    ffmpeg,
    [
      ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', ...fileInput(path, 'mp4')],
      ...['-filter_complex', graph, '-map', '[v]', ...(audio ? ['-map', '[a]'] : []), '-f', 'null', '-'],
    ],
    { totalSeconds: plannedSeconds, ...(signal ? { signal } : {}) },
  );
  return {
    durationSeconds,
    ...(video
      ? {
          video: {
            codec: video.codec_name ?? '?',
            profile: video.profile ?? '?',
            pixFmt: video.pix_fmt ?? '?',
            width: video.width ?? 0,
            height: video.height ?? 0,
            rFrameRate: video.r_frame_rate ?? '?',
            avgFrameRate: video.avg_frame_rate ?? '?',
          },
        }
      : {}),
    ...(audio
      ? {
          audio: {
            codec: audio.codec_name ?? '?',
            profile: audio.profile ?? '?',
            sampleRate: Number(audio.sample_rate ?? 0),
            channels: audio.channels ?? 0,
          },
        }
      : {}),
    loudness: audio ? parseMeasure(stderr) : null,
    ...parseDetections(stderr, durationSeconds),
  };
}

/** A piece of text of the subtitle document, with when it is on screen. */
export interface PlacedText {
  kind: 'caption' | 'card';
  text: string;
  start: number;
  end: number;
}

/** Frames of the text layer per second when it is drawn alone (only the chosen frames are drawn). */
const TEXT_RATE = 25;
/** The canvas the text is drawn on, and how far a pixel must differ from it to count as text. */
const CANVAS_GREY = 128;
const TEXT_THRESHOLD = 24;

/** Where libass draws each text of the document: the document drawn alone on a grey canvas of the format's
 * size, one frame in the middle of each text's time, and the box of the pixels that are not the canvas
 * (the letters, their outline and shadow). */
export async function measureText(
  ffmpeg: string,
  subtitles: string,
  fontsDir: string,
  frame: { width: number; height: number },
  total: number,
  texts: readonly PlacedText[],
  signal?: AbortSignal,
): Promise<DrawnText[]> {
  if (texts.length === 0) return [];
  const frames = texts.map((t) =>
    Math.min(Math.floor(total * TEXT_RATE) - 1, Math.round(((t.start + t.end) / 2) * TEXT_RATE)),
  );
  const select = [...new Set(frames)].map((n) => `eq(n\\,${n})`).join('+');
  const grey = CANVAS_GREY.toString(16).padStart(2, '0');
  const args = [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-f', 'lavfi', '-i'],
    `color=c=0x${grey}${grey}${grey}:s=${frame.width}x${frame.height}:r=${TEXT_RATE}:d=${ffSeconds(total)}`,
    '-vf',
    `select='${select}',subtitles=${filterValue(subtitles)}:fontsdir=${filterValue(fontsDir)},format=gray`,
    ...['-vsync', '0', '-f', 'rawvideo', 'pipe:1'],
  ];
  const { stdout } = await promisify(execFile)(ffmpeg, args, {
    encoding: 'buffer',
    maxBuffer: (new Set(frames).size + 1) * frame.width * frame.height,
    ...(signal ? { signal } : {}),
  });
  const size = frame.width * frame.height;
  const order = [...new Set(frames)].sort((x, y) => x - y);
  return texts.map((t, i) => {
    const at = order.indexOf(frames[i]!);
    const pixels = stdout.subarray(at * size, (at + 1) * size);
    let left = Infinity;
    let right = -Infinity;
    let top = Infinity;
    let bottom = -Infinity;
    for (let y = 0; y < frame.height; y++) {
      const row = y * frame.width;
      for (let x = 0; x < frame.width; x++) {
        if (Math.abs(pixels[row + x]! - CANVAS_GREY) <= TEXT_THRESHOLD) continue;
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
    return { ...t, box: right < 0 ? null : { left, top, right: right + 1, bottom: bottom + 1 } };
  });
}
