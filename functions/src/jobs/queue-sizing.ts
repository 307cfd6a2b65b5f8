// Each job queue's Cloud Tasks settings, computed from the providers' published limits (providers/capacity.ts)
// rather than guessed: the handlers' queue declarations take their numbers from QUEUE_SIZING, so the
// registry's settings are this model's, and bench/scale.ts simulates 10 to 10,000 users' productions through
// them (README "Scaling" has the table and how to recompute it).
//
// The model, per provider pool (Replicate's prediction creates, its other endpoints, OpenAI chat requests and
// tokens, speech, transcription):
//  - the budget is the pool's limit x HEADROOM, per second;
//  - every queue that draws on the pool gets a part of it in proportion to what a default production (from the
//    brief, LIMITS.DEFAULT_SCENE_COUNT scenes) asks of it, so no queue starves another; a type a production
//    never starts (a scene's own music, a scene's text) counts as one job of its kind, so it keeps a share;
//  - each dispatch is counted as a first execution (its full provider calls): a resumed prediction's persist
//    spends a dispatch of the same queue but makes no create, so the rate is safe, not tight;
//  - a queue's cap is the smallest rate any of its pools allows; the narrowest queue, counting the dispatches
//    a job takes (a Replicate job two: its start and its resume), sets the productions per second; the
//    production's first steps (moods, storyboard) run at ENTRY_FACTOR of that, so a burst of productions
//    waits there, and every later queue at DRAIN_FACTOR x its need (within its cap), so it never builds the
//    backlog in which a finished prediction's resume would wait past Replicate's one-hour output expiry;
//  - maxConcurrentDispatches is Little's law on the steady throughput and the p95 time a dispatch holds its
//    function (x CONCURRENCY_MARGIN), and never less than SHARE_FLOOR, the per-user share admission promises
//    (queue-shares.ts gives each user a third of a queue: a third must hold the six scenes of one production);
//  - maxInstances equals maxConcurrentDispatches: a task function serves one request at a time, and the queue,
//    not the instance count, is the throttle;
//  - the render calls no provider: its rate is DRAIN_FACTOR x its need alone.
import { LIMITS, type JobType } from '@reelforge/schema';
import {
  PROMPT_TOKENS_TYPICAL,
  TYPICAL_LATENCY,
  providerLimits,
  type LatencyKind,
  type OpenAiTier,
  type RatePool,
  type RateLimit,
} from '../providers/capacity.js';
import { MAX_TOKENS } from '../providers/language-model.js';

/** The share of each provider limit the queues may use together; the rest is for retries, people and drift. */
export const HEADROOM = 0.8;
/** A queue whose own pools allow more runs at this many times what the narrowest queue's productions need. */
export const DRAIN_FACTOR = 2;
/** A production's first steps run at this share of what the narrowest queue carries. */
export const ENTRY_FACTOR = 0.9;
/** The job types a production from the brief starts with: they admit productions into the pipeline. */
const ENTRY: ReadonlySet<JobType> = new Set<JobType>(['moods', 'storyboard']);
/** Concurrent dispatches over Little's law at the p95 hold time. */
export const CONCURRENCY_MARGIN = 1.5;

export interface QueueSizing {
  maxDispatchesPerSecond: number;
  maxConcurrentDispatches: number;
  maxInstances: number;
}

/** What one dispatch of the type may ask of each pool: requests, and for OpenAI chat the tokens counted. */
interface PoolUse {
  pool: RatePool;
  requests: number;
  tokens?: number;
}

const chat = (answer: keyof typeof MAX_TOKENS): PoolUse => ({
  pool: 'openai_chat',
  requests: 1,
  tokens: PROMPT_TOKENS_TYPICAL + MAX_TOKENS[answer],
});
const prediction: PoolUse[] = [
  { pool: 'replicate_create', requests: 1 },
  // The resume's read of the finished prediction.
  { pool: 'replicate_other', requests: 1 },
];

/** Every job type's provider calls per dispatch (the handlers in handlers/<type>.ts). */
export const POOL_USE: Readonly<Record<JobType, readonly PoolUse[]>> = {
  // One answer, then one prediction per mood (4 images each), polled until done.
  moods: [chat('moods'), { pool: 'replicate_create', requests: LIMITS.MOODS_PER_PROJECT }],
  storyboard: [chat('storyboard')],
  scene_text: [chat('scene_text')],
  composition: [chat('composition')],
  image: prediction,
  video: prediction,
  audio: prediction,
  music: prediction,
  // Speech, then its transcription for the captions' word timings.
  voiceover: [
    { pool: 'openai_speech', requests: 1 },
    { pool: 'openai_transcription', requests: 1 },
  ],
  render: [],
  // The whole ad's lines in one answer, then each scene's line spoken and timed in that language (the
  // shortening a too-long line may take is rare and left out).
  translate: [
    chat('translate'),
    { pool: 'openai_speech', requests: LIMITS.DEFAULT_SCENE_COUNT },
    { pool: 'openai_transcription', requests: LIMITS.DEFAULT_SCENE_COUNT },
  ],
};

