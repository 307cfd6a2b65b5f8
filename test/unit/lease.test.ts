// Leases against the platform's limits: a claim lasts as long as its function may live (timeout plus a
// margin), a delivery meeting a live claim is answered "later" so Cloud Tasks tries again, an execution
// that was killed (out of memory, its timeout) is found out by its missing heartbeat within minutes and its
// job retried, or failed saying why on the last attempt, and no wait for a provider outlives its function.
import { Timestamp } from 'firebase-admin/firestore';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobTypeSchema, type ActiveJobDoc, type ProjectDoc } from '@reelforge/schema';
import { deployedFunctions } from './support/deployed.js';
import type { JobConfig } from '../../functions/src/config.js';
import { MemoryStore, sampleProject } from './support/memory-store.js';

// No Storage here: a job failed for good drops its retry files, which these tests do not look at.
vi.mock('../../functions/src/storage/files.js', () => ({
  deleteFiles: async () => undefined,
  deletePrefixes: async () => undefined,
  deleteProjectFiles: async () => undefined,
}));

const { useProjectStore } = await import('../../functions/src/projects/store.js');
const registry = await import('../../functions/src/jobs/registry.js');
const { JOBS, JOB_LEASE_SECONDS, JOB_TIMEOUT_SECONDS, taskFunctionName } = registry;
const { claimJob, HEARTBEAT_SECONDS } = await import('../../functions/src/jobs/state.js');
const { runTask, JobBusy, waitDeadline } = await import('../../functions/src/jobs/runner.js');
const { StillRunning } = await import('../../functions/src/providers/errors.js');
const index = await import('../../functions/src/index.js');
const deployed = deployedFunctions(index);

const MIN = 60_000;
const T = Date.parse('2026-11-25T12:00:00Z');
const at = (ms: number) => Timestamp.fromMillis(ms);

function renderJob(over: Partial<ActiveJobDoc>): ActiveJobDoc {
  return {
    job_id: 'job-render',
    type: 'render',
    status: 'processing',
    progress: 30,
    started_at: at(T),
    last_update: at(T),
    attempt: 1,
    deliveries: 0,
    lease_until: at(T + JOB_LEASE_SECONDS.render * 1000),
    ...over,
  };
}

let payload = { project_id: 'p1', job_id: 'job-render', type: 'render' as const };
const config = {} as JobConfig; // the handlers here read none of it

function projectWith(job: ActiveJobDoc): ProjectDoc {
  const p = sampleProject(0);
  p.active_job = job;
  payload = { ...payload, project_id: p.id };
  return p;
}

/** The times (ms after the first delivery) Cloud Tasks delivers a task that keeps failing, per its queue. */
function deliveryTimes(type: ActiveJobDoc['type']): number[] {
  const retry = deployed.get(taskFunctionName(type))!.__endpoint.taskQueueTrigger!.retryConfig!;
  const times: number[] = [0];
  let backoff = retry.minBackoffSeconds!;
  for (let n = 1; n < retry.maxAttempts!; n += 1) {
    times.push(times[times.length - 1]! + backoff * 1000);
    if (n <= retry.maxDoublings!) backoff = Math.min(backoff * 2, retry.maxBackoffSeconds!);
    else
      backoff = Math.min(
        backoff + retry.minBackoffSeconds! * 2 ** retry.maxDoublings!,
        retry.maxBackoffSeconds!,
      );
  }
  return times;
}

/**
 * Minutes from a render's death to the first delivery that takes its job over. The execution claimed at T,
 * heartbeated until it was killed at `killedAfterMs`, and its task failed then (Cloud Tasks saw the crash).
 */
function minutesToRetry(killedAfterMs: number): number {
  const lastBeat = T + Math.floor(killedAfterMs / (HEARTBEAT_SECONDS * 1000)) * HEARTBEAT_SECONDS * 1000;
  for (const t of deliveryTimes('render').slice(1)) {
    const now = T + killedAfterMs + t;
    const job = renderJob({ last_update: at(lastBeat) });
    if (claimJob({ job }, at(now), JOB_LEASE_SECONDS.render).claimed) return t / MIN;
  }
  return Infinity;
}

