// Two real emulator users: Bob can neither read, list, change nor delete Alice's project, and what he gets
// back is the same not-found a project that does not exist gives (no existence leak).
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDoc } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  fileUser,
  createProjectRequest,
  expectHttpsError,
  listFiles,
  mood,
  patchProject,
  readProjectOrFail,
  sceneInput,
  uploadFile,
} from './support/index.js';

type Ids = { project: string; scene: string; mood: string };

/** Every project-scoped call of this API, each with input that would succeed for the owner. */
const CALLS: { callable: string; data: (ids: Ids) => Record<string, unknown> }[] = [
  { callable: 'getProject', data: (ids) => ({ project_id: ids.project }) },
  { callable: 'updateProject', data: (ids) => ({ project_id: ids.project, name: 'Bob was here' }) },
  { callable: 'selectMood', data: (ids) => ({ project_id: ids.project, mood_id: ids.mood }) },
  { callable: 'addScene', data: (ids) => ({ project_id: ids.project, ...sceneInput(9) }) },
  {
    callable: 'updateScene',
    data: (ids) => ({ project_id: ids.project, scene_id: ids.scene, title: 'Bob' }),
  },
  { callable: 'reorderScenes', data: (ids) => ({ project_id: ids.project, scene_ids: [ids.scene] }) },
  { callable: 'deleteScene', data: (ids) => ({ project_id: ids.project, scene_id: ids.scene }) },
  { callable: 'getAssetUrls', data: (ids) => ({ project_id: ids.project }) },
  { callable: 'deleteProject', data: (ids) => ({ project_id: ids.project }) },
];

describe.skipIf(E2E_SKIP_REASON !== null)('one user cannot touch another user’s project', () => {
  const alice = fileUser('alice');
  const bob = fileUser('bob');
  let ids: Ids;
  let before: ProjectDoc;
  const file = () => `projects/${ids.project}/renders/final.mp4`;

  beforeAll(async () => {
    const { project } = await alice.call('createProject', createProjectRequest());
    const { scene } = await alice.call('addScene', { project_id: project.id, ...sceneInput(1) });
    const candidate = mood();
    ids = { project: project.id, scene: scene.id, mood: candidate.id };
    await uploadFile(file(), 'final cut');
    before = await patchProject(project.id, (p) => {
      p.moods.push(candidate);
      p.assets.final_video_path = file();
    });
  });

  it.each(CALLS)('$callable on alice’s project is not-found for bob', async ({ callable, data }) => {
    const theirs = await expectHttpsError(bob.callRaw(callable, data(ids)), 'not-found');
    const missing = await expectHttpsError(
      bob.callRaw(callable, data({ ...ids, project: 'no-such-project' })),
      'not-found',
    );
    expect(theirs.message).toBe(missing.message);
  });

  it('bob’s list does not contain it', async () => {
    expect((await bob.call('listProjects', {})).projects).toEqual([]);
  });

  it('nothing changed: document and files are as alice left them, and she still has full access', async () => {
    expect(await readProjectOrFail(ids.project)).toEqual(before);
    expect(await listFiles(`projects/${ids.project}/`)).toEqual([file()]);
    const { project } = await alice.call('getProject', { project_id: ids.project });
    expect(project.name).toBe(before.name);
    expect((await alice.call('listProjects', {})).projects.map((p) => p.id)).toEqual([ids.project]);
  });
});
