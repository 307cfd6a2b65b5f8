// The functions emulator's log, which the harness writes to .emulators/logs/functions.log: the only place a
// test can see that a task delivery ran and what the task made of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_DIR } from '../../../scripts/harness/env.js';
import { sleep } from '../pipeline/jobs.js';

export const FUNCTIONS_LOG = join(LOG_DIR, 'functions.log');

export function functionsLog(): string {
  try {
    return readFileSync(FUNCTIONS_LOG, 'utf8');
  } catch {
    return '';
  }
}

/** Occurrences of `needle` in the log. */
export const logCount = (needle: string) => functionsLog().split(needle).length - 1;

/** Waits until `needle` occurs at least `count` times in the log; returns whether it did in time. */
export async function waitForLog(needle: string, count: number, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (logCount(needle) >= count) return true;
    await sleep(200);
  }
  return false;
}

/** Deliveries of `jobId` the task runner acknowledged without acting (its job_skipped log lines). */
export const skippedDeliveries = (jobId: string) =>
  functionsLog()
    .split('\n')
    .filter((line) => line.includes('"event":"job_skipped"') && line.includes(`"job_id":"${jobId}"`)).length;
