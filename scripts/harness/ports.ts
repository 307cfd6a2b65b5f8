// Port checks: refuse to start on a taken port (naming who holds it) and, on teardown, wait until every
// port the harness used can be bound again, so a second run right after the first never collides.
import { createServer } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HOST } from './env.js';

const run = promisify(execFile);

/** True when nothing listens on host:port (we can bind it ourselves). */
export function isPortFree(port: number, host = HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Who listens on the port, from `ss -ltnpH` (e.g. `java pid=1234`), or '' when unknown. */
export async function portOwner(port: number): Promise<string> {
  try {
    const { stdout } = await run('ss', ['-ltnpH', `sport = :${port}`]);
    const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(stdout);
    return match ? `${match[1]} pid=${match[2]}` : '';
  } catch {
    return '';
  }
}

/** Every port of `ports` that is taken, with its owner where `ss` can tell. */
export async function takenPorts(ports: readonly number[]): Promise<{ port: number; owner: string }[]> {
  const taken: { port: number; owner: string }[] = [];
  for (const port of ports) {
    if (!(await isPortFree(port))) taken.push({ port, owner: await portOwner(port) });
  }
  return taken;
}

/** Waits until all ports are free; returns the ones still taken when the time ran out. */
export async function waitPortsFree(ports: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...ports];
  while (pending.length > 0) {
    const stillTaken: number[] = [];
    for (const port of pending) if (!(await isPortFree(port))) stillTaken.push(port);
    pending = stillTaken;
    if (pending.length === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return pending;
}
