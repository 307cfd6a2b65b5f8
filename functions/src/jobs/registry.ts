// Every job type, listed once. Each is declared by `defineJob` in its handler file (handlers/<type>.ts:
// label, step, queue, attempts, secrets, provider work, handler, scene asset), and the schema's job type
// table (schema/src/primitives.ts, JOB_TYPE_TABLE) gives its name, whether it runs on a scene or the
// project, and its stale limit: project stats need that limit and projects/ may not import jobs/, so it is
// declared in the lowest layer, next to the enum made from the same table. The task functions
// (jobs/tasks.ts), the queue each job is enqueued on, the per-type tables below and the failure and
// start-check messages all derive from these two declarations.
//
// Adding a job type takes four files: (1) its row in JOB_TYPE_TABLE (schema/src/primitives.ts; a scene
// asset's row names the `assets` field it fills), (2) its handler file with its `defineJob`, (3) its line in
// JOB_LIST below, (4) its row in test/unit/secrets.test.ts, which says apart from the definition which keys
// its handler reaches. The compiler refuses a type missing from the list or that row. A project job that
// needs a callable of its own also takes the callable's schema (schema/src/api.ts), the callable
// (functions/src/api/), its export (functions/src/index.ts) and its name in the secrets test: seven files.
// Its own tests come on top.
import { JobTypeSchema, type JobType } from '@reelforge/schema';
import type { JobDefinition } from './define.js';
import { audioJob } from './handlers/audio.js';
import { compositionJob } from './handlers/composition.js';
import { imageJob } from './handlers/image.js';
import { moodsJob } from './handlers/moods.js';
import { musicJob } from './handlers/music.js';
import { renderJob } from './handlers/render.js';
import { sceneTextJob } from './handlers/scene-text.js';
import { storyboardJob } from './handlers/storyboard.js';
import { translateJob } from './handlers/translate.js';
import { videoJob } from './handlers/video.js';
import { voiceoverJob } from './handlers/voiceover.js';

export type { JobDefinition } from './define.js';

/** Every job type's definition, one each. */
export const JOB_LIST = [
  moodsJob,
  storyboardJob,
  renderJob,
  musicJob,
  compositionJob,
  imageJob,
  videoJob,
  audioJob,
  voiceoverJob,
  sceneTextJob,
  translateJob,
] as const;

// A job type of the schema with no definition in the list is a compile error here, naming the type.
type Undefined = Exclude<JobType, (typeof JOB_LIST)[number]['type']>;
const everyTypeDefined: [Undefined] extends [never] ? true : Undefined = true;
void everyTypeDefined;

export const JOB_TYPES: readonly JobType[] = JobTypeSchema.options;

/** The definitions by type; a type listed twice is refused when the module loads. */
export const JOBS: Readonly<Record<JobType, JobDefinition>> = byType(JOB_LIST);

export function byType(list: readonly JobDefinition[]): Record<JobType, JobDefinition> {
  const jobs = new Map<JobType, JobDefinition>();
  for (const job of list) {
    if (jobs.has(job.type)) throw new Error(`job type ${job.type} is defined twice`);
    jobs.set(job.type, job);
  }
  const missing = JOB_TYPES.filter((type) => !jobs.has(type));
  if (missing.length) throw new Error(`job types without a definition: ${missing.join(', ')}`);
  return Object.fromEntries(jobs) as Record<JobType, JobDefinition>;
}

function perType<T>(pick: (job: JobDefinition) => T): Record<JobType, T> {
  return Object.fromEntries(JOB_TYPES.map((type) => [type, pick(JOBS[type])])) as Record<JobType, T>;
}

export const LABEL = perType((job) => job.label);
export const STEP_NAMES = perType((job) => job.step);
export const JOB_MAX_ATTEMPTS = perType((job) => job.attempts);

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
