// Paid work needs a verified email (the backend refuses jobs otherwise, with failed-precondition). Against
// the local emulators no mail is sent, so a local account is verified on the spot through the Auth emulator,
// before the studio shows it (a first click on a paid step must not race the verification). Deployed, the
// sign-up asks Firebase to send the verification email; the person clicks its link.
import { sendEmailVerification, type User } from 'firebase/auth';
import { verifyEmailOnAuthEmulator } from '@reelforge/client/auth-emulator';
import type { Backend } from './firebase.js';

/** The user once their email is verified where it can be (locally); the same user otherwise. */
export async function withVerifiedEmail(backend: Backend, user: User | null): Promise<User | null> {
  if (!backend.emulators || !user?.email || user.emailVerified) return user;
  try {
    await verifyEmailOnAuthEmulator(backend.auth, {
      origin: `http://${location.hostname}:${__EMULATOR_PORTS__.auth}`,
      projectId: __EMULATOR_PROJECT_ID__,
    });
  } catch (err) {
    // The studio still works for everything free; a paid step will show the backend's refusal.
    console.warn('could not verify the email on the Auth emulator', err);
  }
  return user;
}

/** After a sign-up on a deployed project: the verification email (its link verifies the address). */
export async function sendVerification(backend: Backend, user: User): Promise<void> {
  if (!backend.emulators) await sendEmailVerification(user);
}
