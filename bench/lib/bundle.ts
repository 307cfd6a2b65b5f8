// The deployed functions code, run inside the benchmark process: the esbuild bundle (functions/lib, built by
// `npm run build`), configured exactly as the functions emulator configures it (test/e2e/pipeline's
// functionsEnv: the stand-in's URLs and keys). Used where a benchmark must see inside the functions, e.g. to
// count the retries of their compare-and-set writes, which the functions emulator does not expose. The
// bundle, not functions/src: the sources' dynamic imports of the provider SDKs do not load under tsx.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../scripts/harness/env.js';
import { functionsEnv } from '../../test/e2e/pipeline/in-process.js';

export const BUNDLE_PATH = join(ROOT, 'functions', 'lib', 'index.js');

export interface TaskFunction {
  run(request: { data: unknown }): Promise<void>;
}

/** A callable's handler as firebase-functions runs it, given the request it would have decoded. */
export interface CallableFunction {
  run(request: { data: unknown; auth?: { uid: string; token: Record<string, unknown> } }): Promise<unknown>;
}

export interface FunctionsBundle {
  /** The task functions, one per job type (deployed as `jobs-<key>`). */
  jobs: { image: TaskFunction };
  generateSceneAsset: CallableFunction;
  generateAll: CallableFunction;
}

/**
 * Loads the bundle once. `overrides` are applied over the emulator environment, e.g. an empty
 * PUBLIC_FUNCTIONS_BASE_URL so that tasks poll the provider instead of waiting for a webhook that the functions
 * emulator (not this process) would receive. `bundlePath`: another build of the functions (bench/lib/baseline.ts).
 */
export function loadBundle(
  overrides: Record<string, string> = {},
  bundlePath: string = BUNDLE_PATH,
): FunctionsBundle {
  Object.assign(process.env, functionsEnv(), overrides);
  const require = createRequire(import.meta.url);
  if (require.cache[bundlePath]) return require(bundlePath) as FunctionsBundle;
  // firebase-functions' logger keeps the console methods it finds when it loads; handing it a file sink for
  // that moment sends the functions' structured logs to FUNCTIONS_LOG instead of the benchmark's tables.
  const methods = ['debug', 'info', 'log', 'warn', 'error'] as const;
  const saved = methods.map((m) => console[m]);
  const sink = (...args: unknown[]) => appendFileSync(FUNCTIONS_LOG, `${args.map(String).join(' ')}\n`);
  for (const m of methods) console[m] = sink;
  try {
    return require(bundlePath) as FunctionsBundle;
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]!));
  }
}

/** Where the in-process functions' logs go. */
export const FUNCTIONS_LOG = join(tmpdir(), 'reelforge-bench-functions.log');

/** In-process tasks poll the provider: no webhook can reach this process. */
export const POLLING = (intervalMs: number): Record<string, string> => ({
  PUBLIC_FUNCTIONS_BASE_URL: '',
  PREDICTION_POLL_INTERVAL_MS: String(intervalMs),
});
