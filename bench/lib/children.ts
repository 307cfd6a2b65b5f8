// Runs a benchmark child process and reads the one JSON line it prints.
import { spawn } from 'node:child_process';

export interface ChildOptions {
  env?: Record<string, string>;
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** `node [nodeArgs] <args...>`; resolves with the last stdout line parsed as JSON. */
export function runNodeJson<T>(args: readonly string[], options: ChildOptions = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last) {
        reject(new Error(`child ${args.join(' ')} ended ${signal ?? code}: ${stderr.trim().slice(-2000)}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`child ${args.join(' ')} printed no JSON: ${last.slice(0, 500)}`));
      }
    });
  });
}
