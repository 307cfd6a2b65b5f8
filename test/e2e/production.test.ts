// Productions end to end on the emulators: one startProduction call makes the whole ad with no client
// acting meanwhile (these tests only watch the document), inside the user's cap, healing a start whose
// enqueue was lost and ignoring duplicate deliveries. Each file's users are its own (fileUser), so it runs
// beside the other shared files; production-scale.test.ts has twelve scenes, two productions at once and an
// edit; the stand-in's faults and counters are used only in production-faults.test.ts, which runs alone.
import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { isUnfinished, jobsOf, type ActiveJobDoc } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  fileUser,
  expectHttpsError,
  listFiles,
  patchProject,
  readProjectOrFail,
  waitForProject,
} from './support/index.js';
import { functionsEnv } from './pipeline/in-process.js';
import {
  madeSteps,
  productionEnded,
  setUserLimits,
  shortStoryboard as storyboard,
  watchSlots,
} from './production/support.js';

describe.skipIf(E2E_SKIP_REASON !== null)('productions', () => {
  const client = fileUser('producer');

  it('with a cap of 2, six scenes complete with never more than 2 jobs at once, a bed and no scene music', async () => {
    const projectId = await storyboard(client, 6);
    await setUserLimits(client.uid, { max_active_jobs: 2 });
    const slots = watchSlots(client.uid);
    try {
      const started = await client.call('startProduction', { project_id: projectId });
      expect(started.estimate_usd).toBeGreaterThan(0);
      const running = await readProjectOrFail(projectId);
      expect(running.production).toMatchObject({ production_id: started.production_id, formats: ['9:16'] });
      expect(jobsOf(running).filter(isUnfinished).length).toBeLessThanOrEqual(2);
      const second = await expectHttpsError(
        client.call('startProduction', { project_id: projectId }),
        'failed-precondition',
      );
      expect(second.message).toMatch(/already running/);

      const done = await productionEnded(projectId);
      expect(done.production).toMatchObject({ status: 'completed', blocked: [] });
      expect(done.production!.steps_done).toBe(done.production!.steps_total);
      expect(done.assets.final_video_path).toBeTruthy();
      expect(done.assets.music_path).toBeTruthy();
      for (const scene of done.scenes) {
        expect(scene.assets.video_path).toBeTruthy();
        expect(scene.assets.audio_path).toBeUndefined();
      }
      // With the bed the scenes need no music of their own to count as complete.
      expect(done.stats.completed_scenes).toBe(6);
      expect(slots.max()).toBeLessThanOrEqual(2);
      expect(slots.max()).toBe(2); // it used both slots, never stalling on one
      const { byType } = await madeSteps(projectId, started.production_id);
      const lines = done.scenes.filter((s) => s.voiceover_text).length;
      expect(byType).toEqual({
        composition: 6,
        image: 6,
        video: 6,
        ...(lines ? { voiceover: lines } : {}),
        music: 1,
        render: 1,
      });
    } finally {
      slots.stop();
    }
  }, 240_000);

  it('a start whose enqueue was lost (worker killed after its write) is enqueued by the sweep; duplicates run once', async () => {
    const projectId = await storyboard(client, 1);
    await setUserLimits(client.uid, {});
    // What a worker killed between the commit and the enqueue leaves: a production whose queued job has no
    // task behind it, older than the sweep's grace. Written as the advance writes it (and its slot, as
    // admission takes it).
    const productionId = randomUUID();
    const jobId = randomUUID();
    const past = Timestamp.fromMillis(Date.now() - 60_000);
    await patchProject(projectId, (p) => {
      const job: ActiveJobDoc = {
        job_id: jobId,
        type: 'composition',
        status: 'queued',
        progress: 0,
        started_at: past,
        last_update: past,
        attempt: 0,
        deliveries: 0,
        lease_until: null,
        scene_id: p.scenes[0]!.id,
        production_id: productionId,
        cost: { estimated_usd: 0.001 },
      };
      p.scenes[0]!.active_job = job;
      p.production = {
        production_id: productionId,
        status: 'running',
        started_at: past,
        resumed_at: null,
        finished_at: null,
        formats: ['9:16'],
        from_brief: false,
        estimate_usd: 1,
        spent_usd: 0,
        steps_done: 0,
        steps_total: 5,
        blocked: [],
      };
    });
    // A duplicate delivery of the job's task besides the one the sweep makes: the job runs once.
    const { enqueueJob, taskId } = await inProcessQueues();
    const project = await readProjectOrFail(projectId);
    const job = project.scenes[0]!.active_job!;
    // Healed once it runs: seen processing, or already made (its completing write may put the scene's next
    // step in its place before a listener sees it processing).
    const healed = await waitForProject(
      projectId,
      (p) =>
        !!p?.scenes[0]?.assets.composition_path?.includes(jobId) ||
        (p?.scenes[0]?.active_job?.job_id === jobId && p.scenes[0].active_job.status !== 'queued'),
      30_000,
    );
    expect(healed).toBeTruthy();
    await enqueueJob(projectId, job, job.scene_id, taskId(jobId, 'sweep', 77));
    const done = await productionEnded(projectId);
    expect(done.production?.status).toBe('completed');
    // One execution: its first attempt made the composition, and no second execution wrote a file of its own
    // (each execution writes under its own path).
    const composition = done.scenes[0]!.assets.composition_path!;
    expect(composition).toContain(jobId);
    const files = await listFiles(`projects/${projectId}/scenes/${done.scenes[0]!.id}/`);
    expect(files.filter((f) => f.includes(jobId))).toEqual([composition]);
    const { entries } = await madeSteps(projectId, productionId);
    expect(entries.find((e) => e.job_id === jobId)?.status).toBe('completed');
  });
});

type Queues = typeof import('../../functions/src/jobs/queues.js'); // eslint-disable-line @typescript-eslint/consistent-type-imports
async function inProcessQueues(): Promise<Queues> {
  Object.assign(process.env, functionsEnv());
  return import('../../functions/src/jobs/queues.js');
}
