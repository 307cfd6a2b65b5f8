// Webhooks: the stand-in delivers signed start/logs/completed webhooks in Replicate's scheme for a
// prediction created with a webhook through the real SDK, and the provider layer's verifier accepts
// exactly the authentic, fresh ones and reports the delivery id for replay protection.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMediaProvider, type MediaProvider } from '../../functions/src/providers/media.js';
import { verifyReplicateWebhook } from '../../functions/src/providers/webhook.js';
import type { Standin } from '../../scripts/standin/server.js';
import { API_KEY, standin, webhookReceiver } from './helpers.js';
import type { ReceivedWebhook } from './helpers.js';

let server: Standin;
let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
let failFirstCompleted = false;

beforeAll(async () => {
  server = await standin({ predictionSeconds: 0.6 });
  server.config.logsWebhookIntervalMs = 100;
  receiver = await webhookReceiver((hook) => {
    if (failFirstCompleted && hook.status === 'succeeded') {
      failFirstCompleted = false;
      return 500;
    }
    return 200;
  });
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});
afterEach(() => {
  server.faults.clear();
  receiver.received.length = 0;
});

function provider(events?: ('start' | 'logs' | 'completed')[]) {
  return createMediaProvider({
    baseURL: server.replicateBaseUrl,
    apiKey: API_KEY,
    webhookUrl: receiver.url,
    ...(events ? { webhookEvents: events } : {}),
  });
}

function verify(hook: ReceivedWebhook, secret = server.webhookSecret, nowSeconds?: number) {
  return verifyReplicateWebhook({
    headers: hook.headers,
    rawBody: hook.rawBody,
    secret,
    ...(nowSeconds === undefined ? {} : { nowSeconds }),
  });
}

/** Starts one prediction that reports only its completion, and waits for that one delivery. */
async function completedHook(kind: 'audio' | 'scene_image', input: Parameters<MediaProvider['start']>[1]) {
  const started = await provider(['completed']).start(kind, input);
  await receiver.waitFor((hooks) => hooks.length === 1);
  return { started, hook: receiver.received[0] as ReceivedWebhook };
}

async function secretFromApi(): Promise<string> {
  const response = await fetch(`${server.replicateBaseUrl}/webhooks/default/secret`, {
    headers: { authorization: `Bearer ${API_KEY}` },
  });
  return ((await response.json()) as { key: string }).key;
}

