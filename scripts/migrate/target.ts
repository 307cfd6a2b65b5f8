// Which Firebase project the migration writes to, and the firebase-admin default app for it. The functions'
// own modules (functions/src/firebase.ts) take the default app when one exists, so the code the migration
// reuses from them talks to the same project.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applicationDefault, getApps, initializeApp } from 'firebase-admin/app';
import { MigrateUsageError } from './args.js';

export interface Target {
  projectId: string;
  /** Emulator hosts when the migration runs against the local emulators; null for production. */
  emulators: { firestore: string; auth: string } | null;
}

/** The default project of `.firebaserc` (what `firebase use` chose), if there is one. */
function firebasercProject(root: string): string | undefined {
  const file = join(root, '.firebaserc');
  if (!existsSync(file)) return undefined;
  const rc = JSON.parse(readFileSync(file, 'utf8')) as { projects?: { default?: string } };
  return rc.projects?.default;
}

export function resolveTarget(
  project: string | undefined,
  env: NodeJS.ProcessEnv,
  root: string = process.cwd(),
): Target {
  const firestore = env.FIRESTORE_EMULATOR_HOST;
  const auth = env.FIREBASE_AUTH_EMULATOR_HOST;
  // Half on the emulators would move production users' data by what an emulator holds, or the reverse.
  if (!!firestore !== !!auth) {
    const [set, unset] = firestore
      ? ['FIRESTORE_EMULATOR_HOST', 'FIREBASE_AUTH_EMULATOR_HOST']
      : ['FIREBASE_AUTH_EMULATOR_HOST', 'FIRESTORE_EMULATOR_HOST'];
    throw new MigrateUsageError(
      `${set} is set but ${unset} is not: set both (emulators) or neither (production)`,
    );
  }
  const projectId = project ?? env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT ?? firebasercProject(root);
  if (!projectId) {
    throw new MigrateUsageError(
      'no Firebase project: pass --project <id> (or set GOOGLE_CLOUD_PROJECT, or `firebase use <id>`)',
    );
  }
  return { projectId, emulators: firestore && auth ? { firestore, auth } : null };
}

export function describeTarget(target: Target): string {
  return target.emulators
    ? `project ${target.projectId} on the emulators (Firestore ${target.emulators.firestore}, Auth ${target.emulators.auth})`
    : `project ${target.projectId} (production, Application Default Credentials)`;
}

/** Makes the default firebase-admin app point at the target. */
export function initAdmin(target: Target): void {
  if (getApps().some((a) => a.name === '[DEFAULT]')) throw new Error('firebase-admin is already initialised');
  initializeApp({
    projectId: target.projectId,
    // The emulators take no credentials; production uses ADC (a user login or the runtime's account).
    ...(target.emulators ? {} : { credential: applicationDefault() }),
  });
}
