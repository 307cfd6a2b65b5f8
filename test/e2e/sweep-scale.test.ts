// The sweep at scale: one failed enqueue does not stop the jobs after it, and a run that stops early
// leaves a cursor so the next run goes on behind it instead of starting over at the same projects.
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ActiveJobDoc } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  fileUser,
  activeJob,
  clearFirestore,
  createProjectRequest,
  patchProject,
  readProjectOrFail,
  sceneInput,
} from './support/index.js';
import { holdScheduledSweep, sweep } from './pipeline/in-process.js';
import { computeStats } from '../../functions/src/projects/stats.js';
import type * as Queues from '../../functions/src/jobs/queues.js';

type QueuesModule = typeof Queues;

// Enqueues are recorded, not sent (the jobs here are made up); the first one fails.
const enqueued: string[] = [];
let failNext = true;
vi.mock('../../functions/src/jobs/queues.js', async (original) => ({
  ...(await original<QueuesModule>()),
  enqueueJob: async (_projectId: string, job: ActiveJobDoc) => {
    if (failNext) {
      failNext = false;
      throw new Error('Cloud Tasks unavailable');
    }
    enqueued.push(job.job_id);
  },
}));

// The one job whose task is still waiting in its queue (the tasks emulator cannot say; production asks Cloud Tasks).
let pendingJob = '';
vi.mock('../../functions/src/sweep/task-inspector.js', () => ({
  taskInspector: () => ({
    presence: async (_type: string, id: string) =>
      pendingJob && id.startsWith(pendingJob) ? 'pending' : 'absent',
  }),
}));

const HOUR = 60 * 60 * 1000;

describe.skipIf(E2E_SKIP_REASON !== null)('the stale sweep at scale', () => {
  const client = fileUser('sweep-scale');
  const projects: string[] = [];
  let releaseSweep: (() => void) | undefined;

  beforeAll(async () => {
    // These jobs are stale by hand: only this test's sweeps may touch them, not the harness's schedule.
    releaseSweep = await holdScheduledSweep();
    await clearFirestore();
    // Four projects with stale queued jobs, oldest first: one whose task is still pending in its queue (the
    // sweep leaves it, so it stays a candidate), one with two jobs, two with one.
    for (let i = 0; i < 4; i += 1) {
      const { project } = await client.call('createProject', createProjectRequest());
      await client.call('addScene', { project_id: project.id, ...sceneInput(1) });
      const stale = Timestamp.fromMillis(Date.now() - (4 - i) * HOUR);
      await patchProject(project.id, (p) => {
        p.active_job = activeJob('storyboard', 'queued', { last_update: stale, attempt: 1 });
        if (i === 1)
          p.scenes[0]!.active_job = activeJob('audio', 'queued', { last_update: stale, attempt: 1 });
        // The stats every write computes, `stale_at` among them.
        p.stats = computeStats(p, Timestamp.now());
      });
      projects.push(project.id);
    }
    // A render quiet for 10 minutes: longer than the shortest stale limit of any type (5), shorter than a
    // render's own (20). Not stale, so not a candidate: it must not take a place in any run.
    const { project: quiet } = await client.call('createProject', createProjectRequest());
    await patchProject(quiet.id, (p) => {
      p.active_job = activeJob('render', 'processing', {
        last_update: Timestamp.fromMillis(Date.now() - 10 * 60_000),
        attempt: 1,
      });
      p.stats = computeStats(p, Timestamp.now());
    });
    pendingJob = (await readProjectOrFail(projects[0]!)).active_job!.job_id;
  });
  afterAll(async () => {
    releaseSweep?.();
  });

  it('a failed enqueue does not stop the rest; an early stop leaves a cursor for the next run', async () => {
    const first = await sweep(new Date(), { maxProjects: 2 });
    expect(first).toMatchObject({ projects: 2, left: 1, requeued: 1, enqueueFailed: 1, stoppedEarly: true });
    // The second project's scene job was enqueued although the enqueue before it failed.
    const b = await readProjectOrFail(projects[1]!);
    expect(enqueued).toEqual([b.scenes[0]!.active_job!.job_id]);

    // The next run goes on behind the cursor, not again at the project that stays stale, and reaches the
    // end: the quiet render is no candidate.
    const second = await sweep(new Date(), { maxProjects: 2 });
    expect(second).toMatchObject({ projects: 2, left: 0, requeued: 2, stoppedEarly: false });
    // It reached the end, so the run after it starts over and finds the pending one again.
    const third = await sweep(new Date(), { maxProjects: 2 });
    expect(third).toMatchObject({ left: 1 });
  });
});
