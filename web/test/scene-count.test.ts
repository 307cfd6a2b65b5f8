// The "Number of scenes" field: what the person typed, else the storyboard's own count, else the default.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '@reelforge/schema';
import { sceneCountFor } from '../src/lib/sceneCount.js';

describe('sceneCountFor', () => {
  it('shows the storyboard’s count when nobody typed one (a refreshed 2-scene storyboard says 2)', () => {
    expect(sceneCountFor(undefined, 2)).toBe(2);
    expect(sceneCountFor(undefined, 0)).toBe(LIMITS.DEFAULT_SCENE_COUNT);
    expect(sceneCountFor(undefined, LIMITS.MAX_SCENES + 3)).toBe(LIMITS.MAX_SCENES);
  });

  it('keeps what the person typed over the storyboard’s count', () => {
    expect(sceneCountFor(5, 2)).toBe(5);
    expect(sceneCountFor(1, 0)).toBe(1);
  });
});
