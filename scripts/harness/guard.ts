// For test suites that need the emulators: skip loudly, never pass silently, when they are not up.
// The harness tells the command what it started (REELFORGE_EMULATORS) and, when Firestore cannot run on
// this machine, why (REELFORGE_NO_FIRESTORE, with the jar paths it looked in).
import { EMULATORS_ENV, NO_FIRESTORE_ENV, NO_FIRESTORE_REASON_ENV, type ServiceName } from './env.js';

function servicesUp(): ServiceName[] {
  return (process.env[EMULATORS_ENV] ?? '').split(',').filter(Boolean) as ServiceName[];
}

/** True when the Firestore emulator is up for this process (the base every emulator suite needs). */
export const emulatorsAvailable: boolean =
  process.env[NO_FIRESTORE_ENV] !== '1' && Boolean(process.env.FIRESTORE_EMULATOR_HOST);

/**
 * True when the suite must be skipped (use with `describe.skipIf(...)`); prints why, naming the missing
 * jar when that is the cause. `needs` lists the services the suite uses besides Firestore.
 */
export function skipUnlessEmulators(suiteName: string, needs: readonly ServiceName[] = []): boolean {
  let reason: string | undefined;
  if (process.env[NO_FIRESTORE_ENV] === '1') {
    reason = process.env[NO_FIRESTORE_REASON_ENV] ?? 'the Firestore emulator cannot run on this machine';
  } else if (!emulatorsAvailable) {
    reason =
      'no Firestore emulator (FIRESTORE_EMULATOR_HOST unset): run it through `tsx scripts/emulators.ts -- ...`';
  } else {
    const missing = needs.filter((service) => !servicesUp().includes(service));
    if (missing.length > 0) reason = `the harness did not start: ${missing.join(', ')}`;
  }
  if (reason === undefined) return false;
  console.warn(`\n!!! SKIPPED "${suiteName}": ${reason}\n`);
  return true;
}
