// The job state machine (functions/src/jobs/state.ts): pure functions on the project document.
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import {
  attemptsLeft,
  cancelJobState,
  claimJob,
  completeJob,
  decideClaim,
  decideFailure,
  DELIVERIES_PER_ATTEMPT,
  HEARTBEAT_LOST_SECONDS,
  failJob,
  findJob,
  heldBy,
  nextDelivery,
  requeueJob,
  setProgress,
} from '../../functions/src/jobs/state.js';
import { JOB_MAX_ATTEMPTS, JOB_TYPES, JOBS } from '../../functions/src/jobs/registry.js';
import { failureKind } from '../../functions/src/jobs/retry.js';
import { JobCanceled, PreconditionFailed, Unavailable } from '../../functions/src/errors.js';
import { ProviderError, StillRunning } from '../../functions/src/providers/errors.js';
import { jobOn, sampleProject } from './support/memory-store.js';

const now = Timestamp.fromMillis(Date.parse('2026-01-01T00:00:00Z'));
const later = (seconds: number) => Timestamp.fromMillis(now.toMillis() + seconds * 1000);

function withSceneJob(fields: Parameters<typeof jobOn>[1] = {}) {
  const project = sampleProject(2);
  const scene = project.scenes[1]!;
  scene.active_job = jobOn('image', fields, scene);
  return { project, scene, loc: findJob(project, scene.active_job.job_id)! };
}

describe('findJob', () => {
  it('finds project-level and scene jobs by id, and nothing for another id', () => {
    const { project, scene, loc } = withSceneJob();
    expect(loc.scene).toBe(scene);
    project.active_job = jobOn('render');
    expect(findJob(project, project.active_job.job_id)).toEqual({ job: project.active_job });
    expect(findJob(project, 'other')).toBeUndefined();
  });
});

describe('claimJob', () => {
  it('starts a new attempt on a queued job and takes a lease', () => {
    const { loc } = withSceneJob({ error_message: 'Retrying after: 503' });
    const claim = claimJob(loc, now, 60);
    expect(claim).toMatchObject({ claimed: true, resumed: false });
    expect(loc.job).toMatchObject({ status: 'processing', attempt: 1, last_update: now });
    expect(loc.job.lease_until?.toMillis()).toBe(later(60).toMillis());
    expect(loc.job.error_message).toBeUndefined();
  });

  it('resumes a processing job without a live lease without counting an attempt', () => {
    const { loc } = withSceneJob({ status: 'processing', attempt: 2, lease_until: null });
    expect(claimJob(loc, now, 60)).toMatchObject({ claimed: true, resumed: true });
    expect(loc.job.attempt).toBe(2);
  });

  it('refuses a duplicate delivery while another execution holds a live lease', () => {
    const { loc } = withSceneJob({ status: 'processing', attempt: 1, lease_until: later(10) });
    expect(claimJob(loc, now, 60)).toEqual({ claimed: false, reason: 'running' });
    expect(loc.job.attempt).toBe(1);
  });

  it('takes over a processing job whose execution died (lease ran out) as a new attempt', () => {
    const { loc } = withSceneJob({ status: 'processing', attempt: 1, lease_until: later(-1) });
    expect(claimJob(loc, now, 60)).toMatchObject({ claimed: true, resumed: false });
    expect(loc.job.attempt).toBe(2);
  });

  it('resumes a processing job that handed its lease back (waiting for a webhook) without an attempt', () => {
    const { loc } = withSceneJob({ status: 'processing', attempt: 1, lease_until: null });
    expect(claimJob(loc, now, 60)).toMatchObject({ claimed: true, resumed: true });
    expect(loc.job.attempt).toBe(1);
  });

  it.each(['completed', 'failed', 'canceled'] as const)('leaves a %s job alone', (status) => {
    const { loc } = withSceneJob({ status });
    expect(claimJob(loc, now, 60)).toEqual({ claimed: false, reason: 'finished' });
    expect(loc.job.status).toBe(status);
  });

  it('reports a missing job, and an exhausted one after its last attempt', () => {
    expect(claimJob(undefined, now, 60)).toEqual({ claimed: false, reason: 'missing' });
    const { loc } = withSceneJob({ attempt: JOB_MAX_ATTEMPTS.image });
    expect(claimJob(loc, now, 60)).toEqual({ claimed: false, reason: 'exhausted' });
  });
});

