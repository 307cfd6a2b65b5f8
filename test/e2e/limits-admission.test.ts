// Per-user concurrency limit: 200 simultaneous starts from one user across 10 projects admit exactly
// USER_MAX_ACTIVE_JOBS (default 10) and refuse the rest with resource-exhausted; the admitted image jobs run,
// their slots are freed as they complete, and their actual cost lands in the user's spend and the ledger.
// The 200 calls run the callable in this process (limits/support.ts says why); the jobs run as usual.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpsError } from 'firebase-functions/v2/https';
import { E2E_SKIP_REASON, fileUser, clearFirestore, readProjectOrFail } from './support/index.js';
import { standin } from './pipeline/standin.js';
import {
  asUser,
  eventually,
  inProcessGeneration,
  ledgerOf,
  projectWithScenes,
  readUsageDoc,
} from './limits/support.js';

const LIMIT = 10;

describe.skipIf(E2E_SKIP_REASON !== null)('per-user concurrency limit', () => {
  const client = fileUser('limits');
  const other = fileUser('limits-other');
  let api: Awaited<ReturnType<typeof inProcessGeneration>>;

  beforeAll(async () => {
    await clearFirestore();
    await standin.clearFaults();
    // No admitted job may end (and free its slot) while the burst is still being answered, however long
    // that takes here: the stand-in holds every prediction until the test has checked the burst.
    await standin.configure({ holdPredictions: true });
    api = await inProcessGeneration();
  });
  afterAll(async () => {
    await standin.configure({ holdPredictions: false });
  });

  it('admits exactly the limit of 200 simultaneous starts and frees every slot as the jobs complete', async () => {
    const projects = await Promise.all(Array.from({ length: 10 }, () => projectWithScenes(client, 20)));
    const targets = (
      await Promise.all(projects.map(async (id) => ({ id, project: await readProjectOrFail(id) })))
    ).flatMap(({ id, project }) => project.scenes.map((scene) => ({ project_id: id, scene_id: scene.id })));
    expect(targets).toHaveLength(200);
    const otherProject = await projectWithScenes(other, 1);
    const otherScene = (await readProjectOrFail(otherProject)).scenes[0]!.id;

    // Another user starts during the first one's burst: their admission is their own record.
    const otherStart = other.call('generateSceneAsset', {
      project_id: otherProject,
      scene_id: otherScene,
      type: 'image',
    });
    const auth = await asUser(client);
    const ms: number[] = [];
    const burstStarted = Date.now();
    const settled = await Promise.allSettled(
      targets.map(async (t) => {
        const t0 = Date.now();
        try {
          return (await api.generateSceneAsset.run({
            data: { ...t, type: 'image' },
            auth,
          } as never)) as { job_id: string };
        } finally {
          ms.push(Date.now() - t0);
        }
      }),
    );
    const sorted = [...ms].sort((a, b) => a - b);
    console.info(
      `200 simultaneous starts: all answered in ${Date.now() - burstStarted} ms, start p50 ` +
        `${sorted[99]} ms, p95 ${sorted[189]} ms, max ${sorted[199]} ms`,
    );
    expect((await otherStart).job_id).toBeTruthy();

    const admitted = settled.filter((s) => s.status === 'fulfilled');
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(admitted).toHaveLength(LIMIT);
    expect(refused).toHaveLength(200 - LIMIT);
    for (const r of refused) {
      const err = r.reason as HttpsError;
      expect(err.code).toBe('resource-exhausted');
      expect(err.message).toMatch(new RegExp(`You have ${LIMIT} jobs running and the limit is ${LIMIT}`));
    }

    // The record holds exactly the admitted jobs, and those are the only jobs in the projects.
    const usage = (await readUsageDoc(client.uid))!;
    const jobIds = admitted.map((a) => (a as PromiseFulfilledResult<{ job_id: string }>).value.job_id).sort();
    expect(Object.keys(usage.active).sort()).toEqual(jobIds);
    const written = (await Promise.all(projects.map(readProjectOrFail))).flatMap((p) =>
      p.scenes.flatMap((s) => (s.active_job ? [s.active_job.job_id] : [])),
    );
    expect(written.sort()).toEqual(jobIds);
    // Not one slot was freed while the burst was answered: every admitted job is still running.
    expect(usage.active_jobs).toBe(LIMIT);

    // Every admitted job completes once let go; its slot is freed and its actual cost booked.
    await standin.configure({ holdPredictions: false });
    const done = await eventually(
      () => readUsageDoc(client.uid),
      (u) => u!.active_jobs === 0,
      90_000,
    );
    const finished = await Promise.all(projects.map(readProjectOrFail));
    const jobs = finished.flatMap((p) => p.scenes.flatMap((s) => (s.active_job ? [s.active_job] : [])));
    expect(jobs.map((j) => j.status)).toEqual(Array(LIMIT).fill('completed'));
    const actual = jobs.reduce((sum, j) => sum + j.cost!.actual_usd!, 0);
    expect(actual).toBeGreaterThan(0);
    expect(done!.spent_today_usd).toBeCloseTo(actual, 4);
    expect(done!.spent_month_usd).toBeCloseTo(actual, 4);
    for (const p of finished) {
      const ledger = await ledgerOf(p.id);
      expect(p.stats.cost_usd).toBeCloseTo(
        ledger.reduce((sum, e) => sum + e.actual_usd, 0),
        4,
      );
    }
    const usage2 = await client.call('getUsage', {});
    expect(usage2.usage).toMatchObject({ active_jobs: 0, max_active_jobs: LIMIT, reserved_usd: 0 });
  }, 180_000);
});
