// Runs ffmpeg as a child process: progress from its `-progress pipe:1` stream, errors from the tail of its
// stderr, and a kill when the caller aborts or its progress callback throws (the job was canceled).
import { spawn } from 'node:child_process';
import { progressReader } from './progress.js';

export interface RunOptions {
  /** Length of the output in seconds, to turn positions into percentages. */
  totalSeconds: number;
  /** 0..100. May be async; if it throws, ffmpeg is stopped and the run fails with that error. */
  onProgress?: (percent: number) => unknown;
  signal?: AbortSignal;
}

/** ffmpeg ran and failed. `exitCode` null means it was killed by a signal we did not send. */
export class FfmpegError extends Error {
  override name = 'FfmpegError';
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

const STDERR_TAIL_CHARS = 4000;

/** Resolves with the tail of ffmpeg's stderr (where filters such as loudnorm print their measurements). */
export function runFfmpeg(binary: string, args: readonly string[], opts: RunOptions): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(opts.signal.reason as Error);
      return;
    }
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    // Set when we stop ffmpeg ourselves: the run then fails with this reason, not ffmpeg's exit status.
    let stopReason: unknown;
    let reporting = false;

    const stop = (reason: unknown) => {
      if (stopReason !== undefined) return;
      stopReason = reason ?? new Error('ffmpeg was stopped');
      child.kill('SIGKILL');
    };
    const onAbort = () => stop(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const report = (percent: number) => {
      // One report at a time; positions that arrive meanwhile are dropped (the next one supersedes them).
      if (!opts.onProgress || reporting || stopReason !== undefined) return;
      reporting = true;
      Promise.resolve()
        .then(() => opts.onProgress?.(percent))
        .then(
          () => (reporting = false),
          (err: unknown) => stop(err),
        );
    };
    const total = Math.max(opts.totalSeconds, 0.001);
    const read = progressReader((seconds, ended) => {
      if (!ended) report(Math.min(100, (100 * seconds) / total));
    });
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });

    child.on('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(stopReason ?? err);
    });
    child.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (stopReason !== undefined) reject(stopReason);
      else if (code === 0) resolve(stderr);
      else {
        const last = stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
        const status = code === null ? `was killed (${signal ?? 'signal'})` : `exited with code ${code}`;
        reject(new FfmpegError(`ffmpeg ${status}${last ? `: ${last}` : ''}`, code, stderr));
      }
    });
  });
}
