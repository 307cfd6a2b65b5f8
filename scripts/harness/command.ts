// The command run under the harness (`-- <command...>`): inherits the terminal, runs in its own process
// group so a teardown reaches its workers (vitest forks, tsx's inner node) too.
import { startChild, type Child } from './children.js';

export function startCommand(command: readonly string[], env: Record<string, string>): Child {
  const [file, ...args] = command;
  if (!file) throw new Error('empty command');
  // PATH lookup like a shell: `vitest`, `tsx` resolve from node_modules/.bin under `npm run`.
  return startChild('command', file, args, { output: 'inherit', env });
}
