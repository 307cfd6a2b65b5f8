// The write that completes a job may put the production's next step in its place in the same scene
// (jobs/production/advance.ts's hand-off). That write must still settle the ended job as what it was —
// completed, with its cost — not as a job gone with its scene (canceled, its slot kept for a "stopping"
// execution), and the usage record counts the successor as riding on the ended job's slot.
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it, vi } from 'vitest';
import { slotsHeld, type UsageSlot } from '@reelforge/schema';
import { MemoryStore, sampleProject } from './support/memory-store.js';

const settled: { job_id: string; status: string; execution_until?: unknown }[][] = [];
vi.mock('../../functions/src/projects/usage/settle.js', () => ({
  settleEndedJobs: async (
    _uid: string,
    _pid: string,
    ended: { job: { job_id: string; status: string }; execution_until?: unknown }[],
  ) => {
    settled.push(
      ended.map((e) => ({ job_id: e.job.job_id, status: e.job.status, execution_until: e.execution_until })),
    );
  },
}));

const { mutateProject, useProjectStore } = await import('../../functions/src/projects/store.js');
const { newJob, completeJob } = await import('../../functions/src/jobs/state.js');

describe('a job completed and replaced in its scene by one write', () => {
  it('is settled as completed when the change marks its ends before the replacement', async () => {
    for (const mark of [true, false]) {
      settled.length = 0;
      const store = new MemoryStore();
      const restore = useProjectStore(store);
      try {
        const project = sampleProject(1);
        const now = Timestamp.now();
        const running = newJob('image', now, project.scenes[0]!.id, 'ending-job');
        running.status = 'processing';
        // A live lease: an execution holds the job while it writes its completion.
        running.lease_until = Timestamp.fromMillis(now.toMillis() + 60_000);
        project.scenes[0]!.active_job = running;
        store.put(project);
        await mutateProject(project.id, { uid: null }, (p, ctx) => {
          const scene = p.scenes[0]!;
          completeJob(scene.active_job!, ctx.now);
          if (mark) ctx.markEnds();
          scene.active_job = newJob('video', ctx.now, scene.id, 'next-job');
          return true;
        });
        expect(store.get(project.id).scenes[0]!.active_job?.job_id).toBe('next-job');
        const [ended] = settled;
        // Without the mark the diff sees the job vanish under a live lease: "canceled", its slot kept.
        expect(ended, `markEnds ${mark}`).toEqual(
          mark
            ? [{ job_id: 'ending-job', status: 'completed', execution_until: undefined }]
            : [expect.objectContaining({ job_id: 'ending-job', status: 'canceled' })],
        );
      } finally {
        restore();
      }
    }
  });
});

describe('slotsHeld', () => {
  const slot = (replaces?: string): UsageSlot => ({
    project_id: 'p1',
    type: 'image',
    estimated_usd: 0.01,
    admitted_at: Timestamp.now(),
    ...(replaces ? { replaces } : {}),
  });
  it('counts a successor and the job it replaces once, and only while both are there', () => {
    expect(slotsHeld({ a: slot(), b: slot() })).toBe(2);
    expect(slotsHeld({ a: slot(), b: slot('a') })).toBe(1);
    // Two successors of one job (a crashed hand-off left one): only one rides.
    expect(slotsHeld({ a: slot(), b: slot('a'), c: slot('a') })).toBe(2);
    // The replaced job settled: the successor holds its own slot.
    expect(slotsHeld({ b: slot('a') })).toBe(1);
  });
});
