// Jobs done in parts (functions/src/jobs/parts.ts): the render's formats, each claimed, retried and failed
// like a job of its own, and the fan-in that says when the job's own task has something to decide.
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import {
  claimPart,
  completePart,
  failPart,
  fanInDue,
  fanOutParts,
  partHeldBy,
  progressFromParts,
  requeuePart,
} from '../../functions/src/jobs/parts.js';
import { findJob, HEARTBEAT_LOST_SECONDS } from '../../functions/src/jobs/state.js';
import { jobOn, sampleProject } from './support/memory-store.js';

const now = Timestamp.fromMillis(Date.parse('2026-01-01T00:00:00Z'));
const later = (seconds: number) => Timestamp.fromMillis(now.toMillis() + seconds * 1000);
const LEASE = 1860;

function renderJob() {
  const project = sampleProject(2);
  project.active_job = jobOn('render', { status: 'processing' });
  const loc = findJob(project, project.active_job.job_id)!;
  return { project, loc, job: loc.job };
}

describe('fanning out', () => {
  it('writes one queued part per format and a task for each, then none for a part already running', () => {
    const { job } = renderJob();
    const first = fanOutParts(job, ['9:16', '1:1'], [], now);
    expect(first.enqueue).toEqual([
      { name: '9:16', n: 1 },
      { name: '1:1', n: 1 },
    ]);
    expect(job.parts?.['9:16']).toMatchObject({ status: 'queued', attempt: 0, deliveries: 1 });
    claimPart({ job }, '9:16', later(1), LEASE, 2, 'lost');
    // Delivered again (a sweep, a lost enqueue): only the part nobody is on gets a second task.
    const again = fanOutParts(job, ['9:16', '1:1'], [], later(2));
    expect(again.enqueue).toEqual([{ name: '1:1', n: 2 }]);
    expect(again.dropped).toEqual([]);
  });

  it('starts a reset part afresh, keeping its task count, and hands back its old pack to delete', () => {
    const { job } = renderJob();
    fanOutParts(job, ['9:16'], [], now);
    claimPart({ job }, '9:16', now, LEASE, 2, 'lost');
    job.parts!['9:16']!.pack = { video_path: 'projects/p/renders/old.mp4' };
    completePart(job.parts!['9:16']!, later(5));
    const { enqueue, dropped } = fanOutParts(job, ['9:16'], ['9:16'], later(6));
    expect(dropped.map((p) => p.pack?.video_path)).toEqual(['projects/p/renders/old.mp4']);
    expect(enqueue).toEqual([{ name: '9:16', n: 2 }]);
    expect(job.parts!['9:16']).toMatchObject({ status: 'queued', attempt: 0, progress: 0 });
    expect(job.parts!['9:16']!.pack).toBeUndefined();
  });
});

describe('claiming a part', () => {
  it('runs a queued part, hands back a live one, and takes over one whose worker died', () => {
    const { job } = renderJob();
    fanOutParts(job, ['9:16'], [], now);
    const claim = claimPart({ job }, '9:16', now, LEASE, 2, 'lost');
    expect(claim.action).toBe('run');
    expect(job.last_update).toEqual(now);
    const lease = job.parts!['9:16']!.lease_until!.toMillis();
    expect(partHeldBy({ job }, '9:16', lease)).toBe(true);
    expect(claimPart({ job }, '9:16', later(30), LEASE, 2, 'lost')).toEqual({
      action: 'hand-back',
      reason: 'running',
    });
    const takeover = claimPart({ job }, '9:16', later(HEARTBEAT_LOST_SECONDS + 1), LEASE, 2, 'lost');
    expect(takeover.action).toBe('run');
    expect(job.parts!['9:16']!.attempt).toBe(2);
    // The first execution no longer holds it.
    expect(partHeldBy({ job }, '9:16', lease)).toBe(false);
  });

  it('fails a part out of attempts, saying why, and skips a finished one or a finished job', () => {
    const { job } = renderJob();
    fanOutParts(job, ['9:16', '1:1'], [], now);
    claimPart({ job }, '9:16', now, LEASE, 1, 'lost');
    const dead = claimPart({ job }, '9:16', later(HEARTBEAT_LOST_SECONDS + 1), LEASE, 1, 'the worker died');
    expect(dead).toEqual({ action: 'fail', message: 'the worker died' });
    expect(job.parts!['9:16']).toMatchObject({ status: 'failed', lease_until: null });
    claimPart({ job }, '1:1', now, LEASE, 1, 'lost');
    requeuePart(job.parts!['1:1']!, 'Storage hiccup', later(1));
    expect(claimPart({ job }, '1:1', later(2), LEASE, 1, 'lost')).toEqual({
      action: 'fail',
      message: 'gave up after 1 attempts (Retrying after: Storage hiccup)',
    });
    expect(claimPart({ job }, '1:1', later(3), LEASE, 1, 'lost')).toMatchObject({ action: 'skip' });
    job.status = 'canceled';
    expect(claimPart({ job }, '1:1', later(3), LEASE, 1, 'lost')).toEqual({
      action: 'skip',
      reason: 'finished',
    });
  });
});

describe('the fan-in', () => {
  it('is due once every part is finished, or as soon as one failed for good', () => {
    const { job } = renderJob();
    fanOutParts(job, ['9:16', '1:1', '16:9'], [], now);
    expect(fanInDue(job)).toBe(false);
    completePart(job.parts!['9:16']!, later(1));
    expect(fanInDue(job)).toBe(false);
    failPart(job.parts!['16:9']!, 'undecodable clip', later(2));
    expect(fanInDue(job)).toBe(true);
    job.parts!['16:9'] = { ...job.parts!['9:16']! };
    completePart(job.parts!['1:1']!, later(3));
    expect(fanInDue(job)).toBe(true);
  });

  it('shows the mean of the parts as the job progress, never moving back', () => {
    const { job } = renderJob();
    fanOutParts(job, ['9:16', '1:1'], [], now);
    job.parts!['9:16']!.progress = 80;
    expect(progressFromParts(job)).toBe(40);
    completePart(job.parts!['1:1']!, later(1));
    job.parts!['9:16']!.progress = 90;
    expect(progressFromParts(job)).toBe(95);
    job.progress = 97;
    expect(progressFromParts(job)).toBe(97);
  });
});
