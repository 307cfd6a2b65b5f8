// A test's hold on the local scheduler: granted only when no scheduled run is in flight, and while held no
// run may start; letting go withdraws the acknowledgement.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acknowledgeHold,
  holdScheduler,
  isHeld,
  type HoldFiles,
} from '../../scripts/harness/scheduler-hold.js';

const dirs: string[] = [];
function files(): HoldFiles {
  const dir = mkdtempSync(join(tmpdir(), 'reelforge-hold-'));
  dirs.push(dir);
  return { hold: join(dir, 'scheduler.hold'), held: join(dir, 'scheduler.held') };
}
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const tick = () => new Promise((resolve) => setTimeout(resolve, 120));

describe('holding the local scheduler', () => {
  it('is granted only once the run in flight has ended, and stops runs from starting meanwhile', async () => {
    const f = files();
    let granted = false;
    const holding = holdScheduler({ files: f, timeoutMs: 5_000 }).then((release) => {
      granted = true;
      return release;
    });
    await tick();
    expect(isHeld(f)).toBe(true); // no new run starts from here on
    acknowledgeHold(true, f); // a run is still in flight
    await tick();
    expect(granted).toBe(false);
    acknowledgeHold(false, f); // it ended
    const release = await holding;
    expect(granted).toBe(true);

    release();
    expect(isHeld(f)).toBe(false);
    acknowledgeHold(false, f);
    expect(existsSync(f.held)).toBe(false);
  });

  it('without a local scheduler there is nothing to hold or wait for', async () => {
    const f = files();
    const release = await holdScheduler({ files: f, schedulerRunning: false });
    expect(isHeld(f)).toBe(false);
    release();
  });

  it('gives up with a message naming the file when nothing acknowledges it', async () => {
    const f = files();
    await expect(holdScheduler({ files: f, timeoutMs: 200 })).rejects.toThrow(/did not acknowledge/);
    expect(isHeld(f)).toBe(false);
  });
});
