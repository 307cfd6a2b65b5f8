// Readiness polling. A service is ready when it answers, not when its process exists; a child that dies
// while we wait ends the wait at once instead of at the timeout.
import { connect } from 'node:net';
import type { Child } from './children.js';
import { HOST } from './env.js';

export class StartError extends Error {}

/** Polls `probe` every `intervalMs` until it returns true; fails on timeout or if `child` exits first. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; child?: Child; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let exitCode: number | undefined;
  void options.child?.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new StartError(`${what}: process exited with code ${exitCode}`);
    let ready = false;
    try {
      ready = await probe();
    } catch (err) {
      // A probe may declare the start failed (StartError); any other error just means "not yet".
      if (err instanceof StartError) throw err;
    }
    if (ready) return;
    if (Date.now() > deadline) throw new StartError(`${what}: not ready after ${options.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}

/** GET url with a short timeout; the response text, or undefined when nothing answered. */
export async function httpText(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return await res.text();
  } catch {
    return undefined;
  }
}

/** True when something accepts TCP connections on the port. */
export function tcpOpen(port: number, host = HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
