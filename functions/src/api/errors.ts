// The HttpsErrors a client can act on. Every message says what went wrong in words a person can use.
import { HttpsError } from 'firebase-functions/v2/https';
import type { InvalidArgumentDetail } from '@reelforge/schema';

export const notFound = (what: string) => new HttpsError('not-found', `${what} was not found.`);

export const invalidArgument = (details: InvalidArgumentDetail[]) =>
  new HttpsError(
    'invalid-argument',
    details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ') || 'Invalid request.',
    details,
  );

export const preconditionFailed = (message: string) => new HttpsError('failed-precondition', message);

export const limitReached = (message: string) => new HttpsError('resource-exhausted', message);

export const unauthenticated = () => new HttpsError('unauthenticated', 'Sign in to call this function.');
