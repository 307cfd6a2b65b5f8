// Runs pieces of the functions code inside the test process (the stale sweep, a task handler in a child
// process that the test kills), configured exactly as the functions emulator configures the deployed code:
// the same .env.local values and stand-in keys the harness writes.
import {
  DEFAULT_BUCKET,
  PROJECT_ID,
  STANDIN_SECRETS,
  functionsEnvLocal,
} from '../../../scripts/harness/env.js';
import { holdScheduler } from '../../../scripts/harness/scheduler-hold.js';

/** The environment a functions process sees under the emulators. */
export function functionsEnv(): Record<string, string> {
  return {
    // The functions emulator fills in a param's default; outside it `.value()` reads an unset param as ''.
    // The stand-in, like OpenAI, refuses a request that names no model.
    OPENAI_MODEL: 'gpt-4.1-mini',
    ...functionsEnvLocal(),
    ...STANDIN_SECRETS,
    FUNCTIONS_EMULATOR: 'true',
    GCLOUD_PROJECT: PROJECT_ID,
    FIREBASE_CONFIG: JSON.stringify({ projectId: PROJECT_ID, storageBucket: DEFAULT_BUCKET }),
  };
}

/**
 * Holds the harness's scheduled sweep (it runs every 2 s under `npm test`) for a test whose state is made
 * stale by hand and swept here: resolves once no scheduled run is in flight; call the result to let it go.
 */
export function holdScheduledSweep(): Promise<() => void> {
  return holdScheduler({ schedulerRunning: process.env.REELFORGE_SWEEP_EVERY_MS !== undefined });
}

type SweepModule = typeof import('../../../functions/src/sweep/stale.js'); // eslint-disable-line @typescript-eslint/consistent-type-imports
let loaded: Promise<SweepModule> | undefined;

/** The stale sweep, as the scheduled function runs it. */
export async function sweep(now: Date, options: { maxProjects?: number } = {}) {
  Object.assign(process.env, functionsEnv());
  loaded ??= import('../../../functions/src/sweep/stale.js');
  const { readProviderConfig } = await import('../../../functions/src/config.js');
  return (await loaded).sweepStaleJobs(now, { ...options, providers: readProviderConfig() });
}

type OrphansModule = typeof import('../../../functions/src/sweep/orphans.js'); // eslint-disable-line @typescript-eslint/consistent-type-imports
let orphans: Promise<OrphansModule> | undefined;

/** The hourly storage reconciliation, as the scheduled function runs it. */
export async function reconcile(now: Date, options: { maxProjects?: number } = {}) {
  Object.assign(process.env, functionsEnv());
  orphans ??= import('../../../functions/src/sweep/orphans.js');
  return (await orphans).reconcileStorage(now, options);
}

type UsageModule = typeof import('../../../functions/src/projects/usage/reconcile.js'); // eslint-disable-line @typescript-eslint/consistent-type-imports
let usage: Promise<UsageModule> | undefined;

/** The sweep's usage reconciliation alone, as the scheduled sweep runs it after the projects. */
export async function reconcileUsageSlice(now: Date, options: { maxUsers?: number } = {}) {
  Object.assign(process.env, functionsEnv());
  usage ??= import('../../../functions/src/projects/usage/reconcile.js');
  return (await usage).reconcileAllUsage(now, options);
}

/** Far enough ahead that every unfinished job is past its type's stale limit. */
export const anHourLater = () => new Date(Date.now() + 60 * 60 * 1000);

type RunnerModule = typeof import('../../../functions/src/jobs/runner.js'); // eslint-disable-line @typescript-eslint/consistent-type-imports
type StoreModule = typeof import('../../../functions/src/projects/store.js'); // eslint-disable-line @typescript-eslint/consistent-type-imports
type ConfigModule = typeof import('../../../functions/src/config.js'); // eslint-disable-line @typescript-eslint/consistent-type-imports

/** The task runner and the project store, as a task function runs them (the store may be wrapped). */
export async function runnerInProcess(): Promise<{
  runner: RunnerModule;
  store: StoreModule;
  config: ConfigModule;
}> {
  Object.assign(process.env, functionsEnv(), { PUBLIC_FUNCTIONS_BASE_URL: '' });
  const [runner, store, config] = await Promise.all([
    import('../../../functions/src/jobs/runner.js'),
    import('../../../functions/src/projects/store.js'),
    import('../../../functions/src/config.js'),
  ]);
  return { runner, store, config };
}

interface TaskQueuePrototype {
  enqueue: (data: unknown, opts?: unknown) => Promise<void>;
}

/**
 * Keeps the Cloud Tasks enqueues of the functions code running in this process here instead of sending them
 * to the tasks emulator: each enqueued payload is listed, for the test to deliver (runner.runTask) when it
 * chooses. Call `restore` when done.
 */
export async function holdEnqueues(): Promise<{ tasks: unknown[]; restore: () => void }> {
  const { TaskQueue } = (await import('firebase-admin/functions')) as unknown as {
    TaskQueue: { prototype: TaskQueuePrototype };
  };
  const original = TaskQueue.prototype.enqueue;
  const tasks: unknown[] = [];
  TaskQueue.prototype.enqueue = function (data: unknown) {
    tasks.push(data);
    return Promise.resolve();
  };
  return { tasks, restore: () => void (TaskQueue.prototype.enqueue = original) };
}
