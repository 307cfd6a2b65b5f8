// Output geometry and encoding constants of the final ad, per format.
import type { AspectRatio } from '@reelforge/schema';

/** The short side is 720 px in every format, both sides even (H.264 with yuv420p needs even sizes). */
export const FRAME_SIZE: Record<AspectRatio, { width: number; height: number }> = {
  '9:16': { width: 720, height: 1280 },
  '16:9': { width: 1280, height: 720 },
  '1:1': { width: 720, height: 720 },
  '4:5': { width: 720, height: 900 },
};

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

/** H.264/AAC MP4 output options of every render, for a player that starts before the file has arrived. */
export function mp4OutputArgs(audioBitrate: string): string[] {
  return [
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-r', String(FPS)],
    ...['-c:a', 'aac', '-b:a', audioBitrate, '-ar', String(AUDIO_SAMPLE_RATE)],
    // The index at the front, so a player can start before the whole file has arrived.
    ...['-movflags', '+faststart'],
  ];
}