const SCENES = LIMITS.DEFAULT_SCENE_COUNT;

/**
 * Dispatches of its queue one job takes: a Replicate job two (its start, and the resume its webhook enqueues
 * on the same queue), every other job one. A render counts its format's task, which holds the function for
 * the render: its fan-out and fan-in dispatches hold it for a document write each.
 */
export const DISPATCHES_PER_JOB: Readonly<Record<JobType, number>> = {
  moods: 1,
  storyboard: 1,
  scene_text: 1,
  composition: 1,
  image: 2,
  video: 2,
  audio: 2,
  music: 2,
  voiceover: 1,
  render: 1,
  translate: 1,
};

/** Jobs of each type in a default production from the brief; 1 for a type it never starts (its floor). */
export const PRODUCTION_DEMAND: Readonly<Record<JobType, number>> = {
  moods: 1,
  storyboard: 1,
  composition: SCENES,
  image: SCENES,
  video: SCENES,
  voiceover: SCENES,
  music: 1,
  render: 1,
  audio: 1,
  scene_text: 1,
  // A production in one language makes none; 1 is the floor.
  translate: 1,
};

/**
 * The fewest concurrent dispatches each queue keeps whatever the rate: the per-user share admission promises
 * (queue-shares.ts gives each user a third, rounded up) must fit. A third of 20 is 7, the default storyboard's
 * six scenes in one step; a third of the image queue's 30 is 10, the per-user cap; four of a project job at
 * once (moods, storyboard, music: a user's projects side by side) and two renders per user.
 */
export const SHARE_FLOOR: Readonly<Record<JobType, number>> = {
  moods: 10,
  storyboard: 10,
  composition: 20,
  image: 30,
  video: 20,
  voiceover: 20,
  audio: 20,
  scene_text: 20,
  music: 10,
  render: 5,
  translate: 10,
};

/** Seconds a job spends saving its outputs (download from the provider, upload to Storage), per dispatch. */
export const PERSIST_SECONDS: Readonly<Record<JobType, number>> = {
  moods: 3,
  storyboard: 0.2,
  scene_text: 0.2,
  composition: 0.2,
  image: 0.5,
  video: 2,
  audio: 1,
  music: 1,
  voiceover: 1,
  render: 0,
  translate: 1,
};

/**
 * A render of a 30 s ad in one format with every layer: 24.3 s measured on this project's 2-vCPU machine
 * (bench/README.md, benchmark 8, 25 Nov); the deployed render function has the same 2 vCPU.
 */
export const RENDER_SECONDS_PER_FORMAT = 25;

const P95_Z = 1.645;
const p95 = (kind: LatencyKind, outputSeconds = 0) => {
  const spec = TYPICAL_LATENCY[kind];
  return (spec.medianSeconds + (spec.perOutputSecond ?? 0) * outputSeconds) * Math.exp(spec.spread * P95_Z);
};
const sceneSeconds = 30 / SCENES;

/** The p95 seconds one dispatch of the type holds its function (the longer of a first run and a resume). */
export const HOLD_P95_SECONDS: Readonly<Record<JobType, number>> = {
  moods: p95('chat') + p95('image') + PERSIST_SECONDS.moods,
  storyboard: 2 * p95('chat'),
  scene_text: p95('chat'),
  composition: p95('chat'),
  // A prediction's dispatch holds its function for the create, or (resumed) the save: not for the run.
  image: 1 + PERSIST_SECONDS.image,
  video: 1 + PERSIST_SECONDS.video,
  audio: 1 + PERSIST_SECONDS.audio,
  music: 1 + PERSIST_SECONDS.music,
  voiceover: p95('speech') + p95('transcription', sceneSeconds) + PERSIST_SECONDS.voiceover,
  // One format; a render of more formats takes proportionally longer and is rarer.
  render: 1.2 * RENDER_SECONDS_PER_FORMAT,
  // One answer, then every scene's speech and transcription one after the other.
  translate:
    p95('chat') + SCENES * (p95('speech') + p95('transcription', sceneSeconds)) + PERSIST_SECONDS.translate,
};

/** The budget of each dimension of a pool, per second: requests, and tokens where the pool counts them. */
function budgets(limit: RateLimit) {
  return {
    requests: (limit.rpm / 60) * HEADROOM,
    tokens: limit.tpm === undefined ? undefined : (limit.tpm / 60) * HEADROOM,
  };
}

const TYPES = Object.keys(POOL_USE) as JobType[];

