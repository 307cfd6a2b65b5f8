// Webhook delivery in Replicate's (Standard Webhooks) scheme, signed here independently of the provider
// layer's verifier so the two implementations check each other. Each delivery has its own `webhook-id`,
// kept across redeliveries (which is what receivers dedupe on); a failed delivery (non-2xx or network
// error) is retried a few times with a fresh timestamp and signature, like Replicate does.
import { createHmac, randomBytes } from 'node:crypto';

export interface WebhookStats {
  webhooksSent: number;
  webhooksFailed: number;
  webhooksRetried: number;
  webhooksDropped: number;
}

export interface Delivery {
  url: string;
  body: string;
  secret: string;
  retries: number;
}

export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export function newWebhookId(): string {
  return `msg_${randomBytes(12).toString('hex')}`;
}

/** Delivers one webhook (retrying on failure); resolves when delivered or given up, never rejects. */
export async function deliver(delivery: Delivery, stats: WebhookStats, signal: AbortSignal): Promise<void> {
  const id = newWebhookId();
  for (let attempt = 0; attempt <= delivery.retries; attempt += 1) {
    if (signal.aborted) return;
    if (attempt > 0) {
      stats.webhooksRetried += 1;
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** (attempt - 1)));
    }
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Replicate-Webhook/standin',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': sign(delivery.secret, id, timestamp, delivery.body),
        },
        body: delivery.body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) {
        stats.webhooksSent += 1;
        return;
      }
    } catch {
      // Receiver down or slow: retried below like any failed delivery.
    }
  }
  stats.webhooksFailed += 1;
}
