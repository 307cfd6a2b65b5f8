// A signed-in caller for the bundle's callables run in this process (`fn.run({ data, auth })`). The callable
// wrapper verifies the caller's ID token against Auth, revocation included, as it does for a request over
// HTTP, so a benchmark's synthetic uid needs a real session on the Auth emulator: an unsigned custom token
// (which the emulator accepts) exchanged for an ID token, as the Clerk sign-in does. The account signs in
// with a custom token, so it may start paid work without a verified email (functions/src/auth/paid-work.ts).
import { AUTH_HOST, PROJECT_ID } from '../../scripts/harness/env.js';

export interface CallerAuth {
  uid: string;
  token: Record<string, unknown>;
  rawToken: string;
}

const AUDIENCE = 'https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit';
const sessions = new Map<string, Promise<CallerAuth>>();

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function signIn(uid: string): Promise<CallerAuth> {
  const now = Math.floor(Date.now() / 1000);
  const issuer = `emulated@${PROJECT_ID}.iam.gserviceaccount.com`;
  const claims = { aud: AUDIENCE, iss: issuer, sub: issuer, uid, iat: now, exp: now + 3600 };
  const customToken = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
  const res = await fetch(
    `http://${AUTH_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithCustomToken?key=bench`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: customToken, returnSecureToken: true }),
    },
  );
  if (!res.ok) throw new Error(`the Auth emulator refused a session for ${uid}: ${await res.text()}`);
  const { idToken } = (await res.json()) as { idToken: string };
  const token = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  return { uid, token, rawToken: idToken };
}

/** The `auth` of a callable request from `uid`, signed in once per uid. */
export function callerAuth(uid: string): Promise<CallerAuth> {
  let session = sessions.get(uid);
  if (!session) sessions.set(uid, (session = signIn(uid)));
  return session;
}
