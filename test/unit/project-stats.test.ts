// `stats.stale_at` is what the stale sweep queries: the moment the project's first unfinished job goes stale
// by its own type's limit, so a quiet long job (a render) is not a candidate while a short one would be.
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { JOB_STALE_MINUTES } from '@reelforge/schema';
import { computeStats } from '../../functions/src/projects/stats.js';
import { jobOn, sampleProject } from './support/memory-store.js';

const MIN = 60_000;
const at = (ms: number) => Timestamp.fromMillis(ms);

describe('project stats: stale_at', () => {
  const t0 = Date.parse('2026-11-25T12:00:00Z');

  it('is null when no job is unfinished', () => {
    const project = sampleProject(1);
    project.active_job = jobOn('render', { status: 'completed', last_update: at(t0) });
    expect(computeStats(project, at(t0)).stale_at).toBeNull();
  });

  it("is the earliest last_update plus that job's own stale limit", () => {
    const project = sampleProject(1);
    // The render's update is older, but its limit is long: the storyboard-like short job goes stale first.
    project.active_job = jobOn('render', { status: 'processing', last_update: at(t0) });
    project.scenes[0]!.active_job = jobOn(
      'composition',
      { status: 'queued', last_update: at(t0 + 8 * MIN) },
      project.scenes[0],
    );
    const stats = computeStats(project, at(t0 + 9 * MIN));
    expect(stats.oldest_active_update?.toMillis()).toBe(t0);
    expect(stats.stale_at?.toMillis()).toBe(
      Math.min(t0 + JOB_STALE_MINUTES.render * MIN, t0 + 8 * MIN + JOB_STALE_MINUTES.composition * MIN),
    );
    expect(stats.stale_at?.toMillis()).toBe(t0 + 13 * MIN);
  });

  it('follows the registry: a quiet render alone goes stale at its own limit, not the shortest', () => {
    const project = sampleProject(0);
    project.active_job = jobOn('render', { status: 'processing', last_update: at(t0) });
    const shortest = Math.min(...Object.values(JOB_STALE_MINUTES));
    expect(JOB_STALE_MINUTES.render).toBeGreaterThan(shortest);
    expect(computeStats(project, at(t0)).stale_at?.toMillis()).toBe(t0 + JOB_STALE_MINUTES.render * MIN);
  });
});
