// Small statistics for benchmark figures.

/** Nearest-rank percentile (p in 0..100) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? Number.NaN;
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** A number rounded to `digits` decimals, for tables (NaN shows as "n/a"). */
export function round(value: number, digits = 0): number | string {
  if (!Number.isFinite(value)) return 'n/a';
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const MiB = 1024 * 1024;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
