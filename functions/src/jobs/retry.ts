// Which failures of a task execution deserve another attempt (requeued while attempts remain), which hand
// the job back without spending one (the provider is still running), and which fail it at once. The one
// place that classifies errors; state.ts's `decideFailure` turns the kind into what happens to the job.
import type { JobType } from '@reelforge/schema';
import { DomainError, type DomainErrorKind } from '../errors.js';
import { ProviderError, StillRunning } from '../providers/errors.js';
import { JOB_LEASE_SECONDS, JOBS } from './registry.js';
import { DELIVERIES_PER_ATTEMPT } from './state.js';

export const MAX_BACKOFF_SECONDS = 300;
/** The backoff doublings of every queue; state.ts's DELIVERIES_PER_ATTEMPT is counted from it. */
export const MAX_DOUBLINGS = 4;

/**
 * The Cloud Tasks retry config of the type's queue (tasks.ts deploys it; bench/scale.ts simulates it). The
 * job's own `attempt` counter decides when to give up, so this only bounds Cloud Tasks, loosely enough for
 * the hand-backs that wait out a dead holder's heartbeat.
 */
export function taskRetryConfig(type: JobType) {
  const { queue, attempts } = JOBS[type];
  return {
    // Per job attempt: its run, plus the backed-off deliveries that wait out a dead holder's heartbeat.
    maxAttempts: attempts * DELIVERIES_PER_ATTEMPT,
    maxRetrySeconds: attempts * (JOB_LEASE_SECONDS[type] + MAX_BACKOFF_SECONDS),
    minBackoffSeconds: queue.minBackoffSeconds ?? 5,
    maxBackoffSeconds: MAX_BACKOFF_SECONDS,
    maxDoublings: MAX_DOUBLINGS,
  };
}

/** Exhaustive: a new domain error kind does not compile until it says whether a retry can help. */
const RETRYABLE: Record<DomainErrorKind, boolean> = {
  // Decisions about the project's state: the same document gives the same answer next time.
  'not-found': false,
  'precondition-failed': false,
  'limit-reached': false,
  'permanent-job-error': false,
  // The runner stops quietly on these before asking; were one asked about, retrying would only repeat it.
  'job-canceled': false,
  // Passing conditions: nothing was written, and a later attempt can succeed.
  contention: true,
  unavailable: true,
};

/** How a failed execution ended, for state.ts's `decideFailure`. */
export type FailureKind = 'canceled' | 'still-running' | 'retryable' | 'permanent';

export function failureKind(err: unknown): FailureKind {
  if (err instanceof DomainError && err.kind === 'job-canceled') return 'canceled';
  if (err instanceof StillRunning) return 'still-running';
  return isRetryable(err) ? 'retryable' : 'permanent';
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof DomainError) return RETRYABLE[err.kind];
  if (err instanceof ProviderError) return err.retryable;
  // Anything unexpected (a Storage or Firestore hiccup) deserves another attempt while attempts remain.
  return true;
}
