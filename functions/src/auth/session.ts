// The caller's session, checked against Firebase Auth on every call. The callable layer decodes the ID token
// but cannot ask whether it was revoked: a token lives an hour, so a session whose refresh tokens were
// revoked (the Clerk uid migration, a "sign out everywhere", a disabled account) would keep acting for up
// to an hour. `verifyIdToken(token, true)` also reads the user record (one Auth lookup per call) and refuses
// a token issued before the revocation, or held by a disabled or deleted user.
import type { DecodedIdToken } from 'firebase-admin/auth';
import { auth } from '../firebase.js';

/** Auth error codes that mean "this token no longer signs anybody in", as opposed to Auth being unreachable. */
const REJECTED = new Set([
  'auth/id-token-revoked',
  'auth/id-token-expired',
  'auth/user-disabled',
  'auth/user-not-found',
  'auth/argument-error',
  'auth/invalid-id-token',
]);

/** The verified claims, or null when the token is revoked, expired, forged, or its user disabled or gone. */
export async function verifySession(rawToken: string | undefined): Promise<DecodedIdToken | null> {
  if (!rawToken) return null;
  try {
    return await auth().verifyIdToken(rawToken, true);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && REJECTED.has(code)) return null;
    throw err;
  }
}
