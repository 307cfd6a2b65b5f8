// The logo's checks in the browser (size before reading, then the first bytes), money as the studio shows it,
// and the usage strip's figures from the live usage record.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '@reelforge/schema';
import { bytesToBase64, checkLogo } from '../src/lib/logo.js';
import type { UsageSummary } from '@reelforge/schema';
import type { UsageRecord } from '@reelforge/client';
import { formatUsd, liveUsage } from '../src/lib/usage.js';

const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const PNG_1x1 = fromBase64(PNG_BASE64);
const JPEG_HEAD = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);

describe('checkLogo', () => {
  it('takes a PNG or a JPEG by its first bytes', () => {
    expect(checkLogo(PNG_1x1.length, PNG_1x1.subarray(0, 8))).toEqual({ kind: 'png' });
    expect(checkLogo(5000, JPEG_HEAD)).toEqual({ kind: 'jpeg' });
  });

  it('refuses other files whatever their name claims, and files over 2 MiB before reading them', () => {
    expect(checkLogo(30, new TextEncoder().encode('GIF89a..'))).toEqual({
      problem: 'the logo must be a PNG or JPEG image',
    });
    expect(checkLogo(3, new Uint8Array([0x89, 0x50, 0x4e]))).toHaveProperty('problem');
    expect(checkLogo(LIMITS.LOGO_MAX_BYTES, PNG_1x1)).toEqual({ kind: 'png' });
    expect(checkLogo(LIMITS.LOGO_MAX_BYTES + 1, PNG_1x1)).toEqual({
      problem: 'the logo must be at most 2 MiB; this file is 2.00 MiB',
    });
    expect(checkLogo(3 * 1024 * 1024, PNG_1x1)).toEqual({
      problem: 'the logo must be at most 2 MiB; this file is 3.00 MiB',
    });
  });

  it('encodes bytes as base64, also past one chunk of arguments', () => {
    expect(bytesToBase64(PNG_1x1)).toBe(PNG_BASE64);
    const big = new Uint8Array(LIMITS.LOGO_MAX_BYTES).map((_, i) => (i * 31) % 256);
    expect(fromBase64(bytesToBase64(big))).toEqual(big);
  });
});

describe('formatUsd', () => {
  it('shows cents, and a third decimal for spend that would round to nothing', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(20)).toBe('$20.00');
    expect(formatUsd(0.426)).toBe('$0.43');
    expect(formatUsd(0.003)).toBe('$0.003');
    expect(formatUsd(0.0004)).toBe('under $0.001');
  });
});

describe('liveUsage', () => {
  const NOW = new Date('2026-12-02T15:00:00.000Z');
  const SUMMARY: UsageSummary = {
    active_jobs: 0,
    max_active_jobs: 10,
    max_projects: 20,
    daily_budget_usd: 5,
    reserved_usd: 0,
    spent_today_usd: 0,
    spent_month_usd: 0,
    remaining_today_usd: 5,
    day: '2026-12-02',
    month: '2026-12',
    as_of: '2026-12-02T14:00:00.000Z',
  };
  const slot = (estimated_usd: number) => ({
    project_id: 'p1',
    type: 'image' as const,
    estimated_usd,
    admitted_at: '2026-12-02T14:59:00.000Z',
  });
  const record = (over: Partial<NonNullable<UsageRecord>> = {}): UsageRecord => ({
    user_id: 'u1',
    active: { j1: slot(0.003), j2: slot(0.1) },
    active_jobs: 2,
    day: '2026-12-02',
    spent_today_usd: 0.4261,
    month: '2026-12',
    spent_month_usd: 3.5,
    updated_at: '2026-12-02T14:59:30.000Z',
    ...over,
  });

  it('takes the running jobs, what they hold and the spend from the record, the limits from getUsage', () => {
    expect(liveUsage(SUMMARY, record(), NOW)).toEqual({
      ...SUMMARY,
      active_jobs: 2,
      reserved_usd: 0.103,
      spent_today_usd: 0.4261,
      spent_month_usd: 3.5,
      remaining_today_usd: 4.4709,
      as_of: '2026-12-02T14:59:30.000Z',
    });
  });

  it('counts a past day or month as nothing spent yet, and no record as nothing at all', () => {
    const old = liveUsage(
      SUMMARY,
      record({ day: '2026-12-01', month: '2026-11', active: {}, active_jobs: 0 }),
      NOW,
    );
    expect(old).toMatchObject({ spent_today_usd: 0, spent_month_usd: 0, remaining_today_usd: 5 });
    expect(liveUsage({ ...SUMMARY, active_jobs: 3 }, null, NOW)).toMatchObject({
      active_jobs: 0,
      reserved_usd: 0,
      remaining_today_usd: 5,
    });
  });

  it('holds what running productions keep for their later steps, only on the day they hold it', () => {
    const held = {
      prodA: { project_id: 'p1', usd: 0.25, day: '2026-12-02' },
      prodOld: { project_id: 'p2', usd: 9, day: '2026-12-01' },
    };
    expect(liveUsage(SUMMARY, record({ held }), NOW)).toMatchObject({
      reserved_usd: 0.353,
      remaining_today_usd: 4.2209,
    });
  });

  it('never shows a negative remainder past the budget', () => {
    expect(liveUsage(SUMMARY, record({ spent_today_usd: 1000 }), NOW).remaining_today_usd).toBe(0);
  });
});
