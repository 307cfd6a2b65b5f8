// What a user deletes is gone from Storage: a deleted or edited scene's files, the previous mood's images,
// a deleted project's prefix (by its retried deletion task), and whatever a dying function left behind
// (by the hourly reconciliation).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDoc } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  TestClient,
  clearFirestore,
  createProjectRequest,
  listFiles,
  patchProject,
  sceneInput,
  uploadFile,
} from './support/index.js';
import { filesEventually } from './pipeline/jobs.js';
import { reconcile } from './pipeline/in-process.js';

const TWO_HOURS = 2 * 60 * 60 * 1000;

describe.skipIf(E2E_SKIP_REASON !== null)('files nothing names any more are deleted', () => {
  let client: TestClient;

  beforeAll(async () => {
    await clearFirestore();
    client = await TestClient.signUp('orphans');
  });
  afterAll(async () => client?.close());

  /** A project whose scene has all four assets, stored and referenced. */
  async function projectWithAssets(): Promise<{ project: ProjectDoc; sceneId: string; files: string[] }> {
    const { project } = await client.call('createProject', createProjectRequest());
    const { scene } = await client.call('addScene', { project_id: project.id, ...sceneInput(1) });
    const dir = `projects/${project.id}/scenes/${scene.id}`;
    const assets = {
      composition_path: `${dir}/composition-j1.json`,
      thumbnail_path: `${dir}/image-j2.png`,
      video_path: `${dir}/video-j3.mp4`,
      audio_path: `${dir}/audio-j4.mp3`,
    };
    const files = Object.values(assets);
    await Promise.all(files.map((f) => uploadFile(f, `bytes of ${f}`)));
    const patched = await patchProject(project.id, (p) => {
      p.scenes[0]!.assets = assets;
    });
    return { project: patched, sceneId: scene.id, files };
  }

  it('a deleted scene leaves no file behind; an edited one loses the assets it cleared', async () => {
    const deleted = await projectWithAssets();
    await client.call('deleteScene', { project_id: deleted.project.id, scene_id: deleted.sceneId });
    const left = await filesEventually(
      () => listFiles(`projects/${deleted.project.id}/`),
      (files) => files.length === 0,
    );
    console.log(`orphaned objects left by a deleted scene: ${left.length} of ${deleted.files.length}`);
    expect(left).toEqual([]);

    const edited = await projectWithAssets();
    await client.call('updateScene', {
      project_id: edited.project.id,
      scene_id: edited.sceneId,
      duration_seconds: 7,
    });
    // A new duration clears video and audio only.
    const kept = edited.files.filter((f) => /composition|image/.test(f)).sort();
    expect(
      await filesEventually(
        () => listFiles(`projects/${edited.project.id}/`),
        (f) => f.length === 2,
      ),
    ).toEqual(kept);
  });

  it('the reconciliation deletes unnamed objects an hour old and the prefixes of deleted projects', async () => {
    const { project, files } = await projectWithAssets();
    const stray = `projects/${project.id}/scenes/gone/video-old.mp4`;
    const ghost = 'projects/no-such-project/renders/final.mp4';
    await Promise.all([
      uploadFile(stray, 'left by a function that died'),
      uploadFile(ghost, 'of a deleted project'),
    ]);

    // A deleted project's prefix goes at once; an unnamed object under a live project only when an hour old.
    const now = await reconcile(new Date());
    expect(now.deletedPrefixes).toBeGreaterThanOrEqual(1);
    expect(await listFiles('projects/no-such-project/')).toEqual([]);
    expect(await listFiles(`projects/${project.id}/`)).toContain(stray);

    const later = await reconcile(new Date(Date.now() + TWO_HOURS));
    expect(later.deletedObjects).toBeGreaterThanOrEqual(1);
    expect(await listFiles(`projects/${project.id}/`)).toEqual([...files].sort());
  });
});
