// Every job type, declared once. An entry says what the job is called, which handler runs it, how its
// queue behaves and how long and how often it may try; the task functions (jobs/tasks.ts), the queue each
// job is enqueued on, the per-type tables below and the failure and start-check messages all derive from
// it. Adding a job type: its value in the schema's job type enum, one entry here, its handler file, tests.
import type { SecretParam } from 'firebase-functions/params';
import { JobTypeSchema, LIMITS, type JobType, type SceneAssetType } from '@reelforge/schema';
import { secrets } from '../config.js';
import { RENDER_FUNCTION } from '../render/function-size.js';
import { STALE_MINUTES } from '../projects/stale-limits.js';
import { moodsJob } from './handlers/moods.js';
import { renderJob } from './handlers/render.js';
import { adSeconds, musicJob } from './handlers/music.js';
import { audioJob, compositionJob, imageJob, videoJob } from './handlers/scene-assets.js';
import { sceneTextJob, storyboardJob } from './handlers/text.js';
import { voiceoverJob } from './handlers/voiceover.js';
import type { JobHandler } from './types.js';
import { billedSeconds, sceneTextPromptBytes, type ProviderWork, type WorkInput } from './work.js';

export interface JobDefinition {
  /** The job in a sentence: "scene 2 is busy with a <label> job". */
  label: string;
  /** The step a failure message starts with: "<step> failed: ...". */
  step: string;
  handler: JobHandler;
  /** Its Cloud Tasks queue: concurrent deliveries, and the function's size and time limit. */
  queue: {
    maxConcurrentDispatches: number;
    memory?: '512MiB' | '1GiB' | '2GiB';
    cpu?: number;
    /** Also the task's dispatch deadline; Cloud Tasks allows at most 1800 s. */
    timeoutSeconds?: number;
    minBackoffSeconds?: number;
  };
  /** Minutes without a `last_update` after which the stale sweep re-enqueues or fails the job. */
  staleMinutes: number;
  /** Task attempts before the job fails for good. */
  maxAttempts: number;
  /** The provider keys its handler uses. */
  secrets: readonly SecretParam[];
  /** What one run asks the providers for: the basis of its estimated cost (estimate.ts). */
  work: (input: WorkInput) => ProviderWork[];
  /** For scene asset jobs: what the job makes, in words ("keyframe image"), and the scene assets it needs. */
  asset?: { name: string; needs?: readonly SceneAssetType[] };
}

/** The scene's clip length as the media models bill it; a scene job always has its scene. */
const sceneSeconds = ({ scene }: WorkInput) =>
  billedSeconds(scene?.duration_seconds ?? LIMITS.SCENE_DURATION_MAX);

const openai = [secrets.openaiApiKey];
const replicate = [secrets.replicateApiToken];

