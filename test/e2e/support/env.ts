// Where the emulators are, for tests. The harness (scripts/emulators.ts) sets these variables; the defaults
// are the same fixed ports, so a test also runs against emulators started by hand.
import {
  AUTH_HOST,
  FIRESTORE_HOST,
  FUNCTIONS_ORIGIN,
  NO_FIRESTORE_ENV,
  NO_FIRESTORE_REASON_ENV,
  PROJECT_ID,
  REGION,
  STORAGE_URL,
} from '../../../scripts/harness/env.js';

process.env.FIRESTORE_EMULATOR_HOST ??= FIRESTORE_HOST;
process.env.STORAGE_EMULATOR_HOST ??= STORAGE_URL;
process.env.FIREBASE_STORAGE_EMULATOR_HOST ??= new URL(process.env.STORAGE_EMULATOR_HOST).host;
process.env.FIREBASE_AUTH_EMULATOR_HOST ??= AUTH_HOST;
process.env.GCLOUD_PROJECT ??= PROJECT_ID;

function hostAndPort(hostPort: string): { host: string; port: number } {
  const url = new URL(hostPort.includes('://') ? hostPort : `http://${hostPort}`);
  return { host: url.hostname, port: Number(url.port) };
}

export const TEST_ENV = {
  projectId: PROJECT_ID,
  region: REGION,
  bucket: `${PROJECT_ID}.appspot.com`,
  firestoreHost: process.env.FIRESTORE_EMULATOR_HOST,
  firestore: hostAndPort(process.env.FIRESTORE_EMULATOR_HOST),
  storageUrl: process.env.STORAGE_EMULATOR_HOST,
  auth: hostAndPort(process.env.FIREBASE_AUTH_EMULATOR_HOST),
  functions: hostAndPort(process.env.FUNCTIONS_EMULATOR_ORIGIN ?? FUNCTIONS_ORIGIN),
} as const;

/**
 * Why these suites cannot run (the harness found no Firestore emulator on this machine), or null. Suites use
 * `describe.skipIf(E2E_SKIP_REASON !== null)`, and the reason is printed, so a skip is never silent.
 */
export const E2E_SKIP_REASON: string | null = process.env[NO_FIRESTORE_ENV]
  ? (process.env[NO_FIRESTORE_REASON_ENV] ?? 'the harness started no Firestore emulator')
  : null;
if (E2E_SKIP_REASON !== null) process.stderr.write(`\n!!! e2e suites SKIPPED: ${E2E_SKIP_REASON}\n\n`);
