// What a benchmark hands back and how it is printed: small tables, the checks against correctness rules and
// targets, and one final `key=value` line that scripts can grep.

export type Cell = string | number;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
}

/**
 * `correctness` checks are rules the design promises (no lost update, no failed job): a miss fails the run.
 * `target` checks are performance goals: a miss is reported with its margin, and fails the run only with
 * `--strict`.
 */
export interface Check {
  kind: 'correctness' | 'target';
  name: string;
  ok: boolean;
  detail: string;
}

export interface BenchResult {
  tables: Table[];
  /** The final line's pairs, in order. */
  figures: Record<string, Cell>;
  checks: Check[];
  notes?: string[];
}

export function formatTable(table: Table): string {
  const cells = [table.columns, ...table.rows.map((row) => row.map(String))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((row) => String(row[i] ?? '').length)));
  const line = (row: readonly Cell[]) =>
    row
      .map((cell, i) => {
        const text = String(cell);
        // Numbers right-aligned, text left-aligned, as a reader scans them.
        return typeof cell === 'number' ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [table.title, line(table.columns), rule, ...table.rows.map(line)].join('\n');
}

/** `key=value` pairs; values with spaces are quoted so the line splits on whitespace. */
export function formatFigures(name: string, figures: Record<string, Cell>): string {
  const pairs = Object.entries({ bench: name, ...figures }).map(([key, value]) => {
    const text = String(value);
    return `${key}=${/\s/.test(text) ? JSON.stringify(text) : text}`;
  });
  return pairs.join(' ');
}

export function formatChecks(checks: readonly Check[]): string {
  return checks
    .map(
      (c) =>
        `${c.ok ? 'ok    ' : c.kind === 'target' ? 'MISSED' : 'FAILED'} [${c.kind}] ${c.name}: ${c.detail}`,
    )
    .join('\n');
}
