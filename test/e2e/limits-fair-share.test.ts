// A user's fair share of a queue: renders beyond a user's share of the render queue are refused with
// resource-exhausted while another user's render is admitted, and the render is priced at its compute so
// the budget and the estimate see it.
import { Timestamp } from 'firebase-admin/firestore';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from './support/index.js';
import {
  E2E_SKIP_REASON,
  fileUser,
  adminDb,
  clearFirestore,
  expectHttpsError,
  patchProject,
  readProjectOrFail,
} from './support/index.js';
import { waitForJob } from './pipeline/jobs.js';
import { projectWithScenes, readUsageDoc } from './limits/support.js';

describe.skipIf(E2E_SKIP_REASON !== null)('fair share of a queue', () => {
  const alice = fileUser('share-alice');
  const bob = fileUser('share-bob');

  beforeAll(async () => {
    await clearFirestore();
  });

  /** A project of `client`'s whose scenes all name a clip: what a render start checks for. */
  async function renderable(client: TestClient): Promise<string> {
    const id = await projectWithScenes(client, 2);
    await patchProject(id, (p) => {
      for (const s of p.scenes) s.assets.video_path = `projects/${id}/scenes/${s.id}/video.mp4`;
    });
    return id;
  }

  it("refuses a user's renders beyond their share while another user's render is admitted", async () => {
    const mine = await renderable(alice);
    const theirs = await renderable(bob);
    const estimate = await alice.call('estimateCost', { project_id: mine, type: 'render' });
    // 2 vCPU and 8 GiB for the render function's 1200 s timeout, one format.
    expect(estimate.estimated_usd).toBe(0.0816);

    // Alice already has two renders running (her share of the render queue's 5): written as admission
    // writes them, because a render of clips that do not exist ends in a moment and would free its slot.
    const { usage } = await alice.call('getUsage', {});
    const slot = (project_id: string) => ({
      project_id,
      type: 'render',
      estimated_usd: 0.0816,
      admitted_at: Timestamp.now(),
    });
    await adminDb()
      .collection('usage')
      .doc(alice.uid)
      .set({
        user_id: alice.uid,
        active: { 'render-one': slot('project-one'), 'render-two': slot('project-two') },
        active_jobs: 2,
        day: usage.day,
        spent_today_usd: 0,
        month: usage.month,
        spent_month_usd: 0,
        updated_at: Timestamp.now(),
      });

    const err = await expectHttpsError(
      alice.call('renderProject', { project_id: mine }),
      'resource-exhausted',
    );
    expect(err.message).toContain(
      "You have 2 render jobs running and each user may run 2 at a time, so that other users' render jobs " +
        'run too; wait for one to finish or cancel it.',
    );
    expect((await readProjectOrFail(mine)).active_job).toBeFalsy();
    expect(Object.keys((await readUsageDoc(alice.uid))!.active).sort()).toEqual(['render-one', 'render-two']);

    // Bob's render is admitted, with its compute as its estimate, whatever Alice holds.
    const { job_id } = await bob.call('renderProject', { project_id: theirs });
    const admitted = (await readUsageDoc(bob.uid))!.active[job_id];
    expect(admitted).toMatchObject({ type: 'render', estimated_usd: 0.0816 });
    // It runs (and fails: its clips were never made); its slot is freed like any other.
    await waitForJob(theirs, job_id);
  }, 90_000);
});
