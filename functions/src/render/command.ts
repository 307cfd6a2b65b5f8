// The ffmpeg command of the final render, as a pure function of the local inputs: one filter graph that
// brings every clip to the same size, frame rate and exact duration, gives each its audio (or silence), and
// concatenates them in order. Pure, so the graph can be tested without running ffmpeg.
import type { AspectRatio } from '@reelforge/schema';
import { AUDIO_SAMPLE_RATE, FPS, FRAME_SIZE, mp4OutputArgs } from './frame.js';

export interface LocalClip {
  /** Local path of the scene's video clip. */
  video: string;
  /** Local path of the scene's audio; silence of the scene's duration when absent. */
  audio?: string;
  durationSeconds: number;
}

export interface RenderCommand {
  clips: readonly LocalClip[];
  aspectRatio: AspectRatio;
  output: string;
}

/** Seconds as ffmpeg reads them, without float noise (2.1 + 0.2 must not become 2.3000000000000003). */
function seconds(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

const AUDIO_FORMAT = `aresample=${AUDIO_SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`;

/** The filter chains of one scene: its video input index and audio input index (if any). */
function sceneFilters(
  i: number,
  clip: LocalClip,
  videoInput: number,
  audioInput: number | undefined,
  aspect: AspectRatio,
) {
  const { width, height } = FRAME_SIZE[aspect];
  const d = seconds(clip.durationSeconds);
  // Pad a short clip by holding its last frame (tpad clone) and cut a long one (trim): the scene's
  // duration is what the storyboard says, whatever the video model delivered. Timestamps restart at zero
  // before and after, so clips that do not start at 0 or were cut line up in the concat.
  const video =
    `[${videoInput}:v:0]setpts=PTS-STARTPTS,fps=${FPS},` +
    `scale=${width}:${height}:force_original_aspect_ratio=decrease,` +
    `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=yuv420p,` +
    `tpad=stop_mode=clone:stop_duration=${d},trim=duration=${d},setpts=PTS-STARTPTS[v${i}]`;
  // Audio: the scene's track padded with silence and cut to the duration, or generated silence.
  const audio =
    audioInput === undefined
      ? `anullsrc=r=${AUDIO_SAMPLE_RATE}:cl=stereo,${AUDIO_FORMAT},atrim=duration=${d},asetpts=PTS-STARTPTS[a${i}]`
      : `[${audioInput}:a:0]${AUDIO_FORMAT},apad,atrim=duration=${d},asetpts=PTS-STARTPTS[a${i}]`;
  return [video, audio];
}

/** Arguments for ffmpeg (no shell involved). Progress goes to stdout as `key=value` lines. */
/** ffmpeg's demuxer for each extension a stored clip or track can have (providers/media-types.ts). */
const DEMUXERS: Readonly<Record<string, string>> = {
  mp4: 'mp4',
  mov: 'mov',
  webm: 'webm',
  mp3: 'mp3',
  wav: 'wav',
  m4a: 'mp4',
  aac: 'aac',
  ogg: 'ogg',
};

/**
 * One input, read as a local file only: ffmpeg may open no other protocol (a playlist or a reference
 * inside a provider's file could otherwise make it fetch URLs or read other local paths), and the
 * demuxer is the one its extension names, never guessed from its content.
 */
function localInput(path: string): string[] {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  const demuxer = DEMUXERS[extension];
  if (!demuxer) throw new Error(`the render cannot read a .${extension || '?'} file`);
  return ['-protocol_whitelist', 'file', '-f', demuxer, '-i', path];
}

export function renderArgs({ clips, aspectRatio, output }: RenderCommand): string[] {
  if (clips.length === 0) throw new Error('a render needs at least one clip');
  const inputs: string[] = [];
  const filters: string[] = [];
  const pairs: string[] = [];
  let next = 0;
  clips.forEach((clip, i) => {
    inputs.push(...localInput(clip.video));
    const videoInput = next++;
    let audioInput: number | undefined;
    if (clip.audio) {
      inputs.push(...localInput(clip.audio));
      audioInput = next++;
    }
    filters.push(...sceneFilters(i, clip, videoInput, audioInput, aspectRatio));
    pairs.push(`[v${i}][a${i}]`);
  });
  filters.push(`${pairs.join('')}concat=n=${clips.length}:v=1:a=1[v][a]`);
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    filters.join(';'),
    '-map',
    '[v]',
    '-map',
    '[a]',
    ...mp4OutputArgs('128k'),
    '-progress',
    'pipe:1',
    output,
  ];
}

export function totalSeconds(clips: readonly LocalClip[]): number {
  return clips.reduce((sum, c) => sum + c.durationSeconds, 0);
}
