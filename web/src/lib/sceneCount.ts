// The "Number of scenes" a (re)draft asks for: what the person typed, else the storyboard's own count (so a
// refreshed page shows the 2 scenes it has, not a default), else the backend's default for a first draft.
import { LIMITS } from '@reelforge/schema';

export function sceneCountFor(typed: number | undefined, scenes: number): number {
  if (typed !== undefined) return typed;
  if (scenes === 0) return LIMITS.DEFAULT_SCENE_COUNT;
  return Math.min(LIMITS.MAX_SCENES, Math.max(LIMITS.MIN_SCENE_COUNT, scenes));
}
