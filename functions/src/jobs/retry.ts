// Which failures of a task execution deserve another attempt (thrown back to Cloud Tasks while attempts
// remain) and which fail the job at once. The one place that decides it.
import { DomainError, type DomainErrorKind } from '../errors.js';
import { ProviderError } from '../providers/errors.js';

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

export function isRetryable(err: unknown): boolean {
  if (err instanceof DomainError) return RETRYABLE[err.kind];
  if (err instanceof ProviderError) return err.retryable;
  // Anything unexpected (a Storage or Firestore hiccup) deserves another attempt while attempts remain.
  return true;
}