/** What the model decides for every queue, given the providers' limits and the per-user share divisor. */
/**
 * Each queue's safe rate from its pools: its demand's part of each pool's budget, in dispatches per second
 * (every dispatch counted as a first execution), and the pool and dimension that gave it.
 */
function queueCaps(limits: Record<RatePool, RateLimit>): Map<JobType, { perSecond: number; by: string }> {
  const cap = new Map<JobType, { perSecond: number; by: string }>();
  for (const pool of Object.keys(limits) as RatePool[]) {
    const budget = budgets(limits[pool]);
    const users = TYPES.flatMap((type) =>
      POOL_USE[type].filter((u) => u.pool === pool).map((use) => ({ type, use })),
    );
    if (users.length === 0) continue;
    const requests = users.reduce((sum, u) => sum + PRODUCTION_DEMAND[u.type] * u.use.requests, 0);
    const tokens = users.reduce((sum, u) => sum + PRODUCTION_DEMAND[u.type] * (u.use.tokens ?? 0), 0);
    let allowed = budget.requests / requests;
    let by = `${pool} ${limits[pool].rpm} RPM`;
    if (budget.tokens !== undefined && tokens > 0 && budget.tokens / tokens < allowed) {
      allowed = budget.tokens / tokens;
      by = `${pool} ${limits[pool].tpm} TPM`;
    }
    // Every queue of the pool at its demand's part of the pool: `allowed` productions' worth of its jobs.
    for (const { type } of users) {
      const perSecond = allowed * PRODUCTION_DEMAND[type];
      if (perSecond < (cap.get(type)?.perSecond ?? Infinity)) cap.set(type, { perSecond, by });
    }
  }
  return cap;
}

/** The queue that carries the fewest productions per second, and the provider limit behind it. */
function narrowest(limits: Record<RatePool, RateLimit>) {
  let best = { type: 'render' as JobType, by: 'none', throughput: Infinity };
  for (const [type, { perSecond, by }] of queueCaps(limits)) {
    const throughput = perSecond / (PRODUCTION_DEMAND[type] * DISPATCHES_PER_JOB[type]);
    if (throughput < best.throughput) best = { type, by, throughput };
  }
  return best;
}

export function sizeQueues(
  limits: Record<RatePool, RateLimit> = providerLimits(),
): Record<JobType, QueueSizing> {
  const cap = new Map([...queueCaps(limits)].map(([type, c]) => [type, c.perSecond]));
  // The productions per second the narrowest queue carries, counting its dispatches per job.
  const { throughput } = narrowest(limits);
  const sized = {} as Record<JobType, QueueSizing>;
  for (const type of TYPES) {
    const need = throughput * PRODUCTION_DEMAND[type] * DISPATCHES_PER_JOB[type];
    // A production's first steps admit productions below what the narrowest queue carries, so backlogs wait
    // there (where nothing expires); the queues after them drain at twice their need, within their pools.
    const perSecond = ENTRY.has(type)
      ? Math.min(cap.get(type) ?? Infinity, ENTRY_FACTOR * need)
      : Math.min(cap.get(type) ?? Infinity, DRAIN_FACTOR * need);
    // Two decimals, rounded down: the rate must never exceed what the pools allow.
    const maxDispatchesPerSecond = Math.max(0.01, Math.floor(perSecond * 100) / 100);
    // Little's law at the steady throughput, not at the drain rate.
    const concurrent = Math.max(
      Math.ceil(Math.min(maxDispatchesPerSecond, need) * HOLD_P95_SECONDS[type] * CONCURRENCY_MARGIN),
      SHARE_FLOOR[type],
    );
    sized[type] = {
      maxDispatchesPerSecond,
      maxConcurrentDispatches: concurrent,
      maxInstances: concurrent,
    };
  }
  return sized;
}

/** The narrowest queue and the provider limit behind it: what bounds the productions per second. */
export function bindingLimit(limits: Record<RatePool, RateLimit> = providerLimits()): string {
  const { type, by } = narrowest(limits);
  return `jobs-${type}, its share of ${by}`;
}

/** The productions per second the queues admit (the entry queues' rate): the model's throughput ceiling. */
export function productionsPerSecond(limits: Record<RatePool, RateLimit> = providerLimits()): number {
  const sized = sizeQueues(limits);
  return Math.min(...[...ENTRY].map((t) => sized[t].maxDispatchesPerSecond / PRODUCTION_DEMAND[t]));
}

/** The settings the queues deploy with: the model at the tier capacity.ts assumes. */
export const QUEUE_SIZING: Readonly<Record<JobType, QueueSizing>> = sizeQueues();

/** The settings for another OpenAI tier (README "Scaling": recomputing after a raise). */
export const queueSizingFor = (tier: OpenAiTier) => sizeQueues(providerLimits(tier));