describe('transitions', () => {
  it('heldBy: only the execution whose lease is on the live job', () => {
    const { loc } = withSceneJob();
    claimJob(loc, now, 60);
    const lease = loc.job.lease_until!.toMillis();
    expect(heldBy(loc, lease)).toBe(true);
    expect(heldBy(loc, lease + 1)).toBe(false);
    expect(heldBy(undefined, lease)).toBe(false);
    cancelJobState(loc.job, now);
    expect(heldBy(loc, lease)).toBe(false);
  });

  it('progress only moves forward and stays below 100 until completion', () => {
    const { loc } = withSceneJob({ progress: 40 });
    setProgress(loc.job, 20, now);
    expect(loc.job.progress).toBe(40);
    setProgress(loc.job, 250, now);
    expect(loc.job.progress).toBe(99);
    completeJob(loc.job, later(1));
    expect(loc.job).toMatchObject({ status: 'completed', progress: 100, lease_until: null });
  });

  it('fail, requeue and cancel give up the lease; messages are capped', () => {
    const { loc } = withSceneJob({ lease_until: later(60) });
    requeueJob(loc.job, 'HTTP 503', now);
    expect(loc.job).toMatchObject({
      status: 'queued',
      error_message: 'Retrying after: HTTP 503',
      lease_until: null,
    });
    failJob(loc.job, 'x'.repeat(5000), now);
    expect(loc.job.status).toBe('failed');
    expect(loc.job.error_message).toHaveLength(1000);
    cancelJobState(loc.job, now);
    expect(loc.job).toMatchObject({ status: 'canceled', lease_until: null });
  });

  it('attemptsLeft follows the registry, nextDelivery counts re-deliveries', () => {
    const { loc } = withSceneJob({ attempt: JOB_MAX_ATTEMPTS.image - 1 });
    expect(attemptsLeft(loc.job)).toBe(true);
    loc.job.attempt += 1;
    expect(attemptsLeft(loc.job)).toBe(false);
    expect([nextDelivery(loc.job), nextDelivery(loc.job)]).toEqual([1, 2]);
  });
});

describe('decideClaim: what a delivery does, as a value the runner carries out', () => {
  it('runs a queued job, and resumes a handed-back one', () => {
    expect(decideClaim(withSceneJob().loc, now, 600)).toMatchObject({ action: 'run', resumed: false });
    const { loc } = withSceneJob({ status: 'processing', attempt: 1, lease_until: null });
    expect(decideClaim(loc, now, 600)).toMatchObject({ action: 'run', resumed: true });
  });

  it('skips a missing or finished job', () => {
    expect(decideClaim(undefined, now, 600)).toEqual({ action: 'skip', reason: 'missing' });
    const { loc } = withSceneJob({ status: 'completed' });
    expect(decideClaim(loc, now, 600)).toEqual({ action: 'skip', reason: 'finished' });
  });

  it('hands a delivery back while another execution holds a live lease, changing nothing', () => {
    const { loc } = withSceneJob({
      status: 'processing',
      attempt: 1,
      lease_until: later(600),
      last_update: now,
    });
    const before = { ...loc.job };
    expect(decideClaim(loc, later(1), 600)).toEqual({ action: 'hand-back', reason: 'running' });
    expect(loc.job).toEqual(before);
  });

  it('fails an exhausted job, and one whose executions died, in place with a message', () => {
    const max = JOB_MAX_ATTEMPTS.image;
    const spent = withSceneJob({ status: 'queued', attempt: max });
    expect(decideClaim(spent.loc, now, 600)).toEqual({
      action: 'fail',
      reason: 'exhausted',
      message: `Gave up after ${max} attempts.`,
    });
    expect(spent.loc.job.status).toBe('failed');
    const dead = withSceneJob({
      status: 'processing',
      attempt: max,
      lease_until: later(-1),
      last_update: now,
    });
    const decided = decideClaim(dead.loc, now, 600);
    expect(decided).toMatchObject({ action: 'fail', reason: 'lost' });
    expect(dead.loc.job.error_message).toMatch(/worker was stopped before it finished/);
  });
});

