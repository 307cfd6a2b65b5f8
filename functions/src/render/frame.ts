// Output geometry and encoding constants of the final ad, per format.
import type { AspectRatio, Resolution } from '@reelforge/schema';

export interface FrameSize {
  width: number;
  height: number;
}

/** The short side in pixels of each resolution setting. */
export const SHORT_SIDE: Record<Resolution, number> = { '1080p': 1080, '720p': 720 };

/** The frame of each format at each resolution: the short side is the setting's in every format (1080x1920,
 * 1920x1080, 1080x1080, 1080x1350 at 1080p, what TikTok, Reels, Shorts and the feeds deliver), both sides
 * even (H.264 with yuv420p needs even sizes). */
export function frameSize(format: AspectRatio, resolution: Resolution): FrameSize {
  const short = SHORT_SIDE[resolution];
  const [w, h] = format.split(':').map(Number) as [number, number];
  const long = Math.round((short * Math.max(w, h)) / Math.min(w, h) / 2) * 2;
  return w >= h ? { width: long, height: short } : { width: short, height: long };
}

/**
 * Where text may go, as fractions of the frame kept clear on each side. 9:16 is what TikTok, Reels and
 * Shorts cover with their own UI: the caption and account line at the bottom, the like/comment/share column
 * on the right, the top bar. The feed formats (1:1, 4:5) and 16:9 keep a plain title-safe margin.
 */
export const SAFE_ZONE: Record<AspectRatio, { top: number; bottom: number; left: number; right: number }> = {
  '9:16': { top: 0.14, bottom: 0.3, left: 0.06, right: 0.17 },
  '16:9': { top: 0.08, bottom: 0.1, left: 0.08, right: 0.08 },
  '1:1': { top: 0.08, bottom: 0.1, left: 0.07, right: 0.07 },
  '4:5': { top: 0.08, bottom: 0.12, left: 0.07, right: 0.07 },
};

export const FPS = 30;
export const AUDIO_SAMPLE_RATE = 48_000;

/** width / height of a ratio like `9:16`. */
export function ratioOf(format: AspectRatio): number {
  const [w, h] = format.split(':').map(Number) as [number, number];
  return w / h;
}

/**
 * The delivery preset's bitrates, from the platforms' published upload specs:
 * - video: YouTube's "Recommended upload encoding settings" (support.google.com/youtube/answer/1722171, SDR,
 *   standard frame rates 24-30 fps): 8 Mbps at 1080p, 5 Mbps at 720p. Used as the ceiling of a
 *   quality-targeted encode (CRF 23 capped by `-maxrate`), so simple footage stays smaller than that.
 * - audio: the same page's 384 kbps for stereo AAC-LC at 48 kHz; above Meta's "stereo AAC, 128 kbps+" for
 *   video ads (facebook.com/business/ads-guide, video specs) and TikTok's ad spec (AAC, 48 kHz).
 * The same page asks for MP4 with the moov atom at the front (`+faststart`), H.264 High profile, progressive,
 * 4:2:0 chroma, which TikTok's and Meta's ad specs (MP4/MOV, H.264, 1080p or higher recommended) accept.
 */
export const VIDEO_MAX_BITRATE: Record<Resolution, string> = { '1080p': '8M', '720p': '5M' };
export const AUDIO_BITRATE = '384k';

/** The ad's MP4: H.264 High profile, yuv420p, constant 30 fps, the index at the front (a player starts before
 * the file has arrived), AAC-LC 48 kHz stereo. */
export function mp4OutputArgs(resolution: Resolution, audioBitrate: string = AUDIO_BITRATE): string[] {
  const max = VIDEO_MAX_BITRATE[resolution];
  const bufsize = `${2 * Number.parseInt(max, 10)}M`;
  return [
    ...['-c:v', 'libx264', '-profile:v', 'high', '-preset', 'veryfast', '-crf', '23'],
    ...['-maxrate', max, '-bufsize', bufsize, '-pix_fmt', 'yuv420p'],
    // Constant frame rate: every frame duplicated or dropped onto the 30 fps grid (this ffmpeg predates
    // -fps_mode).
    ...['-r', String(FPS), '-vsync', 'cfr'],
    ...['-c:a', 'aac', '-profile:a', 'aac_low', '-b:a', audioBitrate, '-ar', String(AUDIO_SAMPLE_RATE)],
    ...['-ac', '2', '-movflags', '+faststart'],
  ];
}
