// Every failure the SDK reports is a ReelforgeError with a typed code: the callable's own HttpsError code
// (without Firebase's `functions/` prefix), or one of the SDK's: `invalid-response` when the backend
// answered outside its schema. A request refused before sending is `invalid-argument` with the same
// `[{ path, message }]` details the backend gives, so a form handles both the same way.
import type { InvalidArgumentDetail } from '@reelforge/schema';

/** The gRPC-style codes a callable (or a Firestore listener) fails with. */
export const SERVER_ERROR_CODES = [
  'cancelled',
  'unknown',
  'invalid-argument',
  'deadline-exceeded',
  'not-found',
  'already-exists',
  'permission-denied',
  'resource-exhausted',
  'failed-precondition',
  'aborted',
  'out-of-range',
  'unimplemented',
  'internal',
  'unavailable',
  'data-loss',
  'unauthenticated',
] as const;
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];
export type ReelforgeErrorCode = ServerErrorCode | 'invalid-response';

export class ReelforgeError extends Error {
  override name = 'ReelforgeError';
  constructor(
    readonly code: ReelforgeErrorCode,
    message: string,
    /** `invalid-argument`: the fields at fault; otherwise whatever the backend attached. */
    readonly details?: unknown,
    /** The callable (or `subscribeProject`) that failed. */
    readonly operation?: string,
  ) {
    super(message);
  }

  /** The `[{ path, message }]` list of an `invalid-argument` error, empty for other errors. */
  get fieldErrors(): InvalidArgumentDetail[] {
    if (this.code !== 'invalid-argument' || !Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is InvalidArgumentDetail =>
        typeof d === 'object' && d !== null && typeof (d as InvalidArgumentDetail).path === 'string',
    );
  }
}

export function isReelforgeError(err: unknown, code?: ReelforgeErrorCode): err is ReelforgeError {
  return err instanceof ReelforgeError && (code === undefined || err.code === code);
}

function isServerCode(code: string): code is ServerErrorCode {
  return (SERVER_ERROR_CODES as readonly string[]).includes(code);
}

/** Turns whatever the Firebase SDK threw (FunctionsError, FirestoreError, a network failure) into a
 * ReelforgeError; codes outside the known list become `unknown`. */
export function toReelforgeError(err: unknown, operation: string): ReelforgeError {
  if (err instanceof ReelforgeError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    message?: unknown;
    details?: unknown;
  };
  const raw = typeof e.code === 'string' ? e.code.replace(/^(functions|firestore)\//, '') : 'unknown';
  const message = typeof e.message === 'string' ? e.message : String(err);
  return new ReelforgeError(isServerCode(raw) ? raw : 'unknown', message, e.details, operation);
}
