// Productions at a larger size and under change, on the emulators: twelve scenes with the default cap of 10
// beside a second production of the same user (both must progress), and a scene edited and another deleted
// while the production runs. Its users are its own (fileUser), so it runs beside the other shared files.
import { describe, expect, it } from 'vitest';
import { E2E_SKIP_REASON, fileUser, patchProject, waitForProject } from './support/index.js';
import {
  madeSteps,
  productionEnded,
  productionJobs,
  retryWhileBusy,
  setUserLimits,
  shortStoryboard as storyboard,
  watchSlots,
} from './production/support.js';

describe.skipIf(E2E_SKIP_REASON !== null)('productions at scale and under edits', () => {
  const client = fileUser('producer-edits');
  const other = fileUser('producer-two');

  it('twelve scenes with the default cap of 10 complete, and two productions of one user both progress', async () => {
    await setUserLimits(other.uid, {});
    const big = await storyboard(other, 12);
    const small = await storyboard(other, 2);
    // The big one is silent (no voiceovers), so its twelve scenes take three steps each.
    await patchProject(big, (p) => {
      for (const s of p.scenes) delete s.voiceover_text;
    });
    const slots = watchSlots(other.uid);
    try {
      const [a, b] = await Promise.all([
        other.call('startProduction', { project_id: big }),
        other.call('startProduction', { project_id: small, formats: ['9:16', '1:1'] }),
      ]);
      const [doneBig, doneSmall] = await Promise.all([productionEnded(big), productionEnded(small)]);
      expect(doneBig.production?.status).toBe('completed');
      expect(doneSmall.production?.status).toBe('completed');
      expect(Object.keys(doneSmall.assets.renders ?? {}).sort()).toEqual(['1:1', '9:16']);
      expect(doneBig.scenes.every((s) => s.assets.video_path)).toBe(true);
      expect(slots.max()).toBeLessThanOrEqual(10);
      expect((await madeSteps(big, a.production_id)).byType.video).toBe(12);
      expect((await madeSteps(small, b.production_id)).byType.render).toBe(1);
    } finally {
      slots.stop();
    }
  }, 300_000);

  it('a scene edited while the production runs is remade; a deleted one leaves the plan', async () => {
    const projectId = await storyboard(client, 3);
    const { production_id } = await client.call('startProduction', { project_id: projectId });
    // Scene 3 goes at once (it is busy: the edit waits until it is idle); scene 1 is edited once its
    // keyframe is made, so its composition and keyframe are made again.
    const first = await waitForProject(projectId, (p) => !!p?.scenes[0]?.assets.thumbnail_path, 120_000);
    const editedId = first!.scenes[0]!.id;
    const leaving = first!.scenes[2]!.id;
    await retryWhileBusy(() =>
      client.call('updateScene', { project_id: projectId, scene_id: editedId, title: 'A new opening' }),
    );
    await retryWhileBusy(() => client.call('deleteScene', { project_id: projectId, scene_id: leaving }));
    const done = await productionEnded(projectId);
    expect(done.production).toMatchObject({ status: 'completed', blocked: [] });
    expect(done.scenes.map((s) => s.id)).not.toContain(leaving);
    const edited = done.scenes.find((s) => s.id === editedId)!;
    expect(edited.title).toBe('A new opening');
    expect(edited.assets.video_path).toBeTruthy();
    const { entries } = await madeSteps(projectId, production_id);
    const compositions = entries.filter(
      (e) => e.type === 'composition' && e.scene_id === editedId && e.status === 'completed',
    );
    expect(compositions.length).toBe(2);
    expect(productionJobs(done, production_id).every((j) => j.status === 'completed')).toBe(true);
  });
});
