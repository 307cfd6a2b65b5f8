// Child processes of the harness. Each runs in its own process group (detached) so teardown can signal
// the whole tree with kill(-pid): firebase-tools' function workers, the JVM and tsx's inner node would
// otherwise outlive a kill of the direct child.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync } from 'node:fs';
import { ROOT } from './env.js';
import { openLog } from './logs.js';

export interface Child {
  name: string;
  process: ChildProcess;
  /** Resolves with the exit code (or 128+signal) once the process has exited. */
  exited: Promise<number>;
  /** True once the harness itself asked it to stop, so its exit is not reported as a crash. */
  stopping: boolean;
}

const children: Child[] = [];

export function runningChildren(): readonly Child[] {
  return children;
}

interface SpawnOptions {
  env?: Record<string, string>;
  /** 'log' sends stdout+stderr to .emulators/logs/<name>.log; 'inherit' shares the terminal. */
  output: 'log' | 'inherit';
}

const SIGNAL_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function startChild(name: string, command: string, args: string[], options: SpawnOptions): Child {
  const logFd = options.output === 'log' ? openLog(name) : undefined;
  const stdio: StdioOptions = logFd === undefined ? 'inherit' : ['ignore', logFd, logFd];
  const proc = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    stdio,
    env: { ...process.env, ...options.env },
  });
  if (logFd !== undefined) closeSync(logFd); // the child holds its own copy
  const exited = new Promise<number>((resolve) => {
    proc.once('error', (err) => {
      process.stderr.write(`[emulators] ${name}: cannot start ${command}: ${err.message}\n`);
      resolve(127);
    });
    proc.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? (SIGNAL_CODES[signal] ?? 0) : 0)));
  });
  const child: Child = { name, process: proc, exited, stopping: false };
  children.push(child);
  void exited.then(() => children.splice(children.indexOf(child), 1));
  return child;
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  const pid = child.process.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Stops one child's whole process group: `signal` first (a graceful stop), SIGKILL after `graceMs`.
 * Waits for the direct child to exit and then kills any stragglers left in its group.
 */
export async function stopChild(child: Child, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  child.stopping = true;
  signalGroup(child, signal);
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  if ((await Promise.race([child.exited, timer])) === 'timeout') {
    process.stderr.write(
      `[emulators] ${child.name} did not stop on ${signal} in ${graceMs} ms; killing it\n`,
    );
  }
  // Grandchildren (a function worker, tsx's inner node) may outlive the leader: clear the group.
  signalGroup(child, 'SIGKILL');
  await child.exited;
}
