// Children log to .emulators/logs/<service>.log so stdout stays a short status line per service; on a
// failed start the tail of the file is what the user needs to see.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_DIR } from './env.js';

export function logPath(service: string): string {
  return join(LOG_DIR, `${service}.log`);
}

/** Opens (truncating) the service's log file and returns its descriptor for a child's stdout/stderr. */
export function openLog(service: string): number {
  mkdirSync(LOG_DIR, { recursive: true });
  return openSync(logPath(service), 'w');
}

export function readLog(service: string): string {
  const path = logPath(service);
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

export function logSize(service: string): number {
  const path = logPath(service);
  return existsSync(path) ? statSync(path).size : 0;
}

/** The log from byte `offset` on (what a service wrote since then), without reading what came before. */
export function readLogFrom(service: string, offset: number): string {
  const length = logSize(service) - offset;
  if (length <= 0) return '';
  const buffer = Buffer.alloc(length);
  const fd = openSync(logPath(service), 'r');
  try {
    readSync(fd, buffer, 0, length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

export function tailLog(service: string, lines = 30): string {
  const all = readLog(service).trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/** Status line printer: the harness's own output, prefixed so it stands out among a command's output. */
export function status(message: string): void {
  process.stdout.write(`[emulators] ${message}\n`);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
