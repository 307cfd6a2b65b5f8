// The closing summary: where the results are, and a table of the steps with their jobs and times.
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
      rows.push([`  ${d.name}`, String(d.jobs), `${formatDuration(d.ms)} avg`]);
  }
  const jobs = steps.reduce((sum, s) => sum + s.jobs, 0);
  rows.push(['total', String(jobs), formatDuration(totalMs)]);
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: [string, string, string]) =>
    `  ${r[0].padEnd(widths[0]!)}  ${r[1].padStart(widths[1]!)}  ${r[2].padStart(widths[2]!)}`;
  const rule = `  ${'─'.repeat(widths[0]! + widths[1]! + widths[2]! + 4)}`;
  return [line(rows[0]!), rule, ...rows.slice(1, -1).map(line), rule, line(rows.at(-1)!)].join('\n');
}
