// Predictions are paid for from their create on: each is recorded the moment it exists and a retry resumes
// the recorded ones, so a failure between creates never pays twice. The stand-in counts every create.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  E2E_SKIP_REASON,
  fileUser,
  clearFirestore,
  createProjectRequest,
  listFiles,
} from './support/index.js';
import { expectCompleted, filesEventually, waitForJob } from './pipeline/jobs.js';
import { standin } from './pipeline/standin.js';

describe.skipIf(E2E_SKIP_REASON !== null)('generation pipeline: predictions paid once', () => {
  const client = fileUser('predictions');

  beforeAll(async () => {
    await clearFirestore();
    await standin.clearFaults();
  });
  afterEach(async () => standin.clearFaults());
  afterAll(async () => {
    // Everything the stand-in answered the functions here is what OpenAI's and Replicate's documents allow.
    expect(await standin.violations()).toEqual([]);
  });

  it('a moods job whose second prediction create gets a 429 creates exactly three predictions', async () => {
    const { project } = await client.call('createProject', createProjectRequest());
    const before = await standin.stats();
    await standin.addFault({
      target: 'replicate',
      kind: 'image',
      fault: 'http_429',
      on: 'create',
      after: 1,
      times: 1,
    });

    const { job_id } = await client.call('generateMoods', { project_id: project.id });
    const { job, project: after } = await expectCompleted(project.id, job_id, 90_000);

    const stats = await standin.stats();
    const created = stats.predictionsCreated - before.predictionsCreated;
    console.log(`moods job with a 429 on its second create: ${created} predictions created`);
    expect(stats.faultsInjected.http_429 - before.faultsInjected.http_429).toBe(1);
    expect(job.attempt).toBe(2);
    expect(created).toBe(3);
    expect(after.moods).toHaveLength(3);
    for (const mood of after.moods) expect(mood.image_paths.length).toBeGreaterThan(0);
    // The kept proposals were for the retry only.
    await filesEventually(
      () => listFiles(`projects/${project.id}/jobs/`),
      (files) => files.length === 0,
    );
  });

  it('a moods job that fails for good leaves no proposals file and no images behind, at once', async () => {
    const { project } = await client.call('createProject', createProjectRequest());
    // The second mood's image is refused as NSFW: a permanent failure, so no retry will read the proposals.
    await standin.addFault({ target: 'replicate', kind: 'image', fault: 'refused', after: 1, times: 1 });

    const { job_id } = await client.call('generateMoods', { project_id: project.id });
    const { job } = await waitForJob(project.id, job_id, undefined, 90_000);
    expect(job.status).toBe('failed');
    expect(job.error_message).toMatch(/Mood board generation failed/);
    // Deleted by the failure itself, right after it is recorded (the hourly reconciliation would take an
    // hour or more): gone within seconds.
    const none = (files: string[]) => files.length === 0;
    expect(await filesEventually(() => listFiles(`projects/${project.id}/jobs/`), none)).toEqual([]);
    expect(await filesEventually(() => listFiles(`projects/${project.id}/moods/`), none)).toEqual([]);
  });

  it('a finished prediction read after Replicate removed its output fails saying so, and pays once', async () => {
    const { project } = await client.call('createProject', createProjectRequest());
    const before = await standin.stats();
    // Replicate removes an API prediction's output an hour after it ends; here at once, so the job's read of
    // its finished prediction is the late one: \`output: null\`, \`data_removed: true\`.
    await standin.configure({ outputTtlSeconds: 0 });
    try {
      const { job_id } = await client.call('generateMusic', { project_id: project.id });
      const { job, project: after } = await waitForJob(project.id, job_id, undefined, 90_000);
      expect(job.status).toBe('failed');
      expect(job.error_message).toMatch(/output expired at the provider before it could be saved/);
      expect(job.attempt).toBe(1);
      expect(after.assets.music_path).toBeUndefined();
      const stats = await standin.stats();
      // No second prediction on its own: making the bed again is a retry the user asks for.
      expect(stats.predictionsCreated - before.predictionsCreated).toBe(1);
      // The prediction ran and was paid for: it is booked.
      expect(job.cost?.actual_usd ?? 0).toBeGreaterThan(0);
    } finally {
      await standin.configure({ outputTtlSeconds: 3600 });
    }
  });
});
