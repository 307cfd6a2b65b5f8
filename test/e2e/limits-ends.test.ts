// Slots are released on every way a job ends (completed, failed, canceled, swept, project deleted), the
// sweep repairs drift a crash would leave, generateAll admits a step for many scenes together or not at
// all, the daily budget refuses a start before any provider call, and the project cap holds.
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  E2E_SKIP_REASON,
  TestClient,
  adminDb,
  brief,
  clearFirestore,
  expectHttpsError,
  patchProject,
  readProject,
  readProjectOrFail,
} from './support/index.js';
import { anHourLater, holdScheduledSweep, sweep } from './pipeline/in-process.js';
import { jobOf, waitForJob } from './pipeline/jobs.js';
import { waitForProject } from './support/index.js';
import { standin } from './pipeline/standin.js';
import { eventually, ledgerOf, projectWithScenes, readUsageDoc } from './limits/support.js';

describe.skipIf(E2E_SKIP_REASON !== null)('limits: release, reconciliation, budget, generateAll', () => {
  // Each test has its own user, so one test's jobs never count against another's limit or budget.
  let client: TestClient;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    await clearFirestore();
    await standin.clearFaults();
    // The image jobs below must still be running when they are canceled or their project deleted, however
    // slow the machine: the stand-in holds every prediction (no test here needs one to finish).
    await standin.configure({ holdPredictions: true });
  });
  beforeEach(async () => {
    client = await TestClient.signUp('ends');
    clients.push(client);
  });
  afterAll(async () => {
    await standin.configure({ holdPredictions: false });
    await standin.clearFaults();
    await Promise.all(clients.map((c) => c.close()));
  });

  const activeCount = async () => (await readUsageDoc(client.uid))?.active_jobs ?? 0;

  it('frees the slot of a job however it ends: completed, failed, canceled, swept, project deleted', async () => {
    const projectId = await projectWithScenes(client, 4);
    const gone = await projectWithScenes(client, 1);
    const scenes = (await readProjectOrFail(projectId)).scenes.map((s) => s.id);
    const goneScene = (await readProjectOrFail(gone)).scenes[0]!.id;
    await standin.addFault({ target: 'openai', kind: 'composition', fault: 'refused', times: 1 });
    await standin.addFault({ target: 'replicate', kind: 'image', fault: 'hang', on: 'create', times: 1 });
    const start = (project_id: string, scene_id: string, type: 'composition' | 'image') =>
      client.call('generateSceneAsset', { project_id, scene_id, type }).then((r) => r.job_id);

    // The image jobs first (the first one meets the hanging provider), then the two compositions one after
    // the other, so that the one refused answer goes to the first.
    const swept = await start(projectId, scenes[1]!, 'image');
    await waitForJob(projectId, swept, ['processing']);
    const canceled = await start(projectId, scenes[2]!, 'image');
    const deleted = await start(gone, goneScene, 'image');
    const failing = await start(projectId, scenes[0]!, 'composition');
    expect(await activeCount()).toBe(4);
    expect((await waitForJob(projectId, failing)).job.status).toBe('failed');
    const completing = await start(projectId, scenes[3]!, 'composition');
    expect((await waitForJob(projectId, completing)).job.status).toBe('completed');
    await waitForProject(projectId, (p) => !!jobOf(p, canceled)?.provider_ref);
    expect(await client.call('cancelJob', { project_id: projectId, job_id: canceled })).toMatchObject({
      status: 'canceled',
    });
    await waitForProject(gone, (p) => !!jobOf(p, deleted)?.provider_ref);
    await client.call('deleteProject', { project_id: gone });
    expect(await readProject(gone)).toBeNull();

    // The hung image job: on its last attempt, the sweep gives up on it.
    await patchProject(projectId, (p) => {
      const job = p.scenes[1]!.active_job!;
      job.attempt = 3;
      job.lease_until = null;
    });
    const result = await sweep(anHourLater());
    expect(result.failed).toBe(1);
    expect((await waitForJob(projectId, swept)).job.status).toBe('failed');

    const usage = await eventually(
      () => readUsageDoc(client.uid),
      (u) => u!.active_jobs === 0,
    );
    expect(usage!.active).toEqual({});
    // Every ended job has its ledger entry, the deleted project's too (the ledger outlives projects).
    const ledger = [...(await ledgerOf(projectId)), ...(await ledgerOf(gone))];
    expect(Object.fromEntries(ledger.map((e) => [e.job_id, e.status]))).toEqual({
      [failing]: 'failed',
      [swept]: 'failed',
      [canceled]: 'canceled',
      [completing]: 'completed',
      [deleted]: 'canceled',
    });
    const project = await readProjectOrFail(projectId);
    expect(project.stats.cost_usd).toBeCloseTo(
      (await ledgerOf(projectId)).reduce((sum, e) => sum + e.actual_usd, 0),
      4,
    );
    expect(usage!.spent_today_usd).toBeCloseTo(
      ledger.reduce((sum, e) => sum + e.actual_usd, 0),
      4,
    );
  }, 120_000);

  it('the sweep frees a slot whose start never reached its project and settles an end that was lost', async () => {
    // The lost slot and end are made by hand below: only this test's sweep may find them.
    const releaseSweep = await holdScheduledSweep();
    onTestFinished(releaseSweep);
    const projectId = await projectWithScenes(client, 1);
    const ref = adminDb().collection('usage').doc(client.uid);
    const longAgo = Timestamp.fromMillis(Date.now() - 10 * 60_000);
    // A finished job whose settle was lost (a crash after its project write): it still holds a slot.
    const lostEnd = 'job-lost-end';
    await patchProject(projectId, (p) => {
      p.scenes[0]!.active_job = {
        job_id: lostEnd,
        type: 'image',
        status: 'completed',
        progress: 100,
        started_at: longAgo,
        last_update: longAgo,
        attempt: 1,
        scene_id: p.scenes[0]!.id,
        cost: { estimated_usd: 0.003, actual_usd: 0.25 },
      };
    });
    const { usage } = await client.call('getUsage', {});
    await ref.set({
      user_id: client.uid,
      active: {
        // A start that took its slot and crashed before its project write.
        'job-never-written': {
          project_id: projectId,
          type: 'video',
          estimated_usd: 0.18,
          admitted_at: longAgo,
        },
        [lostEnd]: { project_id: projectId, type: 'image', estimated_usd: 0.003, admitted_at: longAgo },
      },
      active_jobs: 2,
      day: usage.day,
      spent_today_usd: 1,
      month: usage.month,
      spent_month_usd: 3,
      updated_at: longAgo,
    });
    const result = await sweep(new Date());
    expect(result.usage).toEqual({ freed: 1, settled: 1 });
    const after = (await readUsageDoc(client.uid))!;
    expect(after.active).toEqual({});
    expect(after.active_jobs).toBe(0);
    expect(after.spent_today_usd).toBeCloseTo(1.25, 4);
    expect(after.spent_month_usd).toBeCloseTo(3.25, 4);
    expect((await ledgerOf(projectId)).map((e) => [e.job_id, e.actual_usd])).toEqual([[lostEnd, 0.25]]);
  });

  it('generateAll starts a step for many scenes in one project write, or refuses it whole', async () => {
    const projectId = await projectWithScenes(client, 12);
    const project = await readProjectOrFail(projectId);
    const six = project.scenes.slice(0, 6).map((s) => s.id);
    const { jobs } = await client.call('generateAll', {
      project_id: projectId,
      type: 'composition',
      scene_ids: six,
    });
    expect(jobs.map((j) => j.scene_id)).toEqual(six);
    const started = await readProjectOrFail(projectId);
    const written = started.scenes.slice(0, 6).map((s) => s.active_job!);
    expect(written.map((j) => j.job_id)).toEqual(jobs.map((j) => j.job_id));
    // One write: every job carries the same start time, the write's own.
    expect(new Set(written.map((j) => j.started_at.toMillis())).size).toBe(1);
    for (const job of jobs) expect((await waitForJob(projectId, job.job_id)).job.status).toBe('completed');
    await eventually(activeCount, (n) => n === 0);

    // All twelve scenes at once would pass the limit of 10: refused whole, nothing written.
    const err = await expectHttpsError(
      client.call('generateAll', { project_id: projectId, type: 'image' }),
      'resource-exhausted',
    );
    expect(err.message).toMatch(/limit is 10 at a time \(this step asks for 12\)/);
    const after = await readProjectOrFail(projectId);
    expect(after.scenes.filter((s) => s.active_job?.type === 'image')).toEqual([]);
    expect(await activeCount()).toBe(0);
  }, 90_000);

  it('refuses a start over the daily budget before any provider call, naming estimate and remainder', async () => {
    const projectId = await projectWithScenes(client, 1);
    const sceneId = (await readProjectOrFail(projectId)).scenes[0]!.id;
    const { usage } = await client.call('getUsage', {});
    // Spent all but a tenth of a cent today.
    await adminDb()
      .collection('usage')
      .doc(client.uid)
      .set({
        user_id: client.uid,
        active: {},
        active_jobs: 0,
        day: usage.day,
        spent_today_usd: usage.daily_budget_usd - 0.001,
        month: usage.month,
        spent_month_usd: usage.daily_budget_usd - 0.001,
        updated_at: Timestamp.now(),
      });
    const estimate = await client.call('estimateCost', { project_id: projectId, type: 'image' });
    expect(estimate.estimated_usd).toBeGreaterThan(estimate.remaining_today_usd);
    expect(estimate.remaining_today_usd).toBeCloseTo(0.001, 4);

    const predictions = (await standin.stats()).predictionsCreated;
    const err = await expectHttpsError(
      client.call('generateSceneAsset', { project_id: projectId, scene_id: sceneId, type: 'image' }),
      'resource-exhausted',
    );
    expect(err.message).toContain(`estimated at $${estimate.estimated_usd.toFixed(4)}`);
    expect(err.message).toContain('$0.0010 of your daily budget');
    expect((await readProjectOrFail(projectId)).scenes[0]!.active_job).toBeFalsy();
    // A start enqueues its task only after admission took a slot and the job was written: no slot, no job,
    // so no task can run (no wait for one that might reach the stand-in).
    expect((await readUsageDoc(client.uid))?.active ?? {}).toEqual({});
    expect((await standin.stats()).predictionsCreated).toBe(predictions);
  });

  it('refuses a project beyond USER_MAX_PROJECTS (default 100)', async () => {
    const owner = await TestClient.signUp('many-projects');
    try {
      const batch = adminDb().batch();
      for (let i = 0; i < 100; i++) batch.set(adminDb().collection('projects').doc(), { user_id: owner.uid });
      await batch.commit();
      const err = await expectHttpsError(
        owner.call('createProject', {
          name: 'One too many',
          creative_brief: brief(),
        }),
        'resource-exhausted',
      );
      expect(err.message).toMatch(/You have 100 projects and the limit is 100/);
    } finally {
      await owner.close();
    }
  });
});
