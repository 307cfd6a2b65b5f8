// exchangeClerkToken: a Clerk-signed-in client trades its Clerk session JWT for a Firebase custom token whose
// uid is `clerk:<Clerk user id>`, then signs in to Firebase with it. Public: the caller has no Firebase user yet.
import { HttpsError } from 'firebase-functions/v2/https';
import {
  ClerkKeysUnavailable,
  ClerkTokenRejected,
  verifyClerkToken,
  type ClerkConfig,
} from '../auth/clerk.js';
import { csv, isEmulated, params } from '../config.js';
import { auth } from '../firebase.js';
import { log } from '../log.js';
import { callable } from './callable.js';

function clerkConfig(): ClerkConfig {
  const config: ClerkConfig = {
    jwksUrl: params.clerkJwksUrl.value(),
    issuer: params.clerkIssuer.value(),
    authorizedParties: csv(params.clerkAuthorizedParties.value()),
  };
  const missing = [
    !config.jwksUrl && 'CLERK_JWKS_URL',
    !config.issuer && 'CLERK_ISSUER',
    config.authorizedParties.length === 0 && 'CLERK_AUTHORIZED_PARTIES',
  ].filter(Boolean);
  if (missing.length > 0) {
    log.warn('Clerk sign-in is not configured', { missing });
    throw new HttpsError('failed-precondition', 'Clerk sign-in is not configured on this server.');
  }
  // Keys fetched over plain HTTP could be swapped in transit; only the local emulators may use it.
  if (!isEmulated() && !config.jwksUrl.startsWith('https://')) {
    log.warn('CLERK_JWKS_URL must be https outside the emulators', { jwksUrl: config.jwksUrl });
    throw new HttpsError('failed-precondition', 'Clerk sign-in is not configured on this server.');
  }
  return config;
}

export const exchangeClerkToken = callable(
  'exchangeClerkToken',
  async ({ token }) => {
    const config = clerkConfig();
    try {
      const { uid } = await verifyClerkToken(token, config);
      return { custom_token: await auth().createCustomToken(uid), uid };
    } catch (err) {
      if (err instanceof ClerkTokenRejected) throw new HttpsError('unauthenticated', err.message);
      if (err instanceof ClerkKeysUnavailable) {
        log.warn(err.message, { jwksUrl: config.jwksUrl });
        throw new HttpsError('unavailable', 'Could not reach Clerk to verify the token; please try again.');
      }
      throw err;
    }
  },
  { public: true },
);
