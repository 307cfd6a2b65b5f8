// The one place where errors become the HttpsErrors a client can act on. Lower layers throw the project's
// own errors (../errors.ts); the callable wrapper hands whatever a handler threw to `toHttpsError`.
import { HttpsError, type FunctionsErrorCode } from 'firebase-functions/v2/https';
import type { InvalidArgumentDetail } from '@reelforge/schema';
import { DomainError, type DomainErrorKind } from '../errors.js';

export const invalidArgument = (details: InvalidArgumentDetail[]) =>
  new HttpsError(
    'invalid-argument',
    details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ') || 'Invalid request.',
    details,
  );

export const unauthenticated = () =>
  new HttpsError(
    'unauthenticated',
    'Sign in to call this function (a session that was signed out, revoked or disabled must sign in again).',
  );

/** Exhaustive: a new domain error kind does not compile until it says what a client sees. */
const CODE: Record<DomainErrorKind, FunctionsErrorCode> = {
  'not-found': 'not-found',
  'precondition-failed': 'failed-precondition',
  'limit-reached': 'resource-exhausted',
  contention: 'aborted',
  unavailable: 'unavailable',
  // Job errors belong to task executions; should one reach a callable, it is still the caller's state.
  'permanent-job-error': 'failed-precondition',
  'job-canceled': 'cancelled',
};

/** Messages that replace the internal wording where the client should hear something else. */
const CLIENT_MESSAGE: Partial<Record<DomainErrorKind, string>> = {
  contention: 'The project was busy with other changes; nothing was saved, please try again.',
};

/** The HttpsError for a domain error; undefined for anything else (a bug, reported as `internal`). */
export function toHttpsError(err: unknown): HttpsError | undefined {
  if (err instanceof HttpsError) return err;
  if (!(err instanceof DomainError)) return undefined;
  return new HttpsError(CODE[err.kind], CLIENT_MESSAGE[err.kind] ?? err.message);
}
