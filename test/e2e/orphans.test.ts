// What a user deletes is gone from Storage: a deleted or edited scene's files, the previous mood's images,
// a deleted project's prefix (by its retried deletion task), and whatever a dying function left behind
// (by the hourly reconciliation).
import { beforeAll, describe, expect, it } from 'vitest';
import { projectFilePaths, type ProjectDoc } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  fileUser,
  adminBucket,
  adminDb,
  clearFirestore,
  createProjectRequest,
  listFiles,
  mood,
  patchProject,
  sceneInput,
  uploadFile,
} from './support/index.js';
import { filesEventually } from './pipeline/jobs.js';
import { reconcile } from './pipeline/in-process.js';

const TWO_HOURS = 2 * 60 * 60 * 1000;

describe.skipIf(E2E_SKIP_REASON !== null)('files nothing names any more are deleted', () => {
  const client = fileUser('orphans');

  beforeAll(async () => {
    await clearFirestore();
  });

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

  it('an upload nobody attached is deleted by the first run after it is an hour old', async () => {
    const upload = `uploads/${client.uid}/images/never-attached.png`;
    await uploadFile(upload, 'uploaded, then the tab closed');
    expect((await reconcile(new Date())).deletedUploads).toBe(0);
    expect(await listFiles(upload)).toEqual([upload]);
    const later = await reconcile(new Date(Date.now() + TWO_HOURS));
    expect(later.deletedUploads).toBeGreaterThanOrEqual(1);
    expect(await listFiles(upload)).toEqual([]);
  });

  /** A project naming one file of every kind the document can name, all stored, plus an unnamed stray. */
  async function projectNamingEverything(): Promise<{ id: string; named: string[]; stray: string }> {
    const { project } = await client.call('createProject', createProjectRequest());
    const { scene } = await client.call('addScene', { project_id: project.id, ...sceneInput(1) });
    const root = `projects/${project.id}`;
    const dir = `${root}/scenes/${scene.id}`;
    const board = mood({ image_paths: [`${root}/moods/m1-0.png`, `${root}/moods/m1-1.png`] });
    const patched = await patchProject(project.id, (p) => {
      p.moods = [board];
      p.storyboard.selected_mood = board;
      p.scenes[0]!.assets = {
        composition_path: `${dir}/composition-j1.json`,
        thumbnail_path: `${dir}/image-j2.png`,
        video_path: `${dir}/video-j3.mp4`,
        audio_path: `${dir}/audio-j4.mp3`,
        voiceover_path: `${dir}/voiceover-j5.wav`,
        voiceover_timing_path: `${dir}/voiceover-j5.json`,
        clip_path: `${dir}/clip-c1.mp4`,
      };
      p.assets = {
        final_video_path: `${root}/renders/final-r1-9x16.mp4`,
        renders: {
          '9:16': {
            video_path: `${root}/renders/final-r1-9x16.mp4`,
            srt_path: `${root}/renders/final-r1-9x16.srt`,
          },
          '16:9': { video_path: `${root}/renders/final-r1-16x9.mp4` },
        },
        music_path: `${root}/music/bed-j6.mp3`,
        logo_path: `${root}/brand/logo-l1.png`,
        product_image_path: `${root}/brand/product-p1.png`,
      };
    });
    const named = projectFilePaths(patched).sort();
    const stray = `${root}/scenes/gone/video-old.mp4`;
    await Promise.all([...named, stray].map((f) => uploadFile(f, `bytes of ${f}`)));
    return { id: project.id, named, stray };
  }

  it('each run takes a bounded slice after the last one, and every file a project names survives', async () => {
    // The bucket and the cursor hold only what this case makes, so the slices are known.
    await adminBucket().deleteFiles({ prefix: 'projects/', force: true });
    await adminDb().collection('sweep_state').doc('orphans').delete();
    const made = await Promise.all([1, 2, 3].map(() => projectNamingEverything()));
    const ordered = [...made].sort((a, b) => (`${a.id}/` < `${b.id}/` ? -1 : 1));
    const later = new Date(Date.now() + TWO_HOURS);
    const strayLeft = async () =>
      await Promise.all(ordered.map(async (p) => (await listFiles(`projects/${p.id}/`)).includes(p.stray)));

    // Two projects per run: the first run reaches the first two, the second the third and wraps around.
    const first = await reconcile(later, { maxProjects: 2 });
    expect(first).toMatchObject({ projects: 2, cursor: ordered[1]!.id });
    expect(await strayLeft()).toEqual([false, false, true]);
    const second = await reconcile(later, { maxProjects: 2 });
    expect(second).toMatchObject({ projects: 1, cursor: null });
    expect(await strayLeft()).toEqual([false, false, false]);
    // Wrapped: the next run starts from the first project again.
    expect(await reconcile(later, { maxProjects: 2 })).toMatchObject({ projects: 2, cursor: ordered[1]!.id });

    const named = ordered.flatMap((p) => p.named);
    const kept = (await Promise.all(ordered.map((p) => listFiles(`projects/${p.id}/`)))).flat();
    const kinds = ordered[0]!.named.length;
    console.log(
      `files kept after the reconciliation: ${named.filter((f) => kept.includes(f)).length}/${named.length}` +
        ` (${kinds} named files of every kind per project x ${ordered.length} projects)`,
    );
    expect(kept.sort()).toEqual(named.sort());
  });
});
