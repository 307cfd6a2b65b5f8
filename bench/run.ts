// Runs the benchmarks: `npm run bench -- [name...] [--option value...] [--strict]` (no name: all of them).
// Each prints its tables, its checks, and one final `bench=<name> key=value ...` line. The exit code is 1 when
// a correctness check failed or a benchmark could not run (with --strict, also when a target was missed),
// 2 on a usage error. See bench/README.md.
import type { Benchmark, OptionSpec } from './lib/bench.js';
import { Options, UsageError } from './lib/bench.js';
import { harnessMissing } from './lib/harness.js';
import { formatChecks, formatFigures, formatTable } from './lib/report.js';
import { admission } from './admission.js';
import { coldStart } from './cold-start.js';
import { hotDocument } from './hot-document.js';
import { killedRender } from './killed-render.js';
import { render } from './render.js';
import { streamingPersist } from './streaming-persist.js';
import { studio } from './studio.js';
import { throughput } from './throughput.js';
import { writeBudget } from './write-budget.js';
import { writesPerJob } from './writes-per-job.js';

const BENCHMARKS: readonly Benchmark[] = [
  hotDocument,
  writesPerJob,
  streamingPersist,
  coldStart,
  throughput,
  writeBudget,
  studio,
  render,
  admission,
  killedRender,
];

function usage(): string {
  const lines = ['usage: npm run bench -- [name...] [--option value...] [--strict]', '', 'benchmarks:'];
  for (const b of BENCHMARKS) {
    lines.push(`  ${b.name.padEnd(18)} ${b.summary}`);
    for (const [name, spec] of Object.entries(b.options) as [string, OptionSpec][]) {
      lines.push(`      --${name} <${spec.default}>  ${spec.description}`);
    }
  }
  lines.push('', '--strict: a missed target fails the run too (by default only correctness checks do).');
  return lines.join('\n');
}

interface Parsed {
  selected: Benchmark[];
  given: Map<string, string>;
  strict: boolean;
}

function parse(argv: readonly string[]): Parsed | 'help' {
  const names: string[] = [];
  const given = new Map<string, string>();
  let strict = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--strict') strict = true;
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      given.set(name, value);
    } else names.push(arg);
  }
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.join(', ')}`);
  const selected = names.length === 0 ? [...BENCHMARKS] : BENCHMARKS.filter((b) => names.includes(b.name));
  for (const name of given.keys()) {
    if (!selected.some((b) => name in b.options)) {
      throw new UsageError(`--${name} is not an option of ${selected.map((b) => b.name).join(', ')}`);
    }
  }
  return { selected, given, strict };
}

async function main(): Promise<number> {
  let parsed: Parsed | 'help';
  try {
    parsed = parse(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${usage()}\n`);
    return 2;
  }
  if (parsed === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const { selected, given, strict } = parsed;
  const missing = harnessMissing();
  let failed = false;
  for (const bench of selected) {
    process.stdout.write(`\n=== ${bench.name}: ${bench.summary}\n`);
    if (bench.needs === 'harness' && missing) {
      // Never a silent pass: the run fails, saying why.
      process.stdout.write(`SKIPPED: ${missing}\n${`bench=${bench.name} skipped=1`}\n`);
      failed = true;
      continue;
    }
    const started = Date.now();
    try {
      const result = await bench.run(new Options(given, bench.options));
      for (const table of result.tables) process.stdout.write(`\n${formatTable(table)}\n`);
      if (result.notes?.length)
        process.stdout.write(`\n${result.notes.map((n) => `note: ${n}`).join('\n')}\n`);
      process.stdout.write(`\n${formatChecks(result.checks)}\n`);
      const correctnessFailed = result.checks.some((c) => c.kind === 'correctness' && !c.ok);
      const targetMissed = result.checks.some((c) => c.kind === 'target' && !c.ok);
      if (correctnessFailed || (strict && targetMissed)) failed = true;
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      process.stdout.write(`${formatFigures(bench.name, { ...result.figures, seconds })}\n`);
    } catch (err) {
      failed = true;
      if (err instanceof UsageError) process.stderr.write(`${err.message}\n`);
      else
        process.stderr.write(
          `${bench.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
        );
      process.stdout.write(`bench=${bench.name} error=1\n`);
    }
  }
  return failed ? 1 : 0;
}

// Explicit exit: listeners and SDK clients would otherwise keep the process alive.
process.exit(await main());
