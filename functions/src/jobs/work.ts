// What a job asks the providers for, as its registry entry declares it (`work`): the basis of its estimated
// cost (estimate.ts). Kept apart from the registry and the estimate so that both can import it.
import type { JobOptions, ProjectDoc, SceneDoc } from '@reelforge/schema';
import type { MAX_TOKENS, MediaKind } from '../providers/index.js';

/** What a job asks the providers for. */
export type ProviderWork =
  | { answer: keyof typeof MAX_TOKENS }
  | { media: MediaKind; images?: number; seconds?: number }
  /** Characters of text turned into speech. */
  | { speech: number };

export interface WorkInput {
  project: ProjectDoc;
  scene?: SceneDoc;
  options?: JobOptions;
}

/** Media models take whole seconds with a floor of 2 s (providers/models.ts): what a clip is billed at. */
export function billedSeconds(durationSeconds: number): number {
  return Math.max(2, Math.ceil(durationSeconds));
}
