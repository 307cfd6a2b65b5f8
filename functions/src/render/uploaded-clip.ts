// A clip a user uploaded, judged by its bytes before it may become a scene's footage. The name and the type the
// browser claimed prove nothing: an HLS playlist or an ffconcat script saved as "shot.mp4" makes a guessing
// ffmpeg open URLs or other local files, and a polyglot (a playlist behind a video header) makes it choose
// whichever reading it likes. So the container is told by its first bytes (ISO BMFF `ftyp`, or WebM's EBML
// magic), ffprobe reads the file with that demuxer forced and the file protocol alone (fileInput, the rule every
// render input follows), and the first second is decoded for real; the clip must hold a video stream of a
// known codec, of a bounded size and length.
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { LIMITS } from '@reelforge/schema';
import { ffmpegPath, ffprobePath } from './binary.js';
import { fileInput } from './ffmpeg-input.js';

/** Why the upload is not a usable clip, in words for the person who sent it. */
export class ClipRefused extends Error {
  override name = 'ClipRefused';
}

export interface ClipInfo {
  /** The container its bytes say it is, as the extension it is stored with. */
  extension: 'mp4' | 'mov' | 'webm';
  contentType: 'video/mp4' | 'video/quicktime' | 'video/webm';
  durationSeconds: number;
  width: number;
  height: number;
  codec: string;
}

/** Video codecs a scene clip may use (what phones, cameras and editors export). */
const CODECS = new Set(['h264', 'hevc', 'vp8', 'vp9', 'av1', 'mpeg4', 'prores']);
const PROBE_TIMEOUT_MS = 20_000;
const HEAD_BYTES = 64;

/** The container by its first bytes, or the reason it is none the studio takes. */
export function sniffContainer(head: Buffer): Pick<ClipInfo, 'extension' | 'contentType'> {
  if (head.length === 0) throw new ClipRefused('the file is empty');
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp') {
    const brand = head.toString('latin1', 8, 12);
    return brand === 'qt  '
      ? { extension: 'mov', contentType: 'video/quicktime' }
      : { extension: 'mp4', contentType: 'video/mp4' };
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) {
    return { extension: 'webm', contentType: 'video/webm' };
  }
  const text = head.toString('latin1').trimStart();
  if (text.startsWith('#EXTM3U') || text.startsWith('#EXT')) {
    throw new ClipRefused('the file is a playlist (HLS), not a video; upload the video file itself');
  }
  if (/^ffconcat|^file\s/i.test(text)) {
    throw new ClipRefused('the file is an ffmpeg concat script, not a video; upload the video file itself');
  }
  throw new ClipRefused('the file is not an MP4, MOV or WebM video');
}

const DEMUXER: Record<ClipInfo['extension'], string> = { mp4: 'mp4', mov: 'mov', webm: 'matroska' };

interface ProbeJson {
  streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number }[];
  format?: { duration?: string; format_name?: string };
}

/** Judges the clip at `localPath` (already downloaded); throws ClipRefused naming the reason. */
export async function checkClip(localPath: string, signal?: AbortSignal): Promise<ClipInfo> {
  const handle = await open(localPath, 'r');
  const head = Buffer.alloc(HEAD_BYTES);
  let read: number;
  try {
    ({ bytesRead: read } = await handle.read(head, 0, HEAD_BYTES, 0));
  } finally {
    await handle.close();
  }
  const container = sniffContainer(head.subarray(0, read));
  // External data references (a `dref` naming other files) are off in the mov demuxer by default; said again
  // here so that no build's default can open them.
  const before = container.extension === 'webm' ? [] : ['-enable_drefs', '0'];
  const input = fileInput(localPath, DEMUXER[container.extension], before);
  const options = { timeout: PROBE_TIMEOUT_MS, maxBuffer: 1024 * 1024, ...(signal ? { signal } : {}) };
  let probe: ProbeJson;
  try {
    const { stdout } = await promisify(execFile)(
      await ffprobePath(),
      [
        ...['-v', 'error', ...input],
        ...['-show_entries', 'format=duration,format_name:stream=codec_type,codec_name,width,height'],
        ...['-of', 'json'],
      ],
      options,
    );
    probe = JSON.parse(stdout) as ProbeJson;
  } catch {
    throw new ClipRefused(`the file cannot be read as ${container.extension.toUpperCase()} video`);
  }
  const video = probe.streams?.find((s) => s.codec_type === 'video');
  if (!video) throw new ClipRefused('the file holds no video stream');
  const codec = video.codec_name ?? '';
  if (!CODECS.has(codec)) {
    throw new ClipRefused(
      `the video is in ${codec || 'an unknown codec'}; export it as H.264, HEVC, VP9 or AV1`,
    );
  }
  const width = video.width ?? 0;
  const height = video.height ?? 0;
  if (width <= 0 || height <= 0) throw new ClipRefused('the video has no picture size');
  if (width > LIMITS.CLIP_MAX_SIDE || height > LIMITS.CLIP_MAX_SIDE) {
    throw new ClipRefused(
      `the video is ${width}x${height} px; it must be at most ${LIMITS.CLIP_MAX_SIDE} px on each side`,
    );
  }
  const durationSeconds = Number(probe.format?.duration ?? 0);
  if (!Number.isFinite(durationSeconds) || durationSeconds < 0.2) {
    throw new ClipRefused('the video has no length (at least 0.2 s is needed)');
  }
  if (durationSeconds > LIMITS.CLIP_MAX_SECONDS) {
    throw new ClipRefused(
      `the video is ${durationSeconds.toFixed(1)} s long; it must be at most ${LIMITS.CLIP_MAX_SECONDS} s`,
    );
  }
  // Headers can lie about the data behind them: decode the first second, as the render will.
  try {
    await promisify(execFile)(
      await ffmpegPath(),
      [
        ...['-hide_banner', '-nostdin', '-v', 'error', '-xerror', ...input],
        ...['-t', '1', '-map', '0:v:0', '-f', 'null', '-'],
      ],
      options,
    );
  } catch {
    throw new ClipRefused('the video data is corrupt or truncated; export the clip again');
  }
  return { ...container, durationSeconds, width, height, codec };
}
