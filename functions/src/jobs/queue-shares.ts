// Each job queue's per-user share (projects/usage/fair-share.ts), from the registry's queue sizes: a user
// may hold at most a third of a queue's concurrent dispatches, so at least three users' jobs of a type run
// at once however many one user starts. A third still fits the default storyboard's six scenes in one
// `generateAll` on the smallest scene queue (20 dispatches: 7), and the per-user cap of 10 on the image
// queue (30: 10); the render queue (5) gives each user 2.
import type { QueueShares } from '../projects/usage/fair-share.js';
import { JOB_TYPES, JOBS, LABEL } from './registry.js';

export const QUEUE_SHARE_DIVISOR = 3;

export function queueShare(maxConcurrentDispatches: number): number {
  return Math.max(1, Math.ceil(maxConcurrentDispatches / QUEUE_SHARE_DIVISOR));
}

export const QUEUE_SHARES: QueueShares = Object.fromEntries(
  JOB_TYPES.map((type) => [
    type,
    { max: queueShare(JOBS[type].queue.maxConcurrentDispatches), label: LABEL[type] },
  ]),
) as QueueShares;
