// The harness's local scheduler reads intervals from a function's declared schedule and from
// REELFORGE_SWEEP_EVERY; anything that is not a fixed interval is refused rather than guessed.
import { describe, expect, it } from 'vitest';
import { describeMs, parseDuration, scheduleIntervalMs } from '../../scripts/harness/schedule.js';

describe('local scheduler intervals', () => {
  it('reads the App Engine cron syntax Cloud Scheduler accepts', () => {
    expect(scheduleIntervalMs('every 5 minutes')).toBe(300_000);
    expect(scheduleIntervalMs('every 1 mins')).toBe(60_000);
    expect(scheduleIntervalMs('every 2 hours synchronized')).toBe(7_200_000);
    expect(scheduleIntervalMs('every monday 09:00')).toBeUndefined();
  });

  it('reads unix-cron only where it means a fixed interval', () => {
    expect(scheduleIntervalMs('* * * * *')).toBe(60_000);
    expect(scheduleIntervalMs('*/5 * * * *')).toBe(300_000);
    expect(scheduleIntervalMs('0 */6 * * *')).toBe(21_600_000);
    expect(scheduleIntervalMs('0 * * * *')).toBe(3_600_000);
    expect(scheduleIntervalMs('*/7 * * * *')).toBeUndefined(); // 56 -> 0 is 4 minutes
    expect(scheduleIntervalMs('30 9 * * *')).toBeUndefined();
    expect(scheduleIntervalMs('*/5 * * * 1')).toBeUndefined();
  });

  it('parses the REELFORGE_SWEEP_EVERY durations', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5 minutes')).toBe(90_000);
    expect(parseDuration('45')).toBe(45_000);
    for (const bad of ['', 'soon', '0s', '-5s', '10 parsecs']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('describes intervals briefly', () => {
    expect([describeMs(2_000), describeMs(300_000), describeMs(3_600_000), describeMs(1_500)]).toEqual([
      '2s',
      '5m',
      '1h',
      '1500ms',
    ]);
  });
});
