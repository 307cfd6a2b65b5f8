// Runs the benchmarks: `npm run bench -- [name...] [--option value...] [--strict] [--smoke]` (no name: all).
// Each prints its tables, its checks, and one final `bench=<name> key=value ...` line. The exit code is 1 when
// a correctness check failed or a benchmark could not run (with --strict, or for a benchmark whose targets
// are its point, also when a target was missed), 2 on a usage error. See bench/README.md.
import { parseArgs } from 'node:util';
import type { Benchmark, OptionSpec } from './lib/bench.js';
import { Options, UsageError } from './lib/bench.js';
import { harnessMissing } from './lib/harness.js';
import { formatChecks, formatFigures, formatTable } from './lib/report.js';
import { admission } from './admission.js';
import { coldStart } from './cold-start.js';
import { hotDocument } from './hot-document.js';
import { killedRender } from './killed-render.js';
import { languages } from './languages.js';
import { production } from './production.js';
import { reconcileMemory } from './reconcile-memory.js';
import { render } from './render.js';
import { scale } from './scale.js';
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
  reconcileMemory,
  production,
  scale,
  languages,
];

function usage(): string {
  const lines = [
    'usage: npm run bench -- [name...] [--option value...] [--strict] [--smoke]',
    '',
    'benchmarks:',
  ];
  for (const b of BENCHMARKS) {
    lines.push(`  ${b.name.padEnd(18)} ${b.summary}`);
    for (const [name, spec] of Object.entries(b.options) as [string, OptionSpec][]) {
      lines.push(`      --${name} <${spec.default}>  ${spec.description}`);
    }
  }
  lines.push(
    '',
    '--strict: a missed target fails the run too (by default only correctness checks do, and the targets of',
    '          production, which is there to check them).',
    '--smoke: every benchmark with its short option values (seconds each), as `npm test` runs them: each must',
    '         print its figures and pass its correctness checks; targets are not judged at those sizes.',
  );
  return lines.join('\n');
}

interface Parsed {
  selected: Benchmark[];
  given: Map<string, string>;
  strict: boolean;
  smoke: boolean;
}

/** Every benchmark's own options, for `node:util`'s parser; which benchmark takes one is checked after. */
const OPTION_CONFIG = Object.fromEntries(
  BENCHMARKS.flatMap((b) => Object.keys(b.options)).map((name) => [name, { type: 'string' as const }]),
);

function parse(argv: readonly string[]): Parsed | 'help' {
  let values: Record<string, string | boolean | undefined>;
  let names: string[];
  try {
    ({ values, positionals: names } = parseArgs({
      args: [...argv],
      options: {
        ...OPTION_CONFIG,
        help: { type: 'boolean', short: 'h' },
        strict: { type: 'boolean' },
        smoke: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    // parseArgs says what is wrong (an unknown option, a missing value) in a TypeError with an ERR_PARSE_ARGS code.
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { help, strict, smoke, ...rest } = values;
  if (help) return 'help';
  const given = new Map(Object.entries(rest).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.join(', ')}`);
  const selected = names.length === 0 ? [...BENCHMARKS] : BENCHMARKS.filter((b) => names.includes(b.name));
  for (const name of given.keys()) {
    if (!selected.some((b) => name in b.options)) {
      throw new UsageError(`--${name} is not an option of ${selected.map((b) => b.name).join(', ')}`);
    }
  }
  return { selected, given, strict: strict === true, smoke: smoke === true };
}

/** What a benchmark runs with: under --smoke its short values, then whatever the command line says. */
function optionsFor(bench: Benchmark, given: ReadonlyMap<string, string>, smoke: boolean): Options {
  const short = smoke && !('unsmokable' in bench.smoke) ? Object.entries(bench.smoke) : [];
  const own = [...given].filter(([name]) => name in bench.options);
  return new Options(new Map([...short, ...own]), bench.options);
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
  const { selected, given, strict, smoke } = parsed;
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
    if (smoke && 'unsmokable' in bench.smoke) {
      process.stdout.write(
        `not in the smoke run: ${bench.smoke.unsmokable}\nbench=${bench.name} smoke=skipped\n`,
      );
      continue;
    }
    const started = Date.now();
    try {
      const result = await bench.run(optionsFor(bench, given, smoke));
      for (const table of result.tables) process.stdout.write(`\n${formatTable(table)}\n`);
      if (result.notes?.length)
        process.stdout.write(`\n${result.notes.map((n) => `note: ${n}`).join('\n')}\n`);
      process.stdout.write(`\n${formatChecks(result.checks)}\n`);
      const correctnessFailed = result.checks.some((c) => c.kind === 'correctness' && !c.ok);
      const targetMissed = result.checks.some((c) => c.kind === 'target' && !c.ok);
      if (correctnessFailed || ((strict || bench.strictTargets) && targetMissed)) failed = true;
      // A benchmark that ran but measured nothing has rotted as surely as one that throws.
      if (smoke && Object.keys(result.figures).length === 0) {
        process.stderr.write(`${bench.name} printed no figures\n`);
        failed = true;
      }
      // The run's wall time; a benchmark names its own durations otherwise (`generation_s`, `wall_s`).
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
