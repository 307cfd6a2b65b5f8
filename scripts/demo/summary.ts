// The closing summary: where the results are, the production's own account (steps, time, spend, what blocked
// it), and a table of the steps with their jobs and times.
import type { ProductionDoc } from '@reelforge/schema';
import { formatDuration } from './display.js';

export interface StepTiming {
  name: string;
  jobs: number;
  ms: number;
  /** Indented rows under the step (e.g. the mean time of each scene job type). */
  details?: { name: string; jobs: number; ms: number }[];
}

export function summaryTable(steps: readonly StepTiming[], totalMs: number): string {
  const rows: [string, string, string][] = [['step', 'jobs', 'time']];
  for (const step of steps) {
    rows.push([step.name, step.jobs ? String(step.jobs) : '', formatDuration(step.ms)]);
    for (const d of step.details ?? [])
      rows.push([
        `  ${d.name}`,
        String(d.jobs),
        Number.isFinite(d.ms) ? `${formatDuration(d.ms)} avg` : 'not seen',
      ]);
  }
  const jobs = steps.reduce((sum, s) => sum + s.jobs, 0);
  rows.push(['total', String(jobs), formatDuration(totalMs)]);
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: [string, string, string]) =>
    `  ${r[0].padEnd(widths[0]!)}  ${r[1].padStart(widths[1]!)}  ${r[2].padStart(widths[2]!)}`;
  const rule = `  ${'─'.repeat(widths[0]! + widths[1]! + widths[2]! + 4)}`;
  return [line(rows[0]!), rule, ...rows.slice(1, -1).map(line), rule, line(rows.at(-1)!)].join('\n');
}

const dollars = (value: number) => `$${value.toFixed(value < 1 ? 4 : 2)}`;

/**
 * The production as it ended: its steps done of its total, how long it took (the backend's own start and
 * finish when both are recorded, else what the client measured), its spend against its estimate, and each
 * blocked step with the backend's reason.
 */
export function productionLines(production: ProductionDoc, measuredMs: number): string[] {
  const { started_at, finished_at } = production;
  const elapsed = finished_at ? finished_at.toMillis() - started_at.toMillis() : measuredMs;
  const lines = [
    `production ${production.status}: ${production.steps_done}/${production.steps_total} steps in ` +
      `${formatDuration(elapsed)}, spent ${dollars(production.spent_usd)} of an estimated ${dollars(production.estimate_usd)}`,
  ];
  for (const block of production.blocked) lines.push(`  blocked: ${block.step}: ${block.reason}`);
  return lines;
}
