// Faults from the provider stand-in's knobs, and the deliveries Cloud Tasks may make: retried, failed,
// swept, resumed, canceled, duplicated and superseded jobs must each leave the project readable, the job in
// the right state with a message a person understands, and exactly the files the state names.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getFunctions } from 'firebase-admin/functions';
import { getApps } from 'firebase-admin/app';
import type { ProjectDoc } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  fileUser,
  adminDb,
  clearFirestore,
  readProjectOrFail,
  waitForProject,
} from './support/index.js';
import {
  expectCompleted,
  filesEventually,
  jobOf,
  projectWithStoryboard,
  runSceneJob,
  sceneFiles,
  sleep,
  waitForJob,
} from './pipeline/jobs.js';
import { standin } from './pipeline/standin.js';
import { functionsLog, skippedDeliveries } from './hardening/functions-log.js';
import { anHourLater, sweep } from './pipeline/in-process.js';

/**
 * Waits until the task runner has acknowledged one more delivery of `jobId` without acting on it than
 * `before`, as its log says; without a functions log to read (emulators started by hand), gives it 3 s.
 */
async function untilSkipped(jobId: string, before: number): Promise<void> {
  if (!functionsLog()) {
    await sleep(3_000);
    return;
  }
  const deadline = Date.now() + 30_000;
  while (skippedDeliveries(jobId) <= before && Date.now() < deadline) await sleep(100);
  expect(skippedDeliveries(jobId), `the redelivery of ${jobId} was acknowledged as skipped`).toBe(before + 1);
}

/** Delivers a task body straight to a job queue, as Cloud Tasks would on an at-least-once redelivery. */
async function deliver(functionName: string, body: Record<string, unknown>, id: string) {
  adminDb(); // make sure the tests' admin app exists
  const app = getApps().find((a) => a.name === 'reelforge-tests')!;
  await getFunctions(app).taskQueue(`locations/us-central1/functions/${functionName}`).enqueue(body, { id });
}

