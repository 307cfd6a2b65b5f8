// What the benchmarks need from the local harness (scripts/emulators.ts): whether it is up, and the provider
// stand-in's admin API (run-time config, counters), with every config change undone afterwards.
import {
  EMULATORS_ENV,
  NO_FIRESTORE_ENV,
  NO_FIRESTORE_REASON_ENV,
  STANDIN_URL,
  type ServiceName,
} from '../../scripts/harness/env.js';
import type { StandinStats } from '../../scripts/standin/stats.js';

const NEEDED: readonly ServiceName[] = ['firestore', 'storage', 'standin', 'functions'];

/** Why the harness-bound benchmarks cannot run in this process, or null when they can. */
export function harnessMissing(): string | null {
  if (process.env[NO_FIRESTORE_ENV]) {
    return process.env[NO_FIRESTORE_REASON_ENV] ?? 'the harness started no Firestore emulator';
  }
  const up = (process.env[EMULATORS_ENV] ?? '').split(',').filter(Boolean);
  const missing = NEEDED.filter((s) => !up.includes(s));
  if (up.length === 0) return 'not running under the harness: use `npm run bench -- <name>`';
  if (missing.length > 0) return `the harness did not start ${missing.join(', ')}`;
  return null;
}

const standinBase = () => process.env.STANDIN_URL ?? STANDIN_URL;

async function standinAdmin(method: string, path: string, body?: unknown): Promise<unknown> {
  const send = () =>
    fetch(`${standinBase()}/__standin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  // A kept-alive connection the stand-in closed while idle fails the first request on it; one retry.
  const res = await send().catch(send);
  const text = await res.text();
  if (!res.ok) throw new Error(`stand-in ${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

export type { StandinStats } from '../../scripts/standin/stats.js';

export const standin = {
  url: standinBase,
  config: () => standinAdmin('GET', '/config') as Promise<Record<string, unknown>>,
  configure: (patch: Record<string, unknown>) => standinAdmin('POST', '/config', patch),
  stats: () => standinAdmin('GET', '/stats') as Promise<StandinStats>,
  resetStats: () => standinAdmin('DELETE', '/stats'),
  clearFaults: () => standinAdmin('DELETE', '/faults'),
  addFault: (rule: Record<string, unknown>) => standinAdmin('POST', '/faults', rule),
  /** Every request body the providers were sent (prompts and inputs as JSON text). */
  requests: async () =>
    ((await standinAdmin('GET', '/requests')) as { requests: { path: string; body: string }[] }).requests,
};

/** Runs `fn` with the stand-in reconfigured, then puts back every value it changed. */
export async function withStandinConfig<T>(patch: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  const before = await standin.config();
  const restore = Object.fromEntries(Object.keys(patch).map((key) => [key, before[key]]));
  await standin.clearFaults();
  await standin.configure(patch);
  try {
    return await fn();
  } finally {
    await standin.configure(restore);
  }
}