describe('leases and function timeouts', () => {
  let store: MemoryStore;
  let restore: () => void;
  beforeEach(() => {
    store = new MemoryStore();
    restore = useProjectStore(store);
  });
  afterEach(() => {
    restore();
    vi.useRealTimers();
  });

  it.each(JobTypeSchema.options)('%s: its lease is its function timeout plus a margin', (type) => {
    const fn = deployed.get(taskFunctionName(type))!;
    expect(fn.__endpoint.timeoutSeconds).toBe(JOB_TIMEOUT_SECONDS[type]);
    expect(JOB_LEASE_SECONDS[type]).toBeGreaterThan(JOB_TIMEOUT_SECONDS[type]);
    expect(JOB_LEASE_SECONDS[type]).toBeLessThanOrEqual(JOB_TIMEOUT_SECONDS[type] + 120);
    // No wait for a provider outlives the function, and some time is left to persist after it.
    expect(waitDeadline(type, T)).toBeLessThan(T + JOB_TIMEOUT_SECONDS[type] * 1000);
  });

  it('a delivery that meets a live lease is refused, so Cloud Tasks delivers it again later', async () => {
    store.put(
      projectWith(renderJob({ last_update: at(Date.now()), lease_until: at(Date.now() + 10 * MIN) })),
    );
    await expect(runTask(payload, config)).rejects.toBeInstanceOf(JobBusy);
    expect(store.writes).toBe(0);
  });

  it('a render killed by memory or its timeout is retried within minutes (figure)', () => {
    const oom = minutesToRetry(2 * MIN);
    const timedOut = minutesToRetry(JOB_TIMEOUT_SECONDS.render * 1000);
    console.log(
      `killed render retried after: out of memory ${oom.toFixed(1)} min, timeout ${timedOut.toFixed(1)} min`,
    );
    expect(oom).toBeLessThanOrEqual(5);
    expect(timedOut).toBeLessThanOrEqual(5);
  });

  it('a killed execution is taken over as a new attempt that resumes its prediction', async () => {
    const stale = Date.now() - 10 * MIN;
    const job = renderJob({
      last_update: at(stale),
      lease_until: at(Date.now() + 20 * MIN),
      provider_ref: 'op-1',
    });
    const claimed = claimJob({ job }, Timestamp.now(), JOB_LEASE_SECONDS.render);
    expect(claimed).toMatchObject({ claimed: true, resumed: false });
    expect(job.attempt).toBe(2);
    expect(job.provider_ref).toBe('op-1');
  });

  it('a job killed on its last attempt fails saying it ran out of memory or time', async () => {
    const stale = Date.now() - 10 * MIN;
    store.put(projectWith(renderJob({ attempt: 2, last_update: at(stale), lease_until: at(stale + MIN) })));
    await runTask(payload, config);
    const job = store.get(payload.project_id).active_job!;
    expect(job.status).toBe('failed');
    expect(job.error_message).toBe(
      'The final render failed: the worker was stopped before it finished: it ran out of memory or reached its 1200 s time limit (2 attempts).',
    );
  });

  it('a wait that reaches its deadline hands the job back unfinished and asks for another delivery', async () => {
    store.put(projectWith(renderJob({ status: 'queued', attempt: 0, lease_until: null })));
    const handler = JOBS.render.handler;
    const seen: number[] = [];
    const outputs: string[] = [];
    (JOBS.render as { handler: typeof handler }).handler = async (ctx) => {
      seen.push(ctx.deadline);
      outputs.push(ctx.outputId);
      throw new StillRunning('replicate', 'still running');
    };
    try {
      const before = Date.now();
      await expect(runTask(payload, config)).rejects.toBeInstanceOf(StillRunning);
      expect(seen[0]).toBeLessThanOrEqual(before + 1000 + JOB_TIMEOUT_SECONDS.render * 1000);
      const job = store.get(payload.project_id).active_job!;
      expect(job).toMatchObject({ status: 'processing', attempt: 1, lease_until: null });
      // The next delivery resumes it without spending an attempt.
      await expect(runTask(payload, config)).rejects.toBeInstanceOf(StillRunning);
      expect(store.get(payload.project_id).active_job!.attempt).toBe(1);
      // Each execution names its own output files: two executions never share an object path.
      expect(outputs).toHaveLength(2);
      expect(outputs[0]).not.toBe(outputs[1]);
      expect(outputs[0]).toMatch(/^job-render-/);
    } finally {
      (JOBS.render as { handler: typeof handler }).handler = handler;
    }
  });

  it('a long step beats its heartbeat without reporting progress', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    store.put(projectWith(renderJob({ status: 'queued', attempt: 0, lease_until: null })));
    const handler = JOBS.render.handler;
    let finish: () => void = () => undefined;
    (JOBS.render as { handler: typeof handler }).handler = () =>
      new Promise((resolve) => {
        finish = () => resolve({ files: [], apply: () => [] });
      });
    try {
      const run = runTask(payload, config);
      await vi.advanceTimersByTimeAsync(10);
      const claimedAt = store.get(payload.project_id).active_job!.last_update.toMillis();
      await vi.advanceTimersByTimeAsync(4 * HEARTBEAT_SECONDS * 1000);
      const beat = store.get(payload.project_id).active_job!.last_update.toMillis();
      expect(beat - claimedAt).toBeGreaterThanOrEqual(3 * HEARTBEAT_SECONDS * 1000);
      finish();
      await run;
      expect(store.get(payload.project_id).active_job!.status).toBe('completed');
    } finally {
      (JOBS.render as { handler: typeof handler }).handler = handler;
    }
  });
});
