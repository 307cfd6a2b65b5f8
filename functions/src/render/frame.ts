// Output geometry and encoding constants of the final ad.
import type { AspectRatio } from '@reelforge/schema';

export const FRAME_SIZE: Record<AspectRatio, { width: number; height: number }> = {
  '9:16': { width: 720, height: 1280 },
  '16:9': { width: 1280, height: 720 },
};

export const FPS = 30;
export const AUDIO_SAMPLE_RATE = 48_000;
