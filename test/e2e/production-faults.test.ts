// Productions against the stand-in's faults and counters, so this file runs alone (the `emulators`
// project): a plan the budget cannot pay for is refused before any provider call; a video that fails for
// good blocks only its scene and the render, and retryProduction finishes the ad from what exists; canceling
// mid-way cancels the running predictions and starts nothing more.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isUnfinished, jobsOf } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  clearFirestore,
  expectHttpsError,
  fileUser,
  patchProject,
  readProjectOrFail,
  waitForProject,
} from './support/index.js';
import { projectWithStoryboard } from './pipeline/jobs.js';
import { standin } from './pipeline/standin.js';
import { ledgerJobs, productionEnded, setUserLimits } from './production/support.js';
import { readUsageDoc } from './limits/support.js';

const providerCalls = async () => {
  const s = await standin.stats();
  return s.chatCompletions + s.speech + s.transcriptions + s.predictionsCreated;
};

/** A drafted storyboard of `scenes` silent two-second scenes. */
async function storyboard(client: ReturnType<typeof fileUser>, scenes: number) {
  const project = await projectWithStoryboard(client, scenes);
  await patchProject(project.id, (p) => {
    for (const s of p.scenes) {
      s.duration_seconds = 2;
      delete s.voiceover_text;
    }
  });
  return project.id;
}

describe.skipIf(E2E_SKIP_REASON !== null)('productions and faults', () => {
  const client = fileUser('producer-faults');

  beforeAll(async () => {
    await clearFirestore();
    await standin.clearFaults();
  });
  afterAll(async () => {
    await standin.clearFaults();
  });
  // Each test starts with the deployment's limits, whatever the one before it left.
  beforeEach(async () => {
    await setUserLimits(client.uid, {});
  });

  it('a budget below the estimate is refused with the estimate and what is left, and no provider call', async () => {
    const projectId = await storyboard(client, 2);
    const twin = await storyboard(client, 2);
    await setUserLimits(client.uid, { daily_budget_usd: 0.01 });
    const { estimate_usd, remaining_today_usd } = await client.call('estimateProduction', {
      project_id: projectId,
    });
    expect(estimate_usd).toBeGreaterThan(0.01);
    expect(remaining_today_usd).toBeLessThanOrEqual(0.01);
    await standin.resetStats();
    const refused = await expectHttpsError(
      client.call('startProduction', { project_id: projectId }),
      'resource-exhausted',
    );
    expect(refused.message).toMatch(/estimated at \$\d/);
    expect(refused.message).toMatch(/remains/);
    expect(await providerCalls()).toBe(0);
    const project = await readProjectOrFail(projectId);
    expect(project.production ?? null).toBeNull();
    expect(jobsOf(project).filter(isUnfinished)).toEqual([]);

    // A started plan holds its whole estimate: a second one the rest of the budget cannot pay is refused
    // before the first has spent anything, and canceling the first gives its hold back.
    await setUserLimits(client.uid, { daily_budget_usd: estimate_usd * 1.5 });
    const first = await client.call('startProduction', { project_id: projectId });
    const second = await expectHttpsError(
      client.call('startProduction', { project_id: twin }),
      'resource-exhausted',
    );
    expect(second.message).toMatch(/estimated at/);
    expect(Object.keys((await readUsageDoc(client.uid))!.held ?? {})).toEqual([first.production_id]);
    await client.call('cancelProduction', { project_id: projectId });
    expect((await readUsageDoc(client.uid))!.held ?? {}).toEqual({});
    await setUserLimits(client.uid, {});
  });

  it('a video failing for good blocks its scene and the render; the rest finish; retryProduction completes the ad', async () => {
    const projectId = await storyboard(client, 2);
    // The first video prediction is refused as invalid (a permanent failure: no retry).
    await standin.addFault({ target: 'replicate', kind: 'video', fault: 'http_422', on: 'create', times: 1 });
    const { production_id } = await client.call('startProduction', { project_id: projectId });
    const failed = await productionEnded(projectId);
    await standin.clearFaults();
    expect(failed.production?.status).toBe('failed');
    const blocked = failed.production!.blocked;
    expect(blocked.map((b) => b.step)).toEqual(['video', 'render']);
    const stuck = failed.scenes.find((s) => s.id === blocked[0]!.scene_id)!;
    expect(blocked[0]!.reason).toContain(`scene ${stuck.scene_number}`);
    expect(stuck.assets.video_path).toBeUndefined();
    // The other scene and the bed were made all the same.
    const fine = failed.scenes.find((s) => s.id !== stuck.id)!;
    expect(fine.assets.video_path).toBeTruthy();
    expect(failed.assets.music_path).toBeTruthy();
    expect(failed.assets.final_video_path).toBeUndefined();

    await standin.resetStats();
    const resumed = await client.call('retryProduction', { project_id: projectId });
    expect(resumed.production_id).toBe(production_id);
    const done = await productionEnded(projectId);
    expect(done.production).toMatchObject({ status: 'completed', blocked: [] });
    expect(done.assets.final_video_path).toBeTruthy();
    // Only the missing clip was made again: one prediction, and the render (no provider call).
    expect(await providerCalls()).toBe(1);
    const keyframes = (await ledgerJobs(projectId)).filter((e) => e.type === 'image');
    expect(keyframes).toHaveLength(2);
  });

  it('cancel mid-way cancels the running predictions and starts nothing more', async () => {
    const projectId = await storyboard(client, 2);
    await standin.addFault({ target: 'replicate', kind: 'image', fault: 'slow' });
    const { production_id } = await client.call('startProduction', { project_id: projectId });
    const waiting = await waitForProject(
      projectId,
      (p) => !!p?.scenes.some((s) => s.active_job?.type === 'image' && s.active_job.provider_ref),
      90_000,
    );
    const predictionId = waiting!.scenes.find(
      (s) => s.active_job?.type === 'image' && s.active_job.provider_ref,
    )!.active_job!.provider_ref!;
    await expect(client.call('cancelProduction', { project_id: projectId })).resolves.toEqual({
      production_id,
      status: 'canceled',
    });
    await standin.untilPrediction(predictionId, ['canceled']);
    const after = await readProjectOrFail(projectId);
    expect(after.production?.status).toBe('canceled');
    expect(jobsOf(after).filter(isUnfinished)).toEqual([]);
    const ledger = (await ledgerJobs(projectId)).length;
    // Long enough for a job end or a sweep (every 2 s here) to have started something, were it going to.
    await new Promise((r) => setTimeout(r, 5_000));
    const later = await readProjectOrFail(projectId);
    expect(jobsOf(later).filter(isUnfinished)).toEqual([]);
    expect(later.production?.status).toBe('canceled');
    expect((await ledgerJobs(projectId)).length).toBe(ledger);
    await standin.clearFaults();
  });
});
