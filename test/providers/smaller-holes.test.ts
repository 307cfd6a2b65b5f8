// Issue #11's smaller holes at the provider edge: a webhook secret too short (or not strict base64) to
// verify anything is refused with the reason, and musicgen's `n / total` progress lines are read.
import { describe, expect, it } from 'vitest';
import { parseProgress } from '../../functions/src/providers/prediction.js';
import { signWebhook, verifyReplicateWebhook } from '../../functions/src/providers/webhook.js';

function delivery(secret: string) {
  const timestamp = Math.floor(Date.now() / 1000);
  const rawBody = JSON.stringify({ id: 'p1', status: 'succeeded' });
  return {
    headers: {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secret, 'msg_1', timestamp, rawBody),
    },
    rawBody,
    secret,
  };
}

describe('webhook secret', () => {
  it('verifies with a proper 32-byte key', () => {
    const secret = `whsec_${Buffer.from('a'.repeat(32)).toString('base64')}`;
    expect(verifyReplicateWebhook(delivery(secret)).ok).toBe(true);
  });

  it('refuses to verify with a key under 24 bytes, saying why', () => {
    const short = `whsec_${Buffer.from('sixteen-byte-key').toString('base64')}`;
    const result = verifyReplicateWebhook(delivery(short));
    expect(result).toMatchObject({ ok: false, reason: 'weak-secret' });
    expect(result.ok === false && 'detail' in result && result.detail).toMatch(/16 bytes, fewer than 24/);
  });

  it('refuses a secret that is not strict base64 (stray characters would be skipped silently)', () => {
    const sloppy = `whsec_${Buffer.from('b'.repeat(32)).toString('base64')}!!`;
    expect(verifyReplicateWebhook(delivery(sloppy))).toMatchObject({ ok: false, reason: 'weak-secret' });
  });
});

describe('musicgen progress', () => {
  it('reads audiocraft `generated / total` token counters', () => {
    expect(parseProgress('Using seed 1\n    45 /    500\r   250 /    500')).toBe(50);
    expect(parseProgress('   500 /    500\n')).toBe(100);
  });

  it('reads the newest counter of a long log from its tail, whatever came before', () => {
    const counters = Array.from({ length: 1500 }, (_, i) => `${String(i + 1).padStart(6)} /   1500\r`);
    const warnings = 'UserWarning: something a library repeats\n'.repeat(60_000); // ~2.4 MB
    expect(parseProgress(warnings + counters.slice(0, 750).join(''))).toBe(50);
    // The cut at the tail's start never yields a fragment read as a counter ("0 /   1500" of "   750 /").
    expect(parseProgress('x'.repeat(40_000) + '\n   750 /   1500\r')).toBe(50);
  });
});
