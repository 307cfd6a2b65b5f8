// Verifies a Replicate webhook delivery (Replicate signs the Standard Webhooks way): the signed content is
// `${webhook-id}.${webhook-timestamp}.${raw body}`, HMAC-SHA256 with the base64 key after `whsec_`, and
// `webhook-signature` holds one or more space-separated `v1,<base64>` signatures (several during a key
// rotation). Only the raw bytes can be verified: a re-serialised JSON body would not match.
//
// Replay protection needs storage, so it is the caller's: a redelivery carries the same `webhook-id`,
// which is returned for the caller to record and refuse the second time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { toPredictionState } from './prediction.js';
import type { PredictionState, RawPrediction } from './prediction.js';

export type HeaderBag = Headers | Record<string, string | readonly string[] | undefined>;

export interface VerifyWebhookInput {
  headers: HeaderBag;
  rawBody: Buffer | string;
  /** `whsec_...` from GET /v1/webhooks/default/secret. */
  secret: string;
  nowSeconds?: number;
  toleranceSeconds?: number;
}

export type VerifyWebhookResult =
  | {
      ok: true;
      webhookId: string;
      timestamp: number;
      prediction: RawPrediction & Record<string, unknown>;
      state: PredictionState;
    }
  | { ok: false; reason: 'missing-headers' | 'bad-signature' | 'stale' | 'malformed' }
  /** Our own configuration is wrong: nothing can be verified with this secret. */
  | { ok: false; reason: 'weak-secret'; detail: string };

/** Standard Webhooks keys are 24 to 64 random bytes; anything shorter is a mistyped or truncated secret. */
export const MIN_SECRET_BYTES = 24;

/** Why a configured secret cannot be used to verify, or undefined when it can. */
export function secretProblem(secret: string): string | undefined {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  // Strict base64: Buffer.from would silently skip stray characters and verify with a different key.
  if (encoded.length === 0 || encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded))
    return 'REPLICATE_WEBHOOK_SECRET is not "whsec_" followed by base64';
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < MIN_SECRET_BYTES)
    return `REPLICATE_WEBHOOK_SECRET decodes to ${bytes} bytes, fewer than ${MIN_SECRET_BYTES}: set the secret from GET /v1/webhooks/default/secret`;
  return undefined;
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | readonly string[] | undefined>;
  const value = bag[name] ?? Object.entries(bag).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** The `v1,<base64>` signature of one delivery; the stand-in signs with this too. */
export function signWebhook(
  secret: string,
  webhookId: string,
  timestamp: number,
  rawBody: Buffer | string,
): string {
  const mac = createHmac('sha256', secretKey(secret));
  mac.update(`${webhookId}.${timestamp}.`);
  mac.update(rawBody);
  return `v1,${mac.digest('base64')}`;
}

export function verifyReplicateWebhook(input: VerifyWebhookInput): VerifyWebhookResult {
  const weak = secretProblem(input.secret);
  if (weak) return { ok: false, reason: 'weak-secret', detail: weak };
  const id = header(input.headers, 'webhook-id');
  const timestampText = header(input.headers, 'webhook-timestamp');
  const signatures = header(input.headers, 'webhook-signature');
  if (!id || !timestampText || !signatures) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: 'malformed' };
  const timestamp = Number(timestampText);

  const expected = Buffer.from(
    signWebhook(input.secret, id, timestamp, input.rawBody).slice('v1,'.length),
    'base64',
  );
  const matches = signatures.split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the key.
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return { ok: false, reason: 'bad-signature' };

  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? 300)) return { ok: false, reason: 'stale' };

  let prediction: unknown;
  try {
    prediction = JSON.parse(
      typeof input.rawBody === 'string' ? input.rawBody : input.rawBody.toString('utf8'),
    );
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (
    typeof prediction !== 'object' ||
    prediction === null ||
    typeof (prediction as RawPrediction).id !== 'string'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const raw = prediction as RawPrediction & Record<string, unknown>;
  return { ok: true, webhookId: id, timestamp, prediction: raw, state: toPredictionState(raw) };
}
