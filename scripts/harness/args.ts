// Command line: `emulators.ts [--only a,b] [-- <command...>]`.
import { parseArgs as parseOptions } from 'node:util';
import { ALL_SERVICES, type ServiceName } from './env.js';

export interface HarnessArgs {
  services: ServiceName[];
  command: string[];
}

export const USAGE = `usage: tsx scripts/emulators.ts [--only ${ALL_SERVICES.join(',')}] [-- <command...>]`;

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): HarnessArgs {
  // Everything after the first `--` is the command, passed on untouched (its own flags are not ours).
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const command = separator === -1 ? [] : argv.slice(separator + 1);
  let only: string | undefined;
  try {
    ({
      values: { only },
    } = parseOptions({ args: [...own], options: { only: { type: 'string' } }, strict: true }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  let services: ServiceName[] = [...ALL_SERVICES];
  if (only !== undefined) {
    const names = only.split(',').map((s) => s.trim());
    if (names.every((n) => n === '')) throw new UsageError('--only needs a list of services');
    const unknown = names.filter((n) => !(ALL_SERVICES as readonly string[]).includes(n));
    if (unknown.length > 0) throw new UsageError(`unknown service ${unknown.join(', ')}`);
    // Keep the start order of ALL_SERVICES whatever order was typed.
    services = ALL_SERVICES.filter((s) => names.includes(s));
  }
  if (separator !== -1 && command.length === 0) throw new UsageError('nothing after --');
  return { services, command };
}
