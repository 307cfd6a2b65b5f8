// What every route handler gets, and the HTTP fault knobs they share.
import type { ServerResponse } from 'node:http';
import type { StandinConfig } from './config.js';
import type { ContractProblem } from './contracts.js';
import type { Fault, FaultBook } from './faults.js';
import type { LatencyKind } from './latency.js';
import type { FileStore } from './files.js';
import { delay, sendJson } from './http.js';
import type { PredictionEngine } from './predictions.js';
import { openaiRefusal } from './refusals.js';
import type { StandinStats } from './stats.js';
import type { ApiBody } from './traffic.js';

export interface RouteContext {
  config: StandinConfig;
  faults: FaultBook;
  stats: StandinStats;
  engine: PredictionEngine;
  files: FileStore;
  webhookSecret: string;
  closing: AbortSignal;
  /** Responses held open by the `hang` fault; the server destroys them on close. */
  hung: Set<ServerResponse>;
}

/** An OpenAI operation: its body as read, and what the API description found wrong with it. */
export type OpenaiRoute = (
  body: ApiBody,
  res: ServerResponse,
  ctx: RouteContext,
  problems: readonly ContractProblem[],
) => Promise<void>;

/** OpenAI's 400 for a request its API description refuses. */
export function refuseOpenai(res: ServerResponse, problems: readonly ContractProblem[], body: unknown): void {
  sendJson(res, 400, { error: { ...openaiRefusal(problems, body), type: 'invalid_request_error' } });
}

/**
 * Counts the faults, waits for `slow`, holds the response for `hang`, and answers an `http_*` fault with
 * the provider's error shape. True when the request was dealt with (or is hanging) and must not proceed.
 */
export async function applyHttpFaults(
  faults: readonly Fault[],
  res: ServerResponse,
  ctx: RouteContext,
  answers: Partial<Record<Fault, (res: ServerResponse) => void>>,
): Promise<boolean> {
  for (const fault of faults) ctx.stats.faultsInjected[fault] += 1;
  if (faults.includes('slow')) await delay(ctx.config.slowMs, ctx.closing);
  if (faults.includes('hang')) {
    ctx.hung.add(res);
    res.on('close', () => ctx.hung.delete(res));
    return true;
  }
  for (const fault of ['http_500', 'http_429', 'http_422', 'insufficient_quota'] as const) {
    const answer = answers[fault];
    if (faults.includes(fault) && answer) {
      answer(res);
      return true;
    }
  }
  return false;
}

/** Waits what an answer of `kind` takes under the configured `latencies` (nothing when none is set). */
export async function providerLatency(ctx: RouteContext, kind: LatencyKind): Promise<void> {
  const seconds = ctx.engine.latencySeconds(kind);
  if (seconds) await delay(seconds * 1000, ctx.closing);
}
