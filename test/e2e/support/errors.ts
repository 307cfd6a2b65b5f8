// Asserting on HttpsErrors the way a client sees them: `functions/<code>` with the server's message and
// details.
import { FirebaseError } from 'firebase/app';
import type { InvalidArgumentDetail } from '@reelforge/schema';

export type HttpsErrorCode =
  | 'unauthenticated'
  | 'permission-denied'
  | 'invalid-argument'
  | 'not-found'
  | 'failed-precondition'
  | 'resource-exhausted'
  | 'unavailable'
  | 'internal'
  | 'already-exists'
  | 'aborted';

export interface CaughtHttpsError {
  code: HttpsErrorCode;
  message: string;
  details: unknown;
}

/**
 * Awaits `promise`, which must reject with an HttpsError of `code`. With `detailPath`, the error's details
 * (`[{ path, message }]`) must name a path containing it. Returns the error for further checks.
 */
export async function expectHttpsError(
  promise: Promise<unknown>,
  code: HttpsErrorCode,
  detailPath?: string,
): Promise<CaughtHttpsError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (err) {
    if (!(err instanceof FirebaseError)) throw err;
    const got = err.code.replace(/^functions\//, '');
    const details = (err as FirebaseError & { details?: unknown }).details;
    if (got !== code) {
      throw new Error(`expected ${code}, got ${got}: ${err.message} ${JSON.stringify(details ?? null)}`);
    }
    if (detailPath !== undefined) {
      const paths = Array.isArray(details) ? (details as InvalidArgumentDetail[]).map((d) => d.path) : [];
      if (!paths.some((p) => typeof p === 'string' && p.includes(detailPath))) {
        throw new Error(`expected a detail naming "${detailPath}", got ${JSON.stringify(details ?? null)}`);
      }
    }
    return { code: got as HttpsErrorCode, message: err.message, details };
  }
  throw new Error(`expected ${code}, but the call succeeded with ${JSON.stringify(result)}`);
}
