// The project's own errors, on the ground floor so every layer can throw them. Code below `api/` says what
// went wrong in these terms; only `api/errors.ts` turns them into the HttpsErrors a client sees, and
// only `jobs/retry.ts` decides which of them deserve another attempt. Every message is written for a person.

/** Every kind of domain error. A new kind fails to compile until the API mapping and `isRetryable` name it. */
export type DomainErrorKind =
  | 'not-found'
  | 'precondition-failed'
  | 'limit-reached'
  | 'contention'
  | 'unavailable'
  | 'permanent-job-error'
  | 'job-canceled';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
}

/** The thing does not exist, or belongs to someone else (never said apart: no existence leak). */
export class NotFound extends DomainError {
  readonly kind = 'not-found';
  override name = 'NotFound';
  constructor(what: string) {
    super(`${what} was not found.`);
  }
}

/** The request is valid but the project's state refuses it now (a busy scene, a missing input asset). */
export class PreconditionFailed extends DomainError {
  readonly kind = 'precondition-failed';
  override name = 'PreconditionFailed';
}

/** A quota or size limit would be passed. */
export class LimitReached extends DomainError {
  readonly kind = 'limit-reached';
  override name = 'LimitReached';
}

/** A project write kept losing its compare-and-set race: nothing was written, and trying again works. */
export class Contention extends DomainError {
  readonly kind = 'contention';
  override name = 'Contention';
  constructor(projectId: string, attempts: number) {
    super(`project ${projectId} kept changing under ${attempts} attempts to write it`);
  }
}

/** A service we depend on (the task queue) could not be reached; nothing is left half done. */
export class Unavailable extends DomainError {
  readonly kind = 'unavailable';
  override name = 'Unavailable';
}

/** A job that cannot succeed however often it is retried (bad input, missing asset, refused content). */
export class PermanentJobError extends DomainError {
  readonly kind = 'permanent-job-error';
  override name = 'PermanentJobError';
}

/** The job was canceled (or lost to another execution) while this one ran: stop quietly. */
export class JobCanceled extends DomainError {
  readonly kind = 'job-canceled';
  override name = 'JobCanceled';
}

/**
 * gRPC status codes that Google's client libraries (Firestore, Cloud Tasks) put on their errors' `code`.
 * Named here so no module compares against a bare number.
 */
export const GRPC = {
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
} as const;

/** HTTP status that Cloud Storage's client puts on a missing object's error `code`. */
export const HTTP_NOT_FOUND = 404;

/** True when `err` carries `code` (a gRPC status or an HTTP status, as Google's libraries report them). */
export function hasCode(err: unknown, code: number | string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