describe('delivery and verification', () => {
  it('delivers start, logs and completed, all verifying, with progress and outputs', async () => {
    const secret = await secretFromApi();
    expect(secret).toBe(server.webhookSecret);
    const started = await provider().start('audio', {
      prompt: 'hook me',
      aspectRatio: '9:16',
      durationSeconds: 1,
    });
    await receiver.waitFor((hooks) => hooks.some((h) => h.status === 'succeeded'));
    const results = receiver.received.map((hook) => verify(hook, secret));
    const states = results.map((result) => {
      if (!result.ok) throw new Error(`verification failed: ${result.reason}`);
      expect(result.prediction.id).toBe(started.id);
      return result.state;
    });
    expect(states[0]?.status).toBe('processing');
    expect(states.at(-1)).toMatchObject({ status: 'succeeded', progress: 100 });
    expect(states.at(-1)?.outputUrls).toHaveLength(1);
    const running = states.filter((s) => s.status === 'processing').map((s) => s.progress);
    expect(running.some((p) => p > 0)).toBe(true);
    expect([...running].sort((a, b) => a - b)).toEqual(running);
    const ids = results.map((r) => (r.ok ? r.webhookId : ''));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("completed bodies carry the whole log: a 30 s musicgen bed holds audiocraft's 1,500 token counters", async () => {
    const { started, hook } = await completedHook('audio', {
      prompt: 'a bed as long as the longest we ask for',
      aspectRatio: '9:16',
      durationSeconds: 30,
    });
    const result = verify(hook);
    if (!result.ok) throw new Error(`verification failed: ${result.reason}`);
    expect(result.state).toMatchObject({ id: started.id, status: 'succeeded', progress: 100 });
    const logs = String((JSON.parse(hook.rawBody.toString()) as { logs: string }).logs);
    expect(logs.match(/ +\d+ \/ {3}1500\r/g)).toHaveLength(1500);
    console.log(`musicgen 30 s completed webhook body: ${hook.rawBody.length} bytes`);
  });

  it('a model that logs megabytes: its completed body (over 2 MiB) verifies and reads as finished', async () => {
    server.faults.add({ target: 'replicate', fault: 'verbose_logs' });
    const { hook } = await completedHook('scene_image', { prompt: 'chatty', aspectRatio: '9:16' });
    expect(hook.rawBody.length).toBeGreaterThan(2 * 1024 * 1024);
    const result = verify(hook);
    expect(result.ok && result.state).toMatchObject({ status: 'succeeded', progress: 100 });
  });

  it('refuses tampered, wrongly signed, stale, unsigned and malformed deliveries', async () => {
    const { hook } = await completedHook('audio', {
      prompt: 'check',
      aspectRatio: '9:16',
      durationSeconds: 1,
    });
    expect(hook.status).toBe('succeeded');
    expect(verify(hook).ok).toBe(true);

    const tampered = Buffer.from(hook.rawBody.toString().replace('"succeeded"', '"failed"'));
    expect(verify({ ...hook, rawBody: tampered })).toEqual({ ok: false, reason: 'bad-signature' });
    const otherSecret = `whsec_${Buffer.from('a different secret, 32 bytes long').toString('base64')}`;
    expect(verify(hook, otherSecret)).toEqual({ ok: false, reason: 'bad-signature' });

    const sent = Number(hook.headers['webhook-timestamp']);
    expect(verify(hook, server.webhookSecret, sent + 301)).toEqual({ ok: false, reason: 'stale' });
    expect(verify(hook, server.webhookSecret, sent - 301)).toEqual({ ok: false, reason: 'stale' });
    expect(verify(hook, server.webhookSecret, sent + 299).ok).toBe(true);

    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const headers = { ...hook.headers };
      delete headers[name];
      expect(verify({ ...hook, headers })).toEqual({ ok: false, reason: 'missing-headers' });
    }
    expect(verify({ ...hook, headers: { ...hook.headers, 'webhook-timestamp': 'yesterday' } })).toEqual({
      ok: false,
      reason: 'malformed',
    });

    // Several signatures (key rotation): one valid is enough; a forged one alone is not.
    const real = String(hook.headers['webhook-signature']);
    const forged = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
    expect(
      verify({ ...hook, headers: { ...hook.headers, 'webhook-signature': `${forged} ${real}` } }).ok,
    ).toBe(true);
    expect(verify({ ...hook, headers: { ...hook.headers, 'webhook-signature': forged } }).ok).toBe(false);

    // A fetch Headers object works as well as Node's header record.
    const fetchHeaders = new Headers();
    for (const [key, value] of Object.entries(hook.headers))
      if (typeof value === 'string') fetchHeaders.set(key, value);
    expect(
      verifyReplicateWebhook({ headers: fetchHeaders, rawBody: hook.rawBody, secret: server.webhookSecret })
        .ok,
    ).toBe(true);
  });

  it('a replay verifies with the same webhook id, for the caller to refuse', async () => {
    const { hook } = await completedHook('audio', {
      prompt: 'replay',
      aspectRatio: '9:16',
      durationSeconds: 1,
    });
    const first = verify(hook);
    const again = verify(hook);
    expect(first.ok && again.ok).toBe(true);
    expect(first.ok && again.ok && first.webhookId === again.webhookId).toBe(true);
  });

  it('a delivery the receiver refused is redelivered with the same webhook id', async () => {
    failFirstCompleted = true;
    const retriedBefore = server.stats.webhooksRetried;
    await provider(['completed']).start('audio', {
      prompt: 'redeliver',
      aspectRatio: '9:16',
      durationSeconds: 1,
    });
    await receiver.waitFor((hooks) => hooks.length === 2);
    const [first, second] = receiver.received.map((hook) => verify(hook));
    expect(first?.ok && second?.ok).toBe(true);
    expect(first?.ok && second?.ok && first.webhookId === second.webhookId).toBe(true);
    expect(server.stats.webhooksRetried - retriedBefore).toBe(1);
  });

  it('drop_webhook loses the completed webhook only; polling still sees the end', async () => {
    const dropped = server.stats.webhooksDropped;
    const media = provider();
    const started = await media.start('audio', {
      prompt: 'lost [[standin:drop_webhook]]',
      aspectRatio: '9:16',
      durationSeconds: 1,
    });
    const final = await media.waitUntilDone(started.id, { intervalMs: 40, deadline: Date.now() + 20_000 });
    expect(final.status).toBe('succeeded');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.length).toBeGreaterThan(0);
    expect(receiver.received.some((h) => h.status === 'succeeded')).toBe(false);
    expect(server.stats.webhooksDropped - dropped).toBe(1);
  });

  it('without a webhook URL nothing is sent', async () => {
    const media = createMediaProvider({ baseURL: server.replicateBaseUrl, apiKey: API_KEY });
    const started = await media.start('audio', { prompt: 'quiet', aspectRatio: '9:16', durationSeconds: 1 });
    await media.waitUntilDone(started.id, { intervalMs: 40, deadline: Date.now() + 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(0);
  });
});