describe.skipIf(E2E_SKIP_REASON !== null)('generation pipeline: faults and deliveries', () => {
  const client = fileUser('faults');
  let project: ProjectDoc;

  beforeAll(async () => {
    await clearFirestore();
    await standin.clearFaults();
    project = await projectWithStoryboard(client, 7);
  });
  afterEach(async () => {
    await standin.clearFaults();
    await standin.configure({ predictionSeconds: 2 });
  });

  const scene = (i: number) => project.scenes[i]!;

  it('a 5xx from the provider is retried by Cloud Tasks and the job completes with one file', async () => {
    await standin.addFault({ target: 'replicate', kind: 'image', fault: 'http_500', on: 'create', times: 1 });
    const { job } = await runSceneJob(client, project.id, scene(0).id, 'image');
    expect(job.attempt).toBe(2);
    expect(job.error_message).toBeUndefined();
    expect(await sceneFiles(project.id, scene(0).id)).toHaveLength(1);
  });

  it('a permanent 4xx fails the job at once, keeping the provider message', async () => {
    await standin.addFault({ target: 'replicate', kind: 'audio', fault: 'http_422', on: 'create', times: 1 });
    const { job_id } = await client.call('generateSceneAsset', {
      project_id: project.id,
      scene_id: scene(1).id,
      type: 'audio',
    });
    const { job, project: after } = await waitForJob(project.id, job_id);
    expect(job.status).toBe('failed');
    expect(job.attempt).toBe(1);
    expect(job.error_message).toMatch(/^Audio generation failed: /);
    expect(job.error_message).toMatch(/422|invalid|validation/i);
    expect(await sceneFiles(project.id, scene(1).id)).toEqual([]);
    expect(after.stats.active_jobs).toBe(0);
  });

  it('a refused language-model answer fails the job with a clear message', async () => {
    await standin.addFault({ target: 'openai', kind: 'composition', fault: 'refused', times: 1 });
    const { job_id } = await client.call('generateSceneAsset', {
      project_id: project.id,
      scene_id: scene(1).id,
      type: 'composition',
    });
    const { job } = await waitForJob(project.id, job_id);
    expect(job.status).toBe('failed');
    expect(job.error_message).toMatch(/^Scene composition failed: .*refus/i);
  });

  it('a hung provider call is swept: re-queued, resumed and completed', async () => {
    await standin.addFault({ target: 'replicate', kind: 'image', fault: 'hang', on: 'create', times: 1 });
    const { job_id } = await client.call('generateSceneAsset', {
      project_id: project.id,
      scene_id: scene(2).id,
      type: 'image',
    });
    await waitForJob(project.id, job_id, ['processing']);
    const swept = await sweep(anHourLater());
    expect(swept.requeued).toBeGreaterThanOrEqual(1);
    const { job } = await expectCompleted(project.id, job_id, 90_000);
    expect(job.attempt).toBe(2);
    expect(await sceneFiles(project.id, scene(2).id)).toHaveLength(1);
  });

  it('a dropped webhook is recovered by the sweep, which resumes the same prediction', async () => {
    await standin.addFault({ target: 'replicate', kind: 'audio', fault: 'drop_webhook', times: 1 });
    const before = await standin.stats();
    const { job_id } = await client.call('generateSceneAsset', {
      project_id: project.id,
      scene_id: scene(3).id,
      type: 'audio',
    });
    const waiting = await waitForProject(project.id, (p) => !!jobOf(p, job_id)?.provider_ref);
    const predictionId = jobOf(waiting, job_id)!.provider_ref;
    // The prediction is done at the stand-in, but nobody was told.
    await standin.untilPrediction(predictionId!, ['succeeded']);
    expect(jobOf(await readProjectOrFail(project.id), job_id)?.status).toBe('processing');
    await sweep(anHourLater());
    const { job } = await expectCompleted(project.id, job_id);
    expect(job.provider_ref).toBe(predictionId);
    const after = await standin.stats();
    expect(after.predictionsCreated - before.predictionsCreated).toBe(1);
    expect(after.webhooksDropped - before.webhooksDropped).toBe(1);
    expect(await sceneFiles(project.id, scene(3).id)).toHaveLength(1);
  });

  it('a model that logs megabytes completes by its own webhook, not by the sweep', async () => {
    // Each delivery carries the whole log so far: by completion this prediction's body is over 2 MiB.
    await standin.addFault({ target: 'replicate', kind: 'image', fault: 'verbose_logs', times: 1 });
    const before = await standin.stats();
    const started = Date.now();
    const { job } = await runSceneJob(client, project.id, scene(6).id, 'image');
    // The stand-in's prediction runs 2 s; the sweep would need the job's stale limit (minutes) to notice.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(job.attempt).toBe(1);
    const after = await standin.stats();
    expect(after.faultsInjected.verbose_logs - before.faultsInjected.verbose_logs).toBe(1);
    expect(after.webhooksFailed - before.webhooksFailed).toBe(0);
    expect(after.webhooksRetried - before.webhooksRetried).toBe(0);
    expect(await sceneFiles(project.id, scene(6).id)).toHaveLength(1);
  });

  it('an output URL that expired before persisting fails clearly; a retry regenerates it', async () => {
    await standin.addFault({ target: 'replicate', kind: 'image', fault: 'expire_output', times: 1 });
    const { job_id } = await client.call('generateSceneAsset', {
      project_id: project.id,
      scene_id: scene(4).id,
      type: 'image',
    });
    const { job } = await waitForJob(project.id, job_id);
    expect(job.status).toBe('failed');
    expect(job.error_message).toMatch(/expired/);
    expect(await sceneFiles(project.id, scene(4).id)).toEqual([]);

    const retry = await client.call('retryJob', { project_id: project.id, job_id });
    expect(retry.job_id).not.toBe(job_id);
    await expectCompleted(project.id, retry.job_id);
    expect(await sceneFiles(project.id, scene(4).id)).toHaveLength(1);
  });

  it('cancel mid-run: status canceled, the prediction canceled, no file', async () => {
    await standin.configure({ predictionSeconds: 5 });
    const { job_id } = await client.call('generateSceneAsset', {
      project_id: project.id,
      scene_id: scene(5).id,
      type: 'image',
    });
    const running = await waitForProject(project.id, (p) => !!jobOf(p, job_id)?.provider_ref);
    const canceled = await client.call('cancelJob', { project_id: project.id, job_id });
    expect(canceled).toEqual({ job_id, status: 'canceled' });
    // The cancel reached the provider: a canceled prediction never delivers an output, so what the project
    // holds now is final (no wait for its natural end).
    await standin.untilPrediction(jobOf(running, job_id)!.provider_ref!, ['canceled']);
    const after = await readProjectOrFail(project.id);
    expect(jobOf(after, job_id)?.status).toBe('canceled');
    expect(after.scenes[5]!.assets.thumbnail_path).toBeUndefined();
    expect(await sceneFiles(project.id, scene(5).id)).toEqual([]);
    expect(after.stats.active_jobs).toBe(0);
  });

  it('the same task delivered twice, and a superseded job delivered again, change nothing', async () => {
    const first = await runSceneJob(client, project.id, scene(0).id, 'composition');
    const payload = {
      project_id: project.id,
      job_id: first.job.job_id,
      type: 'composition',
      scene_id: scene(0).id,
    };
    const snapshot = await readProjectOrFail(project.id);
    const files = await sceneFiles(project.id, scene(0).id);

    // A retry after success: the job is finished, the delivery is acknowledged and nothing moves.
    let skipped = skippedDeliveries(first.job.job_id);
    await deliver('jobs-composition', payload, `${first.job.job_id}-dup-1`);
    await untilSkipped(first.job.job_id, skipped);
    expect((await readProjectOrFail(project.id)).updated_at.toMillis()).toBe(snapshot.updated_at.toMillis());

    // Superseded: a newer job holds the scene; the old job's late delivery must not touch it.
    const second = await runSceneJob(client, project.id, scene(0).id, 'composition');
    const current = await readProjectOrFail(project.id);
    skipped = skippedDeliveries(first.job.job_id);
    await deliver('jobs-composition', payload, `${first.job.job_id}-dup-2`);
    await untilSkipped(first.job.job_id, skipped);
    const later = await readProjectOrFail(project.id);
    expect(later.updated_at.toMillis()).toBe(current.updated_at.toMillis());
    expect(later.scenes[0]!.active_job?.job_id).toBe(second.job.job_id);
    // The first composition stays as a take beside the second (issue 26); the late delivery added nothing.
    const now = await filesEventually(
      () => sceneFiles(project.id, scene(0).id),
      (f) => f.length === files.length + 1,
    );
    expect(now).toHaveLength(files.length + 1);
    expect(now).toContain(later.scenes[0]!.assets.composition_path);
    expect(later.scenes[0]!.takes?.composition?.chosen).toBe(second.job.job_id);
  });
});
