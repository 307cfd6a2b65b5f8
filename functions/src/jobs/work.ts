// What a job asks the providers for, as its definition declares it (`work`, define.ts): the basis of its estimated
// cost (estimate.ts). Kept apart from the definitions and the estimate so that both can import it.
import { LIMITS, type JobOptions, type ProjectDoc, type Resolution, type SceneDoc } from '@reelforge/schema';
import type { ComputeWork, MAX_TOKENS, MediaKind } from '../providers/index.js';

/** What a job asks the providers for. */
export type ProviderWork =
  /**
   * A language-model answer; `promptBytes` bounds a prompt that grows with the project (OpenAI's tokens
   * are at least one byte each, so its UTF-8 size is a ceiling on its tokens).
   */
  | { answer: keyof typeof MAX_TOKENS; promptBytes?: number }
  | { media: MediaKind; images?: number; seconds?: number; resolution?: Resolution }
  /** Characters of text turned into speech. */
  | { speech: number }
  /** Seconds of audio transcribed. */
  | { transcription: number }
  /** Our own function's time (the render's ffmpeg), billed by Cloud Functions per vCPU- and GiB-second. */
  | { compute: ComputeWork };

export interface WorkInput {
  project: ProjectDoc;
  scene?: SceneDoc;
  options?: JobOptions;
}

/** Media models take whole seconds with a floor of 2 s (providers/models.ts): what a clip is billed at. */
export function billedSeconds(durationSeconds: number): number {
  return Math.max(2, Math.ceil(durationSeconds));
}

/** The scene's clip length as the media models bill it; a scene job always has its scene. */
export function sceneBilledSeconds({ scene }: WorkInput): number {
  return billedSeconds(scene?.duration_seconds ?? LIMITS.SCENE_DURATION_MAX);
}

/**
 * A ceiling on the bytes of the scene-text prompt: it lists the brief, the mood and every scene of the
 * storyboard, so a long storyboard can outgrow the fixed ceiling the other answers assume. The JSON of those
 * parts is longer than the prompt's text of them; the fixed ceiling still covers the prompt's own wording.
 */
export function sceneTextPromptBytes({ project, options }: WorkInput): number {
  const parts = {
    brief: project.storyboard?.creative_brief,
    mood: project.storyboard?.selected_mood,
    scenes: project.scenes?.map((s) => ({ t: s.title, d: s.description, s: s.duration_seconds })),
    instructions: options?.instructions,
  };
  return Buffer.byteLength(JSON.stringify(parts), 'utf8');
}
