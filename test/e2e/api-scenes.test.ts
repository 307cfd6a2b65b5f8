// Scene callables over the emulators: add, update (and what an edit clears), delete, reorder, the busy-scene
// guard, and 20 concurrent edits of one project.
import { describe, expect, it } from 'vitest';
import { Timestamp } from 'firebase-admin/firestore';
import { LIMITS, toWire, type ProjectDoc, type SceneDoc } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  fileUser,
  activeJob,
  createProjectRequest,
  expectHttpsError,
  patchProject,
  readProjectOrFail,
  sceneInput,
  waitForProject,
} from './support/index.js';

function sceneAt(project: ProjectDoc, index: number): SceneDoc {
  const scene = project.scenes[index];
  if (!scene) throw new Error(`project ${project.id} has no scene at index ${index}`);
  return scene;
}

/** Every asset the four scene jobs produce, as if they had all completed. */
function completeAssets(projectId: string, scene: SceneDoc): void {
  const base = `projects/${projectId}/scenes/${scene.id}`;
  scene.assets = {
    composition_path: `${base}/composition-j1.json`,
    thumbnail_path: `${base}/image-j2.png`,
    video_path: `${base}/video-j3.mp4`,
    audio_path: `${base}/audio-j4.mp3`,
    generated_at: Timestamp.now(),
  };
  scene.composition = { description: 'd', styling: 's', animation: 'a', generated_at: Timestamp.now() };
}

