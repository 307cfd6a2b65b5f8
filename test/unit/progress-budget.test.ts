// The project's progress budget (functions/src/jobs/progress.ts): decided from the document alone, so that
// tasks and webhook deliveries on different instances spend one shared budget.
import { describe, expect, it } from 'vitest';
import { Timestamp } from 'firebase-admin/firestore';

const { progressDecision, progressIntervalMs, PROJECT_QUIET_MS } =
  await import('../../functions/src/jobs/progress.js');

const at = (ms: number) => Timestamp.fromMillis(ms);
const project = (updatedAtMs: number, activeJobs: number) => ({
  updated_at: at(updatedAtMs),
  stats: { active_jobs: activeJobs },
});
const T0 = 1_000_000;

describe('progressDecision', () => {
  it('lets a lone job write every 3 s and every 15 points, as before', () => {
    const job = { progress: 10, last_update: at(T0) };
    expect(progressDecision(job, project(T0, 1), 30, T0 + 2_999)).toEqual({
      write: false,
      notBeforeMs: T0 + 3_000,
    });
    expect(progressDecision(job, project(T0, 1), 30, T0 + 3_000)).toEqual({ write: true });
    expect(progressDecision(job, project(T0, 1), 24, T0 + 9_000).write).toBe(false);
    expect(progressDecision(job, project(T0, 1), 100, T0 + 9_000).write).toBe(false);
  });

  it('spaces one job\u2019s writes further apart the more jobs share the project', () => {
    expect(progressIntervalMs(1)).toBe(3_000);
    expect(progressIntervalMs(20)).toBe(20 * PROJECT_QUIET_MS);
    const job = { progress: 20, last_update: at(T0) };
    expect(progressDecision(job, project(T0, 20), 50, T0 + 30_000).write).toBe(false);
    expect(progressDecision(job, project(T0, 20), 50, T0 + 50_000).write).toBe(true);
    // Its first progress is not held back that long: every bar starts moving early.
    const fresh = { progress: 0, last_update: at(T0) };
    expect(progressDecision(fresh, project(T0, 20), 20, T0 + 3_000).write).toBe(true);
  });

  it('waits for the project document to be quiet, whichever job wrote last', () => {
    const job = { progress: 0, last_update: at(T0) };
    const busy = project(T0 + 10_000, 1); // another job's status change 1 s ago
    expect(progressDecision(job, busy, 50, T0 + 11_000)).toEqual({
      write: false,
      notBeforeMs: T0 + 10_000 + PROJECT_QUIET_MS,
    });
    expect(progressDecision(job, busy, 50, T0 + 10_000 + PROJECT_QUIET_MS).write).toBe(true);
  });

  it('keeps twenty jobs reporting every 100 ms at or under 0.4 progress writes/s, each job still moving', () => {
    // One project document, twenty running jobs of 60 s; every report decides on the document as stored.
    const jobs = Array.from({ length: 20 }, () => ({ progress: 0, last_update: at(T0) }));
    let doc = project(T0, jobs.length);
    const writes: number[] = [];
    const writesPerJob = jobs.map(() => 0);
    for (let now = T0; now <= T0 + 60_000; now += 100) {
      jobs.forEach((job, i) => {
        const value = ((now - T0) / 60_000) * 99;
        if (!progressDecision(job, doc, value, now).write) return;
        jobs[i] = { progress: Math.round(value), last_update: at(now) };
        doc = project(now, jobs.length);
        writes.push(now);
        writesPerJob[i]! += 1;
      });
    }
    const peak10s = Math.max(
      ...writes.map((start) => writes.filter((t) => t >= start && t < start + 10_000).length),
    );
    expect(peak10s).toBeLessThanOrEqual(4);
    expect(writes.length).toBeLessThanOrEqual(24);
    // Fair shares: no job starves while others write.
    expect(Math.min(...writesPerJob)).toBeGreaterThanOrEqual(1);
  });
});
