// Email verification on the Firebase Auth emulator, for local sign-ups (the demo, the studio served from
// localhost, the tests). Paid work needs a verified email (functions/src/auth/paid-work.ts), and the emulator
// sends no mail: it keeps each out-of-band code it would have mailed, listed by its REST API. This asks for
// the verification email as a real client does, applies the code from that list as clicking the link would,
// and refreshes the ID token so its `email_verified` claim is true. Never used against a real project.
import { applyActionCode, sendEmailVerification, type Auth } from 'firebase/auth';

export interface AuthEmulator {
  /** e.g. http://127.0.0.1:9099 */
  origin: string;
  projectId: string;
}

interface OobCode {
  email: string;
  requestType: string;
  oobCode: string;
}

export async function verifyEmailOnAuthEmulator(auth: Auth, emulator: AuthEmulator): Promise<void> {
  const user = auth.currentUser;
  if (!user?.email) throw new Error('verifyEmailOnAuthEmulator: nobody with an email is signed in');
  await sendEmailVerification(user);
  const res = await fetch(`${emulator.origin}/emulator/v1/projects/${emulator.projectId}/oobCodes`);
  if (!res.ok) throw new Error(`the Auth emulator did not list its codes (HTTP ${res.status})`);
  const { oobCodes } = (await res.json()) as { oobCodes: OobCode[] };
  const email = user.email.toLowerCase();
  const code = oobCodes
    .filter((c) => c.requestType === 'VERIFY_EMAIL' && c.email.toLowerCase() === email)
    .pop();
  if (!code) throw new Error(`the Auth emulator holds no verification code for ${user.email}`);
  await applyActionCode(auth, code.oobCode);
  await user.reload();
  await user.getIdToken(true);
}