describe.skipIf(E2E_SKIP_REASON !== null)('scene callables', () => {
  const alice = fileUser('alice');

  async function projectWithScenes(count: number): Promise<ProjectDoc> {
    const { project } = await alice.call('createProject', createProjectRequest());
    for (let i = 1; i <= count; i++)
      await alice.call('addScene', { project_id: project.id, ...sceneInput(i) });
    return readProjectOrFail(project.id);
  }

  it('addScene appends, inserts at a position, and keeps numbers and stats consistent', async () => {
    const { project } = await alice.call('createProject', createProjectRequest());
    const first = (await alice.call('addScene', { project_id: project.id, ...sceneInput(1) })).scene;
    const second = (await alice.call('addScene', { project_id: project.id, ...sceneInput(2) })).scene;
    const front = (await alice.call('addScene', { project_id: project.id, ...sceneInput(0), position: 1 }))
      .scene;
    const end = (await alice.call('addScene', { project_id: project.id, ...sceneInput(9), position: 99 }))
      .scene;

    const stored = await readProjectOrFail(project.id);
    expect(stored.scenes.map((s) => s.id)).toEqual([front.id, first.id, second.id, end.id]);
    expect(stored.scenes.map((s) => s.scene_number)).toEqual([1, 2, 3, 4]);
    expect(stored.stats).toMatchObject({ total_scenes: 4, completed_scenes: 0, active_jobs: 0 });
    expect(sceneAt(stored, 1)).toEqual({
      id: first.id,
      scene_number: 2,
      title: 'Scene 1',
      description: 'What happens in scene 1.',
      duration_seconds: 5,
      shows_product: false,
      assets: {},
    });
    // The returned scene is the stored one (numbered as it was at the time of the call).
    expect(end).toEqual(toWire(sceneAt(stored, 3)));
    expect(front.scene_number).toBe(1);
  });

  it(`addScene refuses a scene beyond ${LIMITS.MAX_SCENES} with resource-exhausted`, async () => {
    const { project } = await alice.call('createProject', createProjectRequest());
    await patchProject(project.id, (p) => {
      for (let i = 1; i <= LIMITS.MAX_SCENES; i++) {
        p.scenes.push({
          id: `seeded-${i}`,
          scene_number: i,
          title: `Seeded ${i}`,
          description: 'seeded',
          duration_seconds: 2,
          shows_product: false,
          assets: {},
        });
      }
    });
    const before = await readProjectOrFail(project.id);
    const err = await expectHttpsError(
      alice.call('addScene', { project_id: project.id, ...sceneInput(21) }),
      'resource-exhausted',
    );
    expect(err.message).toContain(String(LIMITS.MAX_SCENES));
    expect(await readProjectOrFail(project.id)).toEqual(before);
  });

  it('editing text clears all four assets and the composition; stats follow', async () => {
    const seeded = await projectWithScenes(2);
    await patchProject(seeded.id, (p) => p.scenes.forEach((s) => completeAssets(p.id, s)));
    expect((await readProjectOrFail(seeded.id)).stats.completed_scenes).toBe(0); // stats only move on our writes
    const target = sceneAt(seeded, 0);

    const { scene } = await alice.call('updateScene', {
      project_id: seeded.id,
      scene_id: target.id,
      title: 'A new opening',
    });
    const stored = await readProjectOrFail(seeded.id);
    const edited = sceneAt(stored, 0);

    expect(edited.title).toBe('A new opening');
    expect(edited.description).toBe(target.description);
    expect(edited.assets).toEqual({});
    expect(edited.composition ?? null).toBeNull();
    expect(scene).toEqual(toWire(edited));
    // The other scene keeps everything and is now counted complete.
    expect(Object.keys(sceneAt(stored, 1).assets).sort()).toEqual(
      ['audio_path', 'composition_path', 'generated_at', 'thumbnail_path', 'video_path'].sort(),
    );
    expect(stored.stats.completed_scenes).toBe(1);
  });

  it('changing only the duration clears video and audio, keeps composition and keyframe', async () => {
    const seeded = await projectWithScenes(1);
    await patchProject(seeded.id, (p) => completeAssets(p.id, sceneAt(p, 0)));
    const target = sceneAt(await readProjectOrFail(seeded.id), 0);

    await alice.call('updateScene', { project_id: seeded.id, scene_id: target.id, duration_seconds: 7.5 });
    const edited = sceneAt(await readProjectOrFail(seeded.id), 0);

    expect(edited.duration_seconds).toBe(7.5);
    expect(edited.title).toBe(target.title);
    expect(edited.assets.composition_path).toBe(target.assets.composition_path);
    expect(edited.assets.thumbnail_path).toBe(target.assets.thumbnail_path);
    expect(edited.assets.video_path).toBeUndefined();
    expect(edited.assets.audio_path).toBeUndefined();
    expect(edited.assets.generated_at).toBeDefined();
    expect(edited.composition).toEqual(target.composition);
  });

  it('shows_product: set by addScene, changed by updateScene without clearing anything, refused while busy', async () => {
    const { project } = await alice.call('createProject', createProjectRequest());
    const { scene: added } = await alice.call('addScene', {
      project_id: project.id,
      ...sceneInput(1),
      shows_product: true,
    });
    expect(added.shows_product).toBe(true);
    await patchProject(project.id, (p) => completeAssets(p.id, sceneAt(p, 0)));
    const before = sceneAt(await readProjectOrFail(project.id), 0);

    const { scene } = await alice.call('updateScene', {
      project_id: project.id,
      scene_id: added.id,
      shows_product: false,
    });
    expect(scene.shows_product).toBe(false);
    // The keyframe stays (it shows as out of date instead): every asset and the composition are kept.
    const edited = sceneAt(await readProjectOrFail(project.id), 0);
    expect(edited.assets).toEqual(before.assets);
    expect(edited.composition).toEqual(before.composition);

    await patchProject(project.id, (p) => {
      sceneAt(p, 0).active_job = activeJob('image', 'processing', { scene_id: added.id });
    });
    const busy = await expectHttpsError(
      alice.call('updateScene', { project_id: project.id, scene_id: added.id, shows_product: true }),
      'failed-precondition',
    );
    expect(busy.message).toMatch(/busy with an image job .* edit its product setting/);
    expect(sceneAt(await readProjectOrFail(project.id), 0).shows_product).toBe(false);
  });

  it('an update that changes nothing writes nothing and clears nothing', async () => {
    const seeded = await projectWithScenes(1);
    await patchProject(seeded.id, (p) => {
      completeAssets(p.id, sceneAt(p, 0));
      sceneAt(p, 0).active_job = activeJob('audio', 'processing');
    });
    const before = await readProjectOrFail(seeded.id);
    const target = sceneAt(before, 0);
    const { scene } = await alice.call('updateScene', {
      project_id: seeded.id,
      scene_id: target.id,
      title: target.title,
      duration_seconds: target.duration_seconds,
    });
    expect(await readProjectOrFail(seeded.id)).toEqual(before);
    expect(scene).toEqual(toWire(target));
  });

  it('a busy scene refuses text, duration edits and deletion, but may be reordered', async () => {
    const seeded = await projectWithScenes(3);
    const busy = sceneAt(seeded, 1);
    await patchProject(seeded.id, (p) => {
      sceneAt(p, 1).active_job = activeJob('video', 'processing', { scene_id: busy.id });
    });
    const before = await readProjectOrFail(seeded.id);

    const edit = await expectHttpsError(
      alice.call('updateScene', { project_id: seeded.id, scene_id: busy.id, description: 'Changed' }),
      'failed-precondition',
    );
    expect(edit.message).toMatch(/busy with a video job/);
    await expectHttpsError(
      alice.call('updateScene', { project_id: seeded.id, scene_id: busy.id, duration_seconds: 3 }),
      'failed-precondition',
    );
    const del = await expectHttpsError(
      alice.call('deleteScene', { project_id: seeded.id, scene_id: busy.id }),
      'failed-precondition',
    );
    expect(del.message).toMatch(/busy with a video job/);
    expect(await readProjectOrFail(seeded.id)).toEqual(before);

    const reversed = [...before.scenes].reverse().map((s) => s.id);
    await alice.call('reorderScenes', { project_id: seeded.id, scene_ids: reversed });
    const after = await readProjectOrFail(seeded.id);
    expect(after.scenes.map((s) => s.id)).toEqual(reversed);
    expect(sceneAt(after, 1).active_job?.status).toBe('processing');
    expect(after.stats.active_jobs).toBe(1);

    // Once the job has finished, the same edit goes through.
    await patchProject(seeded.id, (p) => {
      const s = p.scenes.find((x) => x.id === busy.id) as SceneDoc;
      s.active_job = { ...(s.active_job as NonNullable<SceneDoc['active_job']>), status: 'failed' };
    });
    await alice.call('updateScene', { project_id: seeded.id, scene_id: busy.id, description: 'Changed' });
    await alice.call('deleteScene', { project_id: seeded.id, scene_id: busy.id });
  });

  it('deleteScene removes the scene and renumbers the rest', async () => {
    const seeded = await projectWithScenes(3);
    const [a, b, c] = seeded.scenes as [SceneDoc, SceneDoc, SceneDoc];
    const { project } = await alice.call('deleteScene', { project_id: seeded.id, scene_id: b.id });
    const stored = await readProjectOrFail(seeded.id);
    expect(stored.scenes.map((s) => [s.id, s.scene_number])).toEqual([
      [a.id, 1],
      [c.id, 2],
    ]);
    expect(stored.stats.total_scenes).toBe(2);
    expect(project).toEqual(toWire(stored));
    await expectHttpsError(alice.call('deleteScene', { project_id: seeded.id, scene_id: b.id }), 'not-found');
    await expectHttpsError(
      alice.call('updateScene', { project_id: seeded.id, scene_id: b.id, title: 'x' }),
      'not-found',
    );
  });

  it('reorderScenes applies a permutation and refuses anything else', async () => {
    const seeded = await projectWithScenes(4);
    const ids = seeded.scenes.map((s) => s.id);
    const order = [ids[2], ids[0], ids[3], ids[1]] as string[];
    const { project } = await alice.call('reorderScenes', { project_id: seeded.id, scene_ids: order });
    const stored = await readProjectOrFail(seeded.id);
    expect(stored.scenes.map((s) => s.id)).toEqual(order);
    expect(stored.scenes.map((s) => s.scene_number)).toEqual([1, 2, 3, 4]);
    expect(sceneAt(stored, 0).title).toBe('Scene 3');
    expect(project).toEqual(toWire(stored));

    const bad = [
      order.slice(0, 3), // missing one
      [...order.slice(0, 3), 'not-a-scene'], // an unknown id in place of one
      [...order, 'not-a-scene'], // an extra id
    ];
    for (const scene_ids of bad) {
      const err = await expectHttpsError(
        alice.call('reorderScenes', { project_id: seeded.id, scene_ids }),
        'invalid-argument',
        'scene_ids',
      );
      expect(err.message).toMatch(/every scene/);
    }
    expect(await readProjectOrFail(seeded.id)).toEqual(stored);
  });

  it('20 concurrent updateScene calls on 20 scenes of one project all land', async () => {
    const { project } = await alice.call('createProject', createProjectRequest());
    await patchProject(project.id, (p) => {
      for (let i = 1; i <= 20; i++) {
        p.scenes.push({
          id: `s${i}`,
          scene_number: i,
          title: `T${i}`,
          description: 'd',
          duration_seconds: 2,
          shows_product: false,
          assets: {},
        });
      }
    });
    // A listener, like a client's, sees the state with every edit in it.
    const seen = waitForProject(
      project.id,
      (p) => !!p && p.scenes.every((s) => s.description.startsWith('Concurrent edit')),
      110_000,
    );
    void seen.catch(() => undefined); // awaited below; this only keeps a failed run's report to the point
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        alice.call(
          'updateScene',
          {
            project_id: project.id,
            scene_id: `s${i + 1}`,
            description: `Concurrent edit ${i + 1}`,
            duration_seconds: 1 + (i % 10),
          },
          // The Firestore emulator resolves this contention by lock timeouts and retries (OFFLINE.md): slow,
          // but every call must still land.
          { timeoutMs: 110_000 },
        ),
      ),
    );
    const failures = results.filter((r) => r.status === 'rejected');
    expect(failures).toEqual([]);
    const stored = await readProjectOrFail(project.id);
    expect(stored.scenes.map((s) => [s.id, s.scene_number, s.description, s.duration_seconds])).toEqual(
      Array.from({ length: 20 }, (_, i) => [`s${i + 1}`, i + 1, `Concurrent edit ${i + 1}`, 1 + (i % 10)]),
    );
    expect(stored.stats.total_scenes).toBe(20);
    expect(await seen).toEqual(stored);
    console.log(`20 concurrent updateScene calls landed in ${Date.now() - started} ms`);
  }, 150_000);
});
