// Command line: `emulators.ts [--only a,b] [-- <command...>]`.
import { ALL_SERVICES, type ServiceName } from './env.js';

export interface HarnessArgs {
  services: ServiceName[];
  command: string[];
}

export const USAGE = `usage: tsx scripts/emulators.ts [--only ${ALL_SERVICES.join(',')}] [-- <command...>]`;

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): HarnessArgs {
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const command = separator === -1 ? [] : argv.slice(separator + 1);
  let services: ServiceName[] = [...ALL_SERVICES];
  for (let i = 0; i < own.length; i++) {
    const arg = own[i] ?? '';
    let list: string | undefined;
    if (arg === '--only') list = own[++i];
    else if (arg.startsWith('--only=')) list = arg.slice('--only='.length);
    else throw new UsageError(`unknown argument ${arg}`);
    if (!list) throw new UsageError('--only needs a list of services');
    const names = list.split(',').map((s) => s.trim());
    const unknown = names.filter((n) => !(ALL_SERVICES as readonly string[]).includes(n));
    if (unknown.length > 0) throw new UsageError(`unknown service ${unknown.join(', ')}`);
    // Keep the start order of ALL_SERVICES whatever order was typed.
    services = ALL_SERVICES.filter((s) => names.includes(s));
  }
  if (separator !== -1 && command.length === 0) throw new UsageError('nothing after --');
  return { services, command };
}