describe('decideFailure: what a failed execution does with the job it holds', () => {
  const held = (attempt: number) =>
    withSceneJob({ status: 'processing', attempt, lease_until: later(600), last_update: now }).loc.job;

  it('stops quietly on a cancellation, without touching the job', () => {
    const job = held(1);
    const before = { ...job };
    expect(decideFailure(job, 'canceled', '', now)).toEqual({ action: 'skip', reason: 'canceled' });
    expect(job).toEqual(before);
  });

  it('hands back a job whose provider outlives the function, no attempt spent', () => {
    const job = held(1);
    expect(decideFailure(job, 'still-running', '', now)).toEqual({
      action: 'hand-back',
      reason: 'provider-still-running',
    });
    expect(job).toMatchObject({ status: 'processing', attempt: 1, lease_until: null });
  });

  it('requeues a retryable failure while attempts remain, and fails it on the last', () => {
    const first = held(1);
    expect(decideFailure(first, 'retryable', 'timeout', now)).toEqual({ action: 'requeue' });
    expect(first).toMatchObject({ status: 'queued', error_message: 'Retrying after: timeout' });
    const last = held(JOB_MAX_ATTEMPTS.image);
    expect(decideFailure(last, 'retryable', 'timeout', now)).toEqual({
      action: 'fail',
      reason: 'last-attempt',
    });
    expect(last).toMatchObject({ status: 'failed', error_message: 'timeout' });
  });

  it('fails a permanent failure at once', () => {
    const job = held(1);
    expect(decideFailure(job, 'permanent', 'bad prompt', now)).toEqual({
      action: 'fail',
      reason: 'permanent',
    });
    expect(job).toMatchObject({ status: 'failed', error_message: 'bad prompt', lease_until: null });
  });

  it('classifies errors in one place (retry.ts), the provider still running before its retryable flag', () => {
    expect(failureKind(new JobCanceled('gone'))).toBe('canceled');
    expect(failureKind(new StillRunning('replicate', 'still going'))).toBe('still-running');
    expect(failureKind(new Unavailable('firestore'))).toBe('retryable');
    expect(failureKind(new ProviderError('openai', 'refused', { retryable: false }))).toBe('permanent');
    expect(failureKind(new PreconditionFailed('no keyframe'))).toBe('permanent');
    expect(failureKind(new Error('socket hang up'))).toBe('retryable');
  });
});

describe('DELIVERIES_PER_ATTEMPT', () => {
  // Cloud Tasks' backoff: doubles maxDoublings (4) times from the minimum, then grows linearly, capped at 300 s.
  function backoffAfter(retries: number, min: number): number {
    let total = 0;
    let step = min;
    for (let i = 0; i < retries; i += 1) {
      total += Math.min(300, step);
      step = i < 4 ? step * 2 : step + min * 16;
    }
    return total;
  }

  it.each(JOB_TYPES)("lets %s deliveries wait out a dead holder's heartbeat within one attempt", (type) => {
    const min = JOBS[type].queue.minBackoffSeconds ?? 5;
    // The run itself, then the handed-back deliveries, one of them spare.
    expect(backoffAfter(DELIVERIES_PER_ATTEMPT - 2, min)).toBeGreaterThan(HEARTBEAT_LOST_SECONDS);
  });
});
