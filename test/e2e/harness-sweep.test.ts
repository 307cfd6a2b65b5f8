// The harness plays Cloud Scheduler: a job whose worker was killed, with no task left in Cloud Tasks to
// retry it, is rescued by the deployed stale sweep firing on its own schedule in the emulators. The test
// never calls the sweep: it only makes the job look silent for longer than its stale limit and waits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_STALE_MINUTES } from '@reelforge/schema';
import { computeStats } from '../../functions/src/projects/stats.js';
import { LOG_DIR } from '../../scripts/harness/env.js';
import { SCHEDULER_LOG, SWEEP_EVERY_ENV, SWEEP_EVERY_MS_ENV } from '../../scripts/harness/scheduled.js';
import {
  E2E_SKIP_REASON,
  fileUser,
  clearFirestore,
  patchProject,
  readProjectOrFail,
} from './support/index.js';
import { expectCompleted, jobOf, projectWithStoryboard, sleep } from './pipeline/jobs.js';
import { standin } from './pipeline/standin.js';
import { seedUnqueuedSceneJob, startWorkerChild } from './pipeline/worker-child.js';

const sweepEveryMs = Number(process.env[SWEEP_EVERY_MS_ENV] ?? NaN);
// The harness must be running the sweep, and often enough for a test (npm test sets REELFORGE_SWEEP_EVERY).
const skipReason =
  E2E_SKIP_REASON ??
  (!(sweepEveryMs <= 30_000)
    ? `the harness sweep ${Number.isNaN(sweepEveryMs) ? 'is not running' : `runs only every ${sweepEveryMs} ms`}; run the harness with ${SWEEP_EVERY_ENV}=2s`
    : null);
if (skipReason) console.warn(`\n!!! SKIPPED "the harness's scheduled sweep": ${skipReason}\n`);

const schedulerLog = () => readFileSync(join(LOG_DIR, `${SCHEDULER_LOG}.log`), 'utf8');

describe.skipIf(skipReason !== null)("the harness's scheduled sweep", () => {
  const client = fileUser('swept');

  beforeAll(async () => {
    await clearFirestore();
    await standin.clearFaults();
  });
  afterAll(async () => {
    await standin.clearFaults();
  });

  it('rescues a job whose worker was killed with no Cloud Task left, without the test calling the sweep', async () => {
    const project = await projectWithStoryboard(client, 1);
    const scene = project.scenes[0]!;

    // A queued image job that only the child process runs (it is never enqueued: no task will retry it).
    const jobId = await seedUnqueuedSceneJob(project.id, 'image');
    // The worker's first poll of its prediction never answers: it is stuck there when it is killed.
    await standin.addFault({ target: 'replicate', fault: 'hang', on: 'get', times: 1 });
    const before = await standin.stats();
    const child = startWorkerChild('jobs-image', {
      projectId: project.id,
      sceneId: scene.id,
      jobId,
      type: 'image',
    });
    // Killed only once it is stuck in the hanging poll: the hang is then spent, and the rescue's poll answers.
    let hung = false;
    for (let i = 0; i < 1200 && !hung; i++) {
      await sleep(25);
      hung = (await standin.stats()).faultsInjected.hang > before.faultsInjected.hang;
    }
    const claimed = jobOf(await readProjectOrFail(project.id), jobId);
    child.kill();
    await child.exited;
    // Whatever the child reached, the rescue must not meet the hang. The prediction was created for polling
    // (no webhook will report it): let it finish, so the rescue finds it done rather than waiting for a webhook.
    await standin.clearFaults();
    for (let i = 0; i < 600; i++) {
      if ((await standin.stats()).predictionsSucceeded > before.predictionsSucceeded) break;
      await sleep(50);
    }
    expect(claimed).toMatchObject({ status: 'processing', attempt: 1 });
    expect(claimed?.provider_ref).toBeTruthy();

    // Its last sign of life was longer ago than the image stale limit (as if it died that long ago).
    const silentSince = Timestamp.fromMillis(Date.now() - (JOB_STALE_MINUTES.image + 1) * 60_000);
    const backdatedAt = new Date();
    await patchProject(project.id, (p) => {
      p.scenes[0]!.active_job!.last_update = silentSince;
      p.stats = computeStats(p, Timestamp.now());
    });

    // Nothing but the harness's scheduler runs the sweep; the re-queued task resumes the same prediction.
    const t0 = Date.now();
    const { job } = await expectCompleted(project.id, jobId, sweepEveryMs + 60_000);
    const rescuedInMs = Date.now() - t0;
    expect(job.attempt).toBe(2);
    expect(job.provider_ref).toBe(claimed!.provider_ref);
    const after = await standin.stats();
    expect(after.predictionsCreated - before.predictionsCreated).toBe(1);

    // The harness logged the run that did it: when, and what it did.
    const runs = schedulerLog()
      .split('\n')
      .filter((line) => line.includes('sweepStaleJobsScheduled ran at'))
      .filter((line) => new Date(line.split(' ')[0]!) >= backdatedAt);
    expect(runs.some((line) => /looked at 1 project\(s\), requeued 1, failed 0/.test(line))).toBe(true);
    console.log(`rescued ${rescuedInMs} ms after the job went stale (sweep every ${sweepEveryMs} ms)`);
  });
});
