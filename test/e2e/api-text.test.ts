// Text that is not well-formed: a lone UTF-16 surrogate once passed the schema and then failed the Firestore
// write, so the client saw `internal`. It, C0 control characters, and bidirectional controls in what the
// video shows now get invalid-argument naming the field, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDoc } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  TestClient,
  brief,
  clearFirestore,
  createProjectRequest,
  expectHttpsError,
  readProjectOrFail,
  sceneInput,
} from './support/index.js';

const LONE = 'Brand \uD800 name';

interface Case {
  callable: string;
  why: string;
  data: (ids: { project: string; scene: string }) => unknown;
  path: string;
}

const CASES: Case[] = [
  {
    callable: 'createProject',
    why: 'lone surrogate in the name',
    data: () => ({ ...createProjectRequest(), name: LONE }),
    path: 'name',
  },
  {
    callable: 'createProject',
    why: 'lone surrogate in the brief',
    data: () => ({ ...createProjectRequest(), creative_brief: { ...brief(), key_message: LONE } }),
    path: 'creative_brief.key_message',
  },
  {
    callable: 'createProject',
    why: 'a control character in the brand',
    data: () => ({ ...createProjectRequest(), creative_brief: { ...brief(), brand_name: 'Acme\u0007' } }),
    path: 'creative_brief.brand_name',
  },
  {
    callable: 'updateProject',
    why: 'lone surrogate in the name',
    data: ({ project }) => ({ project_id: project, name: LONE }),
    path: 'name',
  },
  {
    callable: 'updateProject',
    why: 'a right-to-left override in the call to action',
    data: ({ project }) => ({
      project_id: project,
      creative_brief: { call_to_action: 'Order \u202Emoc.elpmaxe' },
    }),
    path: 'creative_brief.call_to_action',
  },
  {
    callable: 'addScene',
    why: 'lone surrogate in the title',
    data: ({ project }) => ({ project_id: project, ...sceneInput(2), title: 'Pour \uDC00' }),
    path: 'title',
  },
  {
    callable: 'updateScene',
    why: 'an isolate control in the voiceover line (captions)',
    data: ({ project, scene }) => ({
      project_id: project,
      scene_id: scene,
      voiceover_text: 'Hi \u2067there',
    }),
    path: 'voiceover_text',
  },
];

describe.skipIf(E2E_SKIP_REASON !== null)('text that is not well-formed', () => {
  let alice: TestClient;
  let ids: { project: string; scene: string };
  let before: ProjectDoc;

  beforeAll(async () => {
    await clearFirestore();
    alice = await TestClient.signUp('alice');
    const { project } = await alice.call('createProject', createProjectRequest());
    const { scene } = await alice.call('addScene', { project_id: project.id, ...sceneInput(1) });
    ids = { project: project.id, scene: scene.id };
    before = await readProjectOrFail(project.id);
  });
  afterAll(async () => {
    await alice?.close();
  });

  it.each(CASES)('$callable: $why -> invalid-argument naming "$path"', async ({ callable, data, path }) => {
    await expectHttpsError(alice.callRaw(callable, data(ids)), 'invalid-argument', path);
  });

  it('changed nothing, created nothing, and still takes tabs, newlines and right-to-left text', async () => {
    expect(await readProjectOrFail(ids.project)).toEqual(before);
    const { projects } = await alice.call('listProjects', {});
    expect(projects.map((p) => p.id)).toEqual([ids.project]);
    const { project } = await alice.call('updateProject', {
      project_id: ids.project,
      description: 'line one\n\tline two',
      creative_brief: { call_to_action: 'اطلب اليوم' },
    });
    expect(project.storyboard.creative_brief.call_to_action).toBe('اطلب اليوم');
  });
});
