// The provider stand-in's admin API, as the pipeline tests drive it: fault rules, run-time config, counters.
import { STANDIN_SECRETS, STANDIN_URL } from '../../../scripts/harness/env.js';
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

/** A prediction as the stand-in's Replicate API answers it (the fields these tests read). */
export interface StandinPrediction {
  id: string;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
}

async function prediction(id: string): Promise<StandinPrediction> {
  const res = await fetch(`${base}/replicate/v1/predictions/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${STANDIN_SECRETS.REPLICATE_API_TOKEN}` },
  });
  if (!res.ok) throw new Error(`stand-in GET prediction ${id}: ${res.status} ${await res.text()}`);
  return (await res.json()) as StandinPrediction;
}

/** Waits until the stand-in reports prediction `id` in one of `statuses`; returns it (fails after 30 s). */
async function untilPrediction(
  id: string,
  statuses: readonly StandinPrediction['status'][],
  timeoutMs = 30_000,
): Promise<StandinPrediction> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await prediction(id);
    if (statuses.includes(state.status)) return state;
    if (Date.now() > deadline)
      throw new Error(
        `prediction ${id} is ${state.status}, not ${statuses.join(' or ')}, after ${timeoutMs} ms`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const standin = {
  prediction,
  untilPrediction,
  addFault: (rule: FaultRule) => send('POST', '/__standin/faults', rule),
  clearFaults: () => send('DELETE', '/__standin/faults'),
  configure: (config: Record<string, unknown>) => send('POST', '/__standin/config', config),
  stats: () => send('GET', '/__standin/stats') as Promise<StandinStats>,
  resetStats: () => send('DELETE', '/__standin/stats'),
  /** Every request body the providers were sent (prompts and inputs as JSON text; bytes left out). */
  requests: async () =>
    ((await send('GET', '/__standin/requests')) as { requests: { path: string; body: string }[] }).requests,
  /** Answers and webhook bodies the stand-in gave outside OpenAI's and Replicate's API descriptions. */
  violations: async () =>
    ((await send('GET', '/__standin/contracts')) as { violations: ContractViolation[] }).violations,
};
