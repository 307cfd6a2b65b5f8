// Intervals for the harness's local scheduler: from a scheduled function's declared schedule (Cloud
// Scheduler's App Engine cron syntax, "every 5 minutes", or the unix-cron forms that mean a fixed
// interval), and from the REELFORGE_SWEEP_EVERY option ("30s", "2m", "1h", "500ms").

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  sec: 1_000,
  secs: 1_000,
  second: 1_000,
  seconds: 1_000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
};

/** "30s", "2m", "1.5h", "500ms", "2 minutes"; a bare number is seconds. Undefined when it is none of those. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = UNIT_MS[(match[2] || 's').toLowerCase()];
  const ms = unit === undefined ? NaN : Number(match[1]) * unit;
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
}

/**
 * The fixed interval a schedule declares, or undefined when it is not one (a cron for particular times of
 * day, say): "every N minutes|hours" (optionally "synchronized"), "* * * * *", "*\/N * * * *",
 * "M * * * *" (hourly) and "0 *\/N * * *".
 */
export function scheduleIntervalMs(schedule: string): number | undefined {
  const text = schedule.trim().toLowerCase().replace(/\s+/g, ' ');
  const every = /^every (\d+) (mins?|minutes?|hours?|hrs?)( synchronized)?$/.exec(text);
  if (every) return parseDuration(`${every[1]}${every[2]}`);
  const fields = text.split(' ');
  if (fields.length !== 5 || fields.slice(2).some((f) => f !== '*')) return undefined;
  const [minute, hour] = fields as [string, string];
  const step = (field: string) => (field === '*' ? 1 : Number(/^\*\/(\d+)$/.exec(field)?.[1] ?? NaN));
  if (hour === '*') {
    if (/^\d+$/.test(minute)) return Number(minute) < 60 ? 3_600_000 : undefined; // "m * * * *": hourly
    const n = step(minute);
    return n >= 1 && n <= 60 && 60 % n === 0 ? n * 60_000 : undefined;
  }
  if (minute !== '0') return undefined;
  const n = step(hour);
  return n >= 1 && n <= 24 && 24 % n === 0 ? n * 3_600_000 : undefined;
}

/** "every 30s" style text for log lines. */
export function describeMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
