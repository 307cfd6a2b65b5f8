// The harness's machine-wide lock (scripts/harness/lock.ts): of several runs trying at the same moment
// exactly one gets it; a lock left by a process that is gone is taken over; the lock goes when its owner
// ends, however it ends.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tryLock, waitForLock } from '../../scripts/harness/lock.js';

// Contenders are plain node processes running the lock bundled once (starting each through tsx costs
// about a second of this machine's two cores).
const BUNDLE_DIR = mkdtempSync(join(tmpdir(), 'harness-lock-bundle-'));
const CONTENDER = join(BUNDLE_DIR, 'lock-contender.mjs');
beforeAll(() => {
  buildSync({
    entryPoints: [join(import.meta.dirname, 'support', 'lock-contender.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: CONTENDER,
    logLevel: 'error',
  });
});
afterAll(() => rmSync(BUNDLE_DIR, { recursive: true, force: true }));

interface Outcome {
  pid: number;
  acquired: boolean;
  holder?: number;
}

/** Runs one contender process; resolves with what it printed and how it ended. */
function contend(path: string, startAt: number, holdMs: number, end: 'exit' | 'throw' | 'kill' = 'exit') {
  const child = spawn(process.execPath, [CONTENDER, path, String(startAt), String(holdMs), end], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const printed = new Promise<Outcome>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as Outcome);
    });
    child.once('exit', () => reject(new Error(`contender ${child.pid} ended without a word`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { pid: child.pid!, printed, exited };
}

/** A pid that no process has right now: one of a child that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('harness lock', () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'harness-lock-'));
    path = join(dir, 'harness.lock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('of four processes trying at the same moment exactly one gets it; the others name its pid', async () => {
    const startAt = Date.now() + 1_000; // after every contender has loaded
    const contenders = Array.from({ length: 4 }, () => contend(path, startAt, 1_500));
    const outcomes = await Promise.all(contenders.map((c) => c.printed));
    const winners = outcomes.filter((o) => o.acquired);
    expect(winners).toHaveLength(1);
    for (const loser of outcomes.filter((o) => !o.acquired)) expect(loser.holder).toBe(winners[0]!.pid);
    expect(readFileSync(path, 'utf8').split(' ')[0]).toBe(String(winners[0]!.pid));
    await Promise.all(contenders.map((c) => c.exited));
    expect(existsSync(path)).toBe(false);
  });

  it('of four processes racing to take over the same stale lock exactly one gets it', async () => {
    writeFileSync(path, `${await deadPid()}\n`);
    const startAt = Date.now() + 1_000;
    const contenders = Array.from({ length: 4 }, () => contend(path, startAt, 1_500));
    const outcomes = await Promise.all(contenders.map((c) => c.printed));
    expect(outcomes.filter((o) => o.acquired)).toHaveLength(1);
    await Promise.all(contenders.map((c) => c.exited));
    expect(readdirSync(dir)).toEqual([]); // no lock, guard or draft left behind
  });

  it('takes over a lock whose pid is gone, and one whose pid now belongs to a newer process', async () => {
    writeFileSync(path, `${await deadPid()}\n`);
    const first = tryLock(path);
    expect(first.acquired).toBe(true);
    if (first.acquired) first.release();

    // Our own pid, but a start time that is not ours: the process that wrote it is gone, the pid reused.
    writeFileSync(path, `${process.pid} 1\n`);
    const second = tryLock(path);
    expect(second.acquired).toBe(true);
    if (second.acquired) second.release();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses while a live process holds it, naming that process, and gets it once it is released', async () => {
    const holder = contend(path, Date.now(), 500);
    expect((await holder.printed).acquired).toBe(true);
    expect(tryLock(path)).toEqual({ acquired: false, holder: holder.pid });
    const waited = await waitForLock(10_000, path, 50);
    expect(waited.acquired).toBe(true);
    if (waited.acquired) waited.release();
    expect((await waitForLock(100, path)).acquired).toBe(true);
  });

  it('is released when its owner exits normally or on an uncaught error, and taken over after a SIGKILL', async () => {
    for (const end of ['exit', 'throw'] as const) {
      const owner = contend(path, Date.now(), 200, end);
      expect((await owner.printed).acquired).toBe(true);
      expect(existsSync(path)).toBe(true);
      expect(await owner.exited).toBe(end === 'exit' ? 0 : 1);
      expect(existsSync(path)).toBe(false);
    }

    const killed = contend(path, Date.now(), 200, 'kill');
    expect((await killed.printed).acquired).toBe(true);
    await killed.exited;
    expect(existsSync(path)).toBe(true); // nothing runs after SIGKILL: the lock stays, stale
    const next = tryLock(path);
    expect(next.acquired).toBe(true);
    if (next.acquired) next.release();
  });
});
