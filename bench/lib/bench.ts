// The shape of one benchmark and of its command-line options.
import type { BenchResult } from './report.js';

export interface OptionSpec {
  description: string;
  default: string;
}

export interface Benchmark {
  name: string;
  summary: string;
  /** `harness`: needs the emulators and the stand-in up (run under scripts/emulators.ts); `none`: nothing. */
  needs: 'harness' | 'none';
  options: Record<string, OptionSpec>;
  /**
   * `npm run bench -- --smoke` (part of `npm test`): option values small enough that the whole benchmark
   * runs in seconds, so a change that breaks it fails the suite instead of rotting until someone measures;
   * or why it cannot be made short (it is then left out of the smoke run, saying so).
   */
  smoke: Readonly<Record<string, string>> | { unsmokable: string };
  /**
   * Its targets are what it is for (a design claim it checks, not a figure to watch): a missed target fails
   * the run without `--strict`.
   */
  strictTargets?: boolean;
  run(options: Options): Promise<BenchResult>;
}

export class UsageError extends Error {}

/** The values given on the command line, falling back to each benchmark's defaults. */
export class Options {
  constructor(
    private readonly given: ReadonlyMap<string, string>,
    private readonly specs: Record<string, OptionSpec>,
  ) {}

  string(name: string): string {
    const spec = this.specs[name];
    if (!spec) throw new Error(`option --${name} is not declared by this benchmark`);
    return this.given.get(name) ?? spec.default;
  }

  number(name: string): number {
    const text = this.string(name);
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new UsageError(`--${name} must be a number >= 0, got "${text}"`);
    }
    return value;
  }

  /** A comma-separated list of numbers, e.g. `--k 6,24,50`. */
  numbers(name: string): number[] {
    const values = this.string(name)
      .split(',')
      .map((part) => Number(part.trim()));
    if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) {
      throw new UsageError(`--${name} must be a comma-separated list of positive integers`);
    }
    return values;
  }
}
