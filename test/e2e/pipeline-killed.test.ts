// A worker killed mid-upload (out of memory, instance reclaimed) must leave no partial file, and the job
// must recover: the sweep re-queues it, the retried task resumes the same prediction, persists it once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  E2E_SKIP_REASON,
  fileUser,
  adminBucket,
  clearFirestore,
  readProjectOrFail,
} from './support/index.js';
import {
  expectCompleted,
  jobOf,
  projectWithStoryboard,
  runSceneJob,
  sceneFiles,
  sleep,
} from './pipeline/jobs.js';
import { anHourLater, sweep } from './pipeline/in-process.js';
import { standin } from './pipeline/standin.js';
import { seedUnqueuedSceneJob, startWorkerChild } from './pipeline/worker-child.js';

// Big enough to catch the upload midway; under the Storage emulator's 130 MB request-body limit, which the
// retried upload must pass (production Storage has no such limit).
const BIG = 96 * 1024 * 1024;

describe.skipIf(E2E_SKIP_REASON !== null)('generation pipeline: a worker killed mid-upload', () => {
  const client = fileUser('killed');

  beforeAll(async () => {
    await clearFirestore();
    await standin.clearFaults();
  });
  afterAll(async () => {
    await standin.configure({ bigOutputBytes: 0 });
  });

  it('leaves no partial file; the swept retry persists exactly one complete file', async () => {
    const project = await projectWithStoryboard(client, 1);
    const scene = project.scenes[0]!;
    await runSceneJob(client, project.id, scene.id, 'image');

    // A queued video job that only the child process will run (it is not enqueued).
    const jobId = await seedUnqueuedSceneJob(project.id, 'video');
    await standin.configure({ bigOutputBytes: BIG });
    const before = await standin.stats();
    const child = startWorkerChild('jobs-video', {
      projectId: project.id,
      sceneId: scene.id,
      jobId,
      type: 'video',
    });

    // Kill it once the output is streaming: some megabytes served, far from all of them.
    let served = 0;
    for (let i = 0; i < 600; i++) {
      served = (await standin.stats()).bytesServed - before.bytesServed;
      if (served > 8 * 1024 * 1024) break;
      await sleep(25);
    }
    child.kill();
    await child.exited;
    expect(served).toBeGreaterThan(8 * 1024 * 1024);
    expect(served).toBeLessThan(BIG);

    const stuck = await readProjectOrFail(project.id);
    const job = jobOf(stuck, jobId)!;
    expect(job).toMatchObject({ status: 'processing', attempt: 1 });
    expect(job.provider_ref).toBeTruthy();
    // The upload never completed, so no object exists: only the keyframe is there.
    const files = await sceneFiles(project.id, scene.id);
    expect(files.filter((f) => f.includes('/video-'))).toEqual([]);

    // The sweep finds the silent job and hands it back to Cloud Tasks; the retry resumes the prediction.
    const swept = await sweep(anHourLater());
    expect(swept.requeued).toBe(1);
    const { project: done, job: finished } = await expectCompleted(project.id, jobId, 90_000);
    expect(finished.attempt).toBe(2);
    expect(finished.provider_ref).toBe(job.provider_ref);
    const videos = (await sceneFiles(project.id, scene.id)).filter((f) => f.includes('/video-'));
    expect(videos).toEqual([done.scenes[0]!.assets.video_path]);
    // Complete: every byte the provider served.
    const [meta] = await adminBucket().file(videos[0]!).getMetadata();
    expect(Number(meta.size)).toBe(BIG);
    const after = await standin.stats();
    expect(after.predictionsCreated - before.predictionsCreated).toBe(1);
  });
});
