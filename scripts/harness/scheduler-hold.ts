// A test that builds stale-looking state by hand (jobs back-dated by hours) and sweeps it in-process must
// not have the harness's own scheduled sweep act on that state between its steps: with REELFORGE_SWEEP_EVERY
// at 2 s it would, and the test would see jobs requeued or failed that it never swept. So a test can hold
// the local scheduler: it creates the hold file and waits for the scheduler's acknowledgement, which the
// scheduler gives only when no run is in flight; while the file exists no run starts. Removing the file
// lets the runs go on. Files, not an HTTP call: the scheduler lives in the harness process, the tests in
// vitest's, and both already share the project's .emulators directory.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './env.js';

export const HOLD_FILE = join(ROOT, '.emulators', 'scheduler.hold');
/** Written by the scheduler: held, and no run in flight. */
export const HELD_FILE = join(ROOT, '.emulators', 'scheduler.held');

export interface HoldFiles {
  hold: string;
  held: string;
}

const DEFAULT_FILES: HoldFiles = { hold: HOLD_FILE, held: HELD_FILE };

/** Scheduler side: whether a run may start now. */
export function isHeld(files: HoldFiles = DEFAULT_FILES): boolean {
  return existsSync(files.hold);
}

/**
 * Scheduler side, called often: acknowledges a hold once no run is in flight, and withdraws the
 * acknowledgement once the hold is gone.
 */
export function acknowledgeHold(runInFlight: boolean, files: HoldFiles = DEFAULT_FILES): void {
  if (isHeld(files)) {
    if (!runInFlight && !existsSync(files.held)) writeFileSync(files.held, String(process.pid));
  } else if (existsSync(files.held)) {
    rmSync(files.held, { force: true });
  }
}

/** Both files gone: at the harness's start and end, so no hold outlives the run that made it. */
export function clearHold(files: HoldFiles = DEFAULT_FILES): void {
  rmSync(files.hold, { force: true });
  rmSync(files.held, { force: true });
}

/**
 * Test side: holds the scheduler and resolves once no scheduled run is in flight; the returned function
 * lets it go again. Without a local scheduler (a run that does not play Cloud Scheduler) there is nothing to
 * hold.
 */
export async function holdScheduler({
  timeoutMs = 120_000,
  files = DEFAULT_FILES,
  schedulerRunning = true,
} = {}): Promise<() => void> {
  const release = () => rmSync(files.hold, { force: true });
  if (!schedulerRunning) return () => undefined;
  writeFileSync(files.hold, String(process.pid));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(files.held)) {
    if (Date.now() > deadline) {
      release();
      throw new Error(`the local scheduler did not acknowledge ${files.hold} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return release;
}
