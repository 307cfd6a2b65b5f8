// Deliveries to the functions' Replicate webhook endpoint, signed (or deliberately not) the way Replicate
// signs them: the hardening tests send hostile ones, the writes-per-job benchmark a stream of progress.
import { randomBytes } from 'node:crypto';
import { FUNCTIONS_BASE_URL, STANDIN_SECRETS } from '../../../scripts/harness/env.js';
import { signWebhook } from '../../../functions/src/providers/webhook.js';

export const WEBHOOK_URL = `${FUNCTIONS_BASE_URL}/replicateWebhook`;
export const WEBHOOK_SECRET = STANDIN_SECRETS.REPLICATE_WEBHOOK_SECRET;

export interface Delivery {
  projectId: string;
  jobId: string;
  body: string | Buffer;
  /** Headers to send; `signedHeaders` makes the correct ones. */
  headers: Record<string, string>;
  method?: string;
}

export const newWebhookId = () => `msg_${randomBytes(12).toString('hex')}`;
export const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface SignOptions {
  id?: string;
  timestamp?: number;
  secret?: string;
}

export function signedHeaders(
  body: string | Buffer,
  { id = newWebhookId(), timestamp = nowSeconds(), secret = WEBHOOK_SECRET as string }: SignOptions = {},
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
  };
}

/** A prediction as Replicate reports it while running, with a tqdm-style progress line in its logs. */
export function progressBody(predictionId: string, percent: number): string {
  const step = Math.round(percent);
  return JSON.stringify({
    id: predictionId,
    status: 'processing',
    logs: `Running image generation\n${String(step).padStart(3)}%|${'#'.repeat(Math.floor(step / 10)).padEnd(10)}| ${step}/100\n`,
    output: null,
    error: null,
  });
}

/** A running prediction of a model that logs a lot: `bytes` of warnings before its progress line. */
export function verboseProgressBody(predictionId: string, percent: number, bytes: number): string {
  const body = JSON.parse(progressBody(predictionId, percent)) as { logs: string };
  const warning = 'UserWarning: Plan failed with a cudnnException (triggered internally)\n';
  body.logs = warning.repeat(Math.ceil(bytes / warning.length)) + body.logs;
  return JSON.stringify(body);
}

/** Sends one delivery to the functions emulator's endpoint, or to `endpoint` (an in-process one). */
export async function deliver(
  d: Delivery,
  endpoint = WEBHOOK_URL,
): Promise<{ status: number; text: string }> {
  const url = new URL(endpoint);
  url.searchParams.set('project_id', d.projectId);
  url.searchParams.set('job_id', d.jobId);
  const res = await fetch(url, {
    method: d.method ?? 'POST',
    headers: d.headers,
    ...(d.method === 'GET' ? {} : { body: d.body }),
  });
  return { status: res.status, text: await res.text() };
}
