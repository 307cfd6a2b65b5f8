// Teardown: stop every child's process group, then wait until all the harness's ports can be bound again.
// Runs once whatever triggered it (normal end, error, signal, a crashed child).
import { runningChildren, stopChild } from './children.js';
import { portOwner, waitPortsFree } from './ports.js';
import { seconds, status } from './logs.js';
import { clearStorageBlobs } from './storage.js';

/** firebase-tools stops its emulators on SIGINT (its Ctrl-C path); the others stop on SIGTERM. */
const STOP_SIGNAL: Record<string, NodeJS.Signals> = { functions: 'SIGINT' };

let running: Promise<boolean> | undefined;

/** True once teardown began: a service that dies from now on was stopped, it did not fail. */
export function tearingDown(): boolean {
  return running !== undefined;
}

/** Stops everything; resolves true when every port in `ports` is free again. Idempotent. */
export function teardown(ports: readonly number[]): Promise<boolean> {
  running ??= (async () => {
    const started = Date.now();
    const children = [...runningChildren()];
    if (children.length === 0) return true;
    await Promise.all(
      children.map((child) => stopChild(child, STOP_SIGNAL[child.name] ?? 'SIGTERM', 10_000)),
    );
    clearStorageBlobs();
    const stillTaken = await waitPortsFree(ports, 10_000);
    for (const port of stillTaken)
      status(`port ${port} still taken after teardown (${await portOwner(port)})`);
    status(`stopped in ${seconds(Date.now() - started)}${stillTaken.length === 0 ? ', all ports free' : ''}`);
    return stillTaken.length === 0;
  })();
  return running;
}

/**
 * Last resort when the harness exits without teardown (an exception inside an exit path): SIGKILL every
 * remaining process group synchronously, so nothing outlives the harness.
 */
export function killAllNow(): void {
  for (const child of runningChildren()) {
    const pid = child.process.pid;
    if (pid === undefined) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
