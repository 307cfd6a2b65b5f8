// selectMood and getAssetUrls over the emulators.
import { describe, expect, it } from 'vitest';
import { Timestamp } from 'firebase-admin/firestore';
import type { ProjectDoc, SceneDoc } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  fileUser,
  createProjectRequest,
  expectHttpsError,
  mood,
  patchProject,
  readProjectOrFail,
  sceneInput,
  uploadFile,
} from './support/index.js';

describe.skipIf(E2E_SKIP_REASON !== null)('moods and asset URLs', () => {
  const alice = fileUser('alice');

  it('selectMood copies one of the project’s moods into the storyboard and changes nothing else', async () => {
    const { project } = await alice.call('createProject', createProjectRequest());
    await alice.call('addScene', { project_id: project.id, ...sceneInput(1) });
    const moods = [
      mood({ name: 'Morning mist' }),
      mood({ name: 'Neon night', image_paths: ['projects/x/moods/a.png'] }),
    ];
    const before = await patchProject(project.id, (p) => p.moods.push(...moods));

    const { project: returned } = await alice.call('selectMood', {
      project_id: project.id,
      mood_id: moods[1]!.id,
    });
    const after = await readProjectOrFail(project.id);

    expect(after.storyboard.selected_mood).toEqual(moods[1]);
    expect(returned.storyboard.selected_mood).toEqual(moods[1]);
    const strip = (p: ProjectDoc) => ({
      ...p,
      updated_at: null,
      stats: { ...p.stats, last_activity: null },
      storyboard: { ...p.storyboard, selected_mood: null },
    });
    expect(strip(after)).toEqual(strip(before));

    // Selecting another replaces the selection; an id that is not one of the moods is not-found.
    await alice.call('selectMood', { project_id: project.id, mood_id: moods[0]!.id });
    expect((await readProjectOrFail(project.id)).storyboard.selected_mood?.name).toBe('Morning mist');
    const err = await expectHttpsError(
      alice.call('selectMood', { project_id: project.id, mood_id: 'mood-that-is-not-there' }),
      'not-found',
    );
    expect(err.message).toMatch(/Mood/);
    expect((await readProjectOrFail(project.id)).storyboard.selected_mood?.name).toBe('Morning mist');
  });

  it('getAssetUrls returns a working URL for every stored path of the project', async () => {
    const { project } = await alice.call('createProject', createProjectRequest());
    await alice.call('addScene', { project_id: project.id, ...sceneInput(1) });
    await alice.call('addScene', { project_id: project.id, ...sceneInput(2) });
    const prefix = `projects/${project.id}`;
    const moodImage = `${prefix}/moods/m1/job-0.png`;
    const stored = await patchProject(project.id, (p) => {
      const selected = mood({ image_paths: [moodImage] });
      // A path outside the project's prefix (a bug or a manual edit) must never be signed.
      p.moods.push(selected, mood({ image_paths: ['projects/someone-else/moods/m/job-0.png'] }));
      p.storyboard.selected_mood = selected;
      const [first, second] = p.scenes as [SceneDoc, SceneDoc];
      first.assets = {
        composition_path: `${prefix}/scenes/${first.id}/composition-j1.json`,
        thumbnail_path: `${prefix}/scenes/${first.id}/image-j2.png`,
        video_path: `${prefix}/scenes/${first.id}/video-j3.mp4`,
        audio_path: `${prefix}/scenes/${first.id}/audio-j4.mp3`,
        generated_at: Timestamp.now(),
      };
      second.assets = { thumbnail_path: `${prefix}/scenes/${second.id}/image-j5.png` };
      p.assets.final_video_path = `${prefix}/renders/j6.mp4`;
    });
    const first = stored.scenes[0] as SceneDoc;
    const paths = [
      moodImage,
      first.assets.composition_path,
      first.assets.thumbnail_path,
      first.assets.video_path,
      first.assets.audio_path,
      (stored.scenes[1] as SceneDoc).assets.thumbnail_path,
      stored.assets.final_video_path,
    ] as string[];
    await Promise.all(paths.map((path) => uploadFile(path, `contents of ${path}`)));

    const started = Date.now();
    const { urls, expires_at } = await alice.call('getAssetUrls', { project_id: project.id });

    expect(Object.keys(urls).sort()).toEqual([...paths].sort());
    for (const path of paths) {
      const res = await fetch(urls[path] as string);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe(`contents of ${path}`);
    }
    // The default lifetime is 15 minutes.
    const ttl = (Date.parse(expires_at) - started) / 1000;
    expect(ttl).toBeGreaterThan(880);
    expect(ttl).toBeLessThan(920);
  });

  it('getAssetUrls of a project with nothing stored is an empty map', async () => {
    const { project } = await alice.call('createProject', createProjectRequest());
    const { urls } = await alice.call('getAssetUrls', { project_id: project.id });
    expect(urls).toEqual({});
  });
});
