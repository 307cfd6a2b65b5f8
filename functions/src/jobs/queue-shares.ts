// Each job queue's per-user share (projects/usage/fair-share.ts), from the registry's queue sizes: a user
// may hold at most a third of a queue's concurrent dispatches, so at least three users' jobs of a type run
// at once however many one user starts. A third still fits the default storyboard's six scenes in one
// `generateAll` on the smallest scene queue (20 dispatches: 7), and the per-user cap of 10 on the image
// queue (30: 10); the render queue (5) gives each user 2. The third is the default of the
// USER_QUEUE_SHARE_DIVISOR param: an operator with few users (or a benchmark of one project's document
// rather than of admission) sets 1, and one user may then fill a queue.
import type { QueueShares } from '../projects/usage/fair-share.js';
import { LIMIT_DEFAULTS, userQueueShareDivisor } from '../config.js';
import { JOB_TYPES, JOBS, LABEL } from './registry.js';

export const QUEUE_SHARE_DIVISOR: number = LIMIT_DEFAULTS.queueShareDivisor;

export function queueShare(maxConcurrentDispatches: number, divisor: number = QUEUE_SHARE_DIVISOR): number {
  return Math.max(1, Math.ceil(maxConcurrentDispatches / divisor));
}

/** Every queue's per-user share for `divisor`. */
export function queueShares(divisor: number): QueueShares {
  return Object.fromEntries(
    JOB_TYPES.map((type) => [
      type,
      { max: queueShare(JOBS[type].queue.maxConcurrentDispatches, divisor), label: LABEL[type] },
    ]),
  ) as QueueShares;
}

/** The shares at the default divisor. */
export const QUEUE_SHARES: QueueShares = queueShares(QUEUE_SHARE_DIVISOR);

/** The shares as deployed (the param, read at call time as every limit is). */
export const currentQueueShares = (): QueueShares => queueShares(userQueueShareDivisor());