export const JOBS: Readonly<Record<JobType, JobDefinition>> = {
  moods: {
    label: 'mood board',
    step: 'Mood board generation',
    handler: moodsJob,
    queue: { maxConcurrentDispatches: 10 },
    staleMinutes: STALE_MINUTES.moods,
    maxAttempts: 3,
    work: () => [
      { answer: 'moods' },
      { media: 'mood_image', images: LIMITS.MOODS_PER_PROJECT * LIMITS.MAX_IMAGES_PER_MOOD },
    ],
    secrets: [...openai, ...replicate],
  },
  storyboard: {
    label: 'storyboard',
    step: 'Storyboard drafting',
    handler: storyboardJob,
    queue: { maxConcurrentDispatches: 10 },
    staleMinutes: STALE_MINUTES.storyboard,
    maxAttempts: 3,
    work: () => [{ answer: 'storyboard' }],
    secrets: openai,
  },
  scene_text: {
    label: 'scene text',
    step: 'Scene text regeneration',
    handler: sceneTextJob,
    queue: { maxConcurrentDispatches: 20 },
    staleMinutes: STALE_MINUTES.scene_text,
    maxAttempts: 3,
    // The prompt lists every scene of the storyboard: its size is counted, not assumed.
    work: (input) => [{ answer: 'scene_text', promptBytes: sceneTextPromptBytes(input) }],
    secrets: openai,
  },
  composition: {
    label: 'composition',
    step: 'Scene composition',
    handler: compositionJob,
    queue: { maxConcurrentDispatches: 20 },
    staleMinutes: STALE_MINUTES.composition,
    maxAttempts: 3,
    work: () => [{ answer: 'composition' }],
    secrets: openai,
    asset: { name: 'composition' },
  },
  image: {
    label: 'image',
    step: 'Keyframe image generation',
    handler: imageJob,
    queue: { maxConcurrentDispatches: 30 },
    staleMinutes: STALE_MINUTES.image,
    maxAttempts: 3,
    work: () => [{ media: 'scene_image', images: 1 }],
    secrets: replicate,
    asset: { name: 'keyframe image' },
  },
  video: {
    label: 'video',
    step: 'Video clip generation',
    handler: videoJob,
    queue: { maxConcurrentDispatches: 20, memory: '1GiB', timeoutSeconds: 1800 },
    staleMinutes: STALE_MINUTES.video,
    maxAttempts: 3,
    work: (input) => [{ media: 'video', seconds: sceneSeconds(input) }],
    secrets: replicate,
    // The video model animates the scene's keyframe.
    asset: { name: 'video clip', needs: ['image'] },
  },
  audio: {
    label: 'audio',
    step: 'Audio generation',
    handler: audioJob,
    queue: { maxConcurrentDispatches: 20 },
    staleMinutes: STALE_MINUTES.audio,
    maxAttempts: 3,
    work: (input) => [{ media: 'audio', seconds: sceneSeconds(input) }],
    secrets: replicate,
    asset: { name: 'audio' },
  },
  voiceover: {
    label: 'voiceover',
    step: 'Voiceover',
    handler: voiceoverJob,
    queue: { maxConcurrentDispatches: 20 },
    staleMinutes: STALE_MINUTES.voiceover,
    maxAttempts: 3,
    // Speech, then its transcription for the word timings, billed on the audio's length: the scene's
    // seconds, or a line too long for its scene spoken slowly (10 characters a second; ~15 is usual).
    work: (input) => {
      const characters = input.scene?.voiceover_text?.length ?? 0;
      return [
        { speech: characters },
        { transcription: Math.max(sceneSeconds(input), Math.ceil(characters / 10)) },
      ];
    },
    secrets: openai,
    asset: { name: 'voiceover' },
  },
  music: {
    label: 'music',
    step: 'Music bed generation',
    handler: musicJob,
    queue: { maxConcurrentDispatches: 10 },
    staleMinutes: STALE_MINUTES.music,
    maxAttempts: 3,
    // As long as the ad: every scene and the end card.
    work: ({ project }) => [{ media: 'audio', seconds: billedSeconds(adSeconds(project)) }],
    secrets: replicate,
  },
  render: {
    label: 'render',
    step: 'The final render',
    handler: renderJob,
    queue: {
      maxConcurrentDispatches: 5,
      memory: RENDER_FUNCTION.memory,
      cpu: RENDER_FUNCTION.vcpu,
      timeoutSeconds: RENDER_FUNCTION.timeoutSeconds,
      minBackoffSeconds: 30,
    },
    staleMinutes: STALE_MINUTES.render,
    // A render is expensive: fewer tries.
    maxAttempts: 2,
    // ffmpeg on our own function: no provider bill, but its compute. Estimated at the function's timeout (the
    // longest a render may run, all its formats together), so the estimate errs high like every other; the
    // handler books the seconds it really ran.
    work: () => [
      {
        compute: {
          vcpu: RENDER_FUNCTION.vcpu,
          memoryGiB: RENDER_FUNCTION.memoryGiB,
          seconds: RENDER_FUNCTION.timeoutSeconds,
        },
      },
    ],
    secrets: [],
  },
};

export const JOB_TYPES: readonly JobType[] = JobTypeSchema.options;

function perType<T>(pick: (job: JobDefinition) => T): Record<JobType, T> {
  return Object.fromEntries(JOB_TYPES.map((type) => [type, pick(JOBS[type])])) as Record<JobType, T>;
}

export const LABEL = perType((job) => job.label);
export const STEP_NAMES = perType((job) => job.step);
export const JOB_STALE_MINUTES = perType((job) => job.staleMinutes);
export const JOB_MAX_ATTEMPTS = perType((job) => job.maxAttempts);

/** Cloud Functions' default for a task function that names no timeout. */
export const DEFAULT_TIMEOUT_SECONDS = 540;
/**
 * How much longer a claim lasts than the function that took it may live. The function is killed at its
 * timeout, so a lease of timeout + margin has always outlived its holder; the margin covers the claim
 * transaction's clock skew and the time between the function's start and its claim.
 */
export const LEASE_MARGIN_SECONDS = 60;
export const JOB_TIMEOUT_SECONDS = perType((job) => job.queue.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
/** How long a claimed execution holds its job: its function's timeout plus the margin, never more. */
export const JOB_LEASE_SECONDS = perType(
  (job) => (job.queue.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) + LEASE_MARGIN_SECONDS,
);

/** The export that holds every task function (index.ts); each is deployed as `<group>-<key>`. */
export const TASK_GROUP = 'jobs';

/** The task function's key in the group: the job type in camelCase (function ids allow no "_"). */
export function taskKey(type: JobType): string {
  return type.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The deployed name of the job type's task function, which is also the name of its Cloud Tasks queue. */
export function taskFunctionName(type: JobType): string {
  return `${TASK_GROUP}-${taskKey(type)}`;
}
