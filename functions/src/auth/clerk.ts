// Verification of Clerk session JWTs (DESIGN.md "Security"): signature against Clerk's published JWKS,
// issuer, expiry and not-before, and the authorized party (`azp`, the origin of the browser session) from an
// allow-list. The verified `sub`, namespaced as `clerk:<sub>`, becomes the Firebase uid: a Clerk user can
// never take the uid of a user who signed in another way. A session whose status (`sts`) is not active
// (e.g. pending a task such as choosing an organization) is refused.
import type * as Jose from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';

// jose loads on the first Clerk exchange, not when the functions start (cold start is benchmarked).
let joseModule: Promise<typeof Jose> | undefined;
const loadJose = () => (joseModule ??= import('jose'));

/** Clerk signs with RS256; ES256 is accepted for instances configured with EC keys. Nothing else, and never
 * `none` (jose refuses any algorithm not listed here before it looks for a key). */
const ALGORITHMS = ['RS256', 'ES256'];
/** Seconds of clock skew tolerated on exp/nbf between Clerk and us. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Firebase uids are at most 128 characters. */
const UID_MAX = 128;
/** Every Clerk user's Firebase uid starts with this; no other sign-in method makes such uids. */
export const CLERK_UID_PREFIX = 'clerk:';

export interface ClerkConfig {
  jwksUrl: string;
  issuer: string;
  /** Allowed `azp` values (origins). A token without `azp` is refused: Clerk sets it on browser sessions. */
  authorizedParties: readonly string[];
}

export interface ClerkIdentity {
  uid: string;
  claims: JWTPayload;
}

/** The token is not acceptable; the message says why, for the caller. */
export class ClerkTokenRejected extends Error {}

/** The JWKS could not be fetched or read: our side (or Clerk's), not the caller's. */
export class ClerkKeysUnavailable extends Error {}

// One key set per URL per instance: jose caches the keys (10 min) and refetches on an unknown `kid` (at most
// every 30 s), so Clerk's key rotation is picked up without a fetch per call.
const keySets = new Map<string, JWTVerifyGetKey>();

function keySet(jose: typeof Jose, jwksUrl: string): JWTVerifyGetKey {
  let remote = keySets.get(jwksUrl);
  if (!remote) {
    remote = jose.createRemoteJWKSet(new URL(jwksUrl));
    keySets.set(jwksUrl, remote);
  }
  const getKey = remote;
  // Separate "no key matches this token" (the token's fault) from "could not get the keys" (ours).
  return async (header, token) => {
    try {
      return await getKey(header, token);
    } catch (err) {
      const { errors } = jose;
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys)
        throw err;
      if (err instanceof errors.JOSENotSupported || err instanceof errors.JOSEAlgNotAllowed) throw err;
      throw new ClerkKeysUnavailable(`Could not load Clerk's signing keys: ${(err as Error).message}`, {
        cause: err,
      });
    }
  };
}

export async function verifyClerkToken(token: string, config: ClerkConfig): Promise<ClerkIdentity> {
  const jose = await loadJose();
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jose.jwtVerify(token, keySet(jose, config.jwksUrl), {
      algorithms: ALGORITHMS,
      issuer: config.issuer,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp'],
    }));
  } catch (err) {
    if (err instanceof ClerkKeysUnavailable) throw err;
    throw new ClerkTokenRejected(rejectionReason(jose.errors, err));
  }
  const azp = claims.azp;
  if (typeof azp !== 'string' || !config.authorizedParties.includes(azp)) {
    throw new ClerkTokenRejected(
      typeof azp === 'string'
        ? `The Clerk session token was issued for ${azp}, which is not an authorized party.`
        : 'The Clerk session token names no authorized party (azp).',
    );
  }
  // Session tokens v2 carry the session's status; only an active session signs in.
  if (claims.sts !== undefined && claims.sts !== 'active') {
    throw new ClerkTokenRejected(
      `The Clerk session is ${typeof claims.sts === 'string' ? claims.sts : 'not active'}, not active.`,
    );
  }
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > UID_MAX - CLERK_UID_PREFIX.length) {
    throw new ClerkTokenRejected('The Clerk session token has no usable subject (sub).');
  }
  return { uid: `${CLERK_UID_PREFIX}${sub}`, claims };
}

function rejectionReason(errors: typeof Jose.errors, err: unknown): string {
  const prefix = 'The Clerk session token';
  if (err instanceof errors.JWTExpired) return `${prefix} has expired.`;
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return `${prefix} lacks the required "${err.claim}" claim.`;
    if (err.claim === 'nbf') return `${prefix} is not valid yet.`;
    if (err.claim === 'iss') return `${prefix} was not issued by the configured Clerk instance.`;
    return `${prefix} has an invalid "${err.claim}" claim.`;
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return `${prefix} uses a signing algorithm that is not accepted.`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return `${prefix} has an invalid signature.`;
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return `${prefix} is not signed by a key Clerk publishes.`;
  }
  return `${prefix} is malformed.`;
}
