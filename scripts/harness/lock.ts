// One harness per machine: the emulator ports are fixed, so two runs that both found the ports free at the
// same moment would both start and collide. The supervisor therefore takes this lock before it looks at
// the ports and keeps it until its teardown has freed them again.
//
// The lock is a file in the OS temp dir holding the owner's pid and that process's start time (so a pid
// the kernel has since given to another process does not keep a dead run's lock alive). It is created
// whole and atomically: the content is written to a private file first and then hard-linked to the lock's
// name, which fails when the name exists (an O_EXCL create would let a contender read a half-written file).
// A lock whose owner is gone (killed with SIGKILL, say) is stale and is taken over. Removing a stale lock is
// done under a second, short-lived guard file of the same kind, re-reading the lock under it: without the
// guard, two contenders that both saw the same stale lock could have one remove the fresh lock the other
// had just made in its place.
import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The machine-wide lock of the harness (the ports it guards are machine-wide too). Not
 * `reelforge-harness.lock`: people's own scripts use that name with flock(1), whose empty file this lock
 * would take for a stale one and remove.
 */
export const HARNESS_LOCK_PATH = join(tmpdir(), 'reelforge-harness.pid');

/** Who holds a lock file: its pid, and the start time of that process when /proc could tell it. */
interface Owner {
  pid: number;
  start?: string;
}

export type LockAttempt = { acquired: true; release: () => void } | { acquired: false; holder: number };

/** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22); undefined off Linux. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces, so count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function describe(owner: Owner): string {
  return owner.start === undefined ? `${owner.pid}\n` : `${owner.pid} ${owner.start}\n`;
}

/** The owner written in a lock file, or undefined when there is no such file (it was just released). */
function readOwner(path: string): Owner | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const [pid, start] = text.trim().split(/\s+/);
  // Unreadable content cannot name a live owner: pid 0 is never alive below.
  return { pid: Number.isInteger(Number(pid)) ? Number(pid) : 0, start };
}

/** True while the process that wrote `owner` runs (the same pid and, where recorded, the same start). */
function alive(owner: Owner): boolean {
  if (owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false; // EPERM: alive, someone else's
  }
  if (owner.start === undefined) return true;
  const now = startTime(owner.pid);
  return now === undefined || now === owner.start;
}

/** Creates `path` holding `owner`, atomically; false when it already exists. */
function create(path: string, owner: Owner): boolean {
  const draft = `${path}.${owner.pid}.${process.hrtime.bigint()}`;
  writeFileSync(draft, describe(owner));
  try {
    linkSync(draft, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(draft, { force: true });
  }
}

/** Removes `path` only if it still names `owner`; ENOENT is fine (someone else removed it first). */
function removeIfOwnedBy(path: string, owner: Owner): void {
  const now = readOwner(path);
  if (now?.pid !== owner.pid || now.start !== owner.start) return;
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Tries once to take the lock at `path` for this process (or for `pid`, in tests). Takes over a lock whose
 * owner is gone. On success `release()` removes it (only if it is still ours; calling it twice is fine), and
 * so does this process's exit.
 */
export function tryLock(path: string = HARNESS_LOCK_PATH, pid: number = process.pid): LockAttempt {
  const me: Owner = { pid, start: startTime(pid) };
  const guard = `${path}.takeover`;
  // Bounded: each turn either takes the lock, finds a live holder, or removes one stale file.
  for (let turn = 0; turn < 8; turn++) {
    if (create(path, me)) {
      const release = () => {
        process.off('exit', release);
        removeIfOwnedBy(path, me);
      };
      // Every way this process ends that still runs JavaScript (process.exit, an uncaught error) lets go.
      // A SIGKILL cannot be caught: that lock is stale, and the next run takes it over.
      if (pid === process.pid) process.on('exit', release);
      return { acquired: true, release };
    }
    const holder = readOwner(path);
    if (holder === undefined) continue; // released between our attempt and the read: try again
    if (alive(holder)) return { acquired: false, holder: holder.pid };
    // Stale. Remove it under the guard, and only if it is still the same stale lock.
    if (!create(guard, me)) {
      const taker = readOwner(guard);
      if (taker !== undefined && alive(taker)) return { acquired: false, holder: taker.pid };
      // The guard's own owner died in the instant it held it: clear it and try again.
      if (taker !== undefined) removeIfOwnedBy(guard, taker);
      continue;
    }
    try {
      const still = readOwner(path);
      if (still !== undefined && !alive(still)) removeIfOwnedBy(path, still);
    } finally {
      removeIfOwnedBy(guard, me);
    }
  }
  const holder = readOwner(path);
  return { acquired: false, holder: holder?.pid ?? 0 };
}

/** Tries to take the lock until `timeoutMs` has passed, every `pollMs`; the last attempt is returned. */
export async function waitForLock(
  timeoutMs: number,
  path: string = HARNESS_LOCK_PATH,
  pollMs = 250,
): Promise<LockAttempt> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const attempt = tryLock(path);
    if (attempt.acquired || Date.now() >= deadline) return attempt;
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}
