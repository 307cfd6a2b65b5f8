// The provider stand-in's admin API, as the pipeline tests drive it: fault rules, run-time config, counters.
import { STANDIN_URL } from '../../../scripts/harness/env.js';
import type { StandinStats } from '../../../scripts/standin/stats.js';
import type { ContractViolation } from '../../../scripts/standin/traffic.js';

const base = process.env.STANDIN_URL ?? STANDIN_URL;

async function send(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`stand-in ${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

export interface FaultRule {
  target: 'openai' | 'replicate';
  fault: string;
  kind?: string;
  match?: string;
  on?: 'create' | 'get' | 'cancel';
  after?: number;
  times?: number;
}

export const standin = {
  addFault: (rule: FaultRule) => send('POST', '/__standin/faults', rule),
  clearFaults: () => send('DELETE', '/__standin/faults'),
  configure: (config: Record<string, unknown>) => send('POST', '/__standin/config', config),
  stats: () => send('GET', '/__standin/stats') as Promise<StandinStats>,
  /** Answers and webhook bodies the stand-in gave outside OpenAI's and Replicate's API descriptions. */
  violations: async () =>
    ((await send('GET', '/__standin/contracts')) as { violations: ContractViolation[] }).violations,
};
