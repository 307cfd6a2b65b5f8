// Bad input for every callable of this API: missing, wrong-typed, too long, unknown and limit-breaking fields
// and text that is not well-formed all give invalid-argument whose details name the field, and nothing changes.
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type ProjectDoc } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  fileUser,
  brief,
  createProjectRequest,
  expectHttpsError,
  listFiles,
  mood,
  patchProject,
  readProjectOrFail,
  sceneInput,
} from './support/index.js';

interface Case {
  callable: string;
  why: string;
  data: (ids: { project: string; scene: string; mood: string }) => unknown;
  /** Substring of a detail path; '' for errors about the request as a whole. */
  path: string;
}

const long = (n: number) => 'x'.repeat(n);

const CASES: Case[] = [
  // createProject
  { callable: 'createProject', why: 'missing name', data: () => ({ creative_brief: brief() }), path: 'name' },
  {
    callable: 'createProject',
    why: 'name of wrong type',
    data: () => ({ ...createProjectRequest(), name: 42 }),
    path: 'name',
  },
  {
    callable: 'createProject',
    why: 'blank name',
    data: () => ({ ...createProjectRequest(), name: '   ' }),
    path: 'name',
  },
  {
    callable: 'createProject',
    why: 'name too long',
    data: () => ({ ...createProjectRequest(), name: long(LIMITS.NAME_MAX + 1) }),
    path: 'name',
  },
  {
    callable: 'createProject',
    why: 'unknown field',
    data: () => ({ ...createProjectRequest(), user_id: 'me' }),
    path: 'user_id',
  },
  {
    callable: 'createProject',
    why: 'brief missing a field',
    data: () => {
      const { tone: _tone, ...rest } = brief();
      return { ...createProjectRequest(), creative_brief: rest };
    },
    path: 'creative_brief.tone',
  },
  {
    callable: 'createProject',
    why: 'unknown brief field',
    data: () => ({ ...createProjectRequest(), creative_brief: { ...brief(), budget: 100 } }),
    path: 'creative_brief.budget',
  },
  {
    callable: 'createProject',
    why: 'brief field too long',
    data: () => ({
      ...createProjectRequest(),
      creative_brief: brief({ key_message: long(LIMITS.BRIEF_FIELD_MAX + 1) }),
    }),
    path: 'creative_brief.key_message',
  },
  {
    callable: 'createProject',
    why: 'unsupported aspect ratio',
    data: () => ({ ...createProjectRequest(), settings: { aspect_ratio: '4:3' } }),
    path: 'settings.aspect_ratio',
  },
  {
    callable: 'createProject',
    why: 'target duration over the limit',
    data: () => ({
      ...createProjectRequest(),
      settings: { target_duration_seconds: LIMITS.TARGET_DURATION_MAX + 1 },
    }),
    path: 'settings.target_duration_seconds',
  },
  { callable: 'createProject', why: 'not an object', data: () => 'a project please', path: '' },
  // listProjects
  { callable: 'listProjects', why: 'limit of wrong type', data: () => ({ limit: 'ten' }), path: 'limit' },
  {
    callable: 'listProjects',
    why: 'limit over the maximum',
    data: () => ({ limit: LIMITS.PAGE_SIZE_MAX + 1 }),
    path: 'limit',
  },
  { callable: 'listProjects', why: 'limit of zero', data: () => ({ limit: 0 }), path: 'limit' },
  {
    callable: 'listProjects',
    why: 'cursor too long',
    data: () => ({ cursor: long(LIMITS.CURSOR_MAX + 1) }),
    path: 'cursor',
  },
  { callable: 'listProjects', why: 'unknown field', data: () => ({ user_id: 'someone' }), path: 'user_id' },
  // getProject
  { callable: 'getProject', why: 'missing project_id', data: () => ({}), path: 'project_id' },
  {
    callable: 'getProject',
    why: 'project_id of wrong type',
    data: () => ({ project_id: 42 }),
    path: 'project_id',
  },
  {
    callable: 'getProject',
    why: 'project_id with a slash',
    data: () => ({ project_id: 'a/b' }),
    path: 'project_id',
  },
  {
    callable: 'getProject',
    why: 'project_id too long',
    data: () => ({ project_id: long(LIMITS.ID_MAX + 1) }),
    path: 'project_id',
  },
  {
    callable: 'getProject',
    why: 'unknown field',
    data: (ids) => ({ project_id: ids.project, full: true }),
    path: 'full',
  },
  // updateProject
  {
    callable: 'updateProject',
    why: 'nothing to update',
    data: (ids) => ({ project_id: ids.project }),
    path: '',
  },
  {
    callable: 'updateProject',
    why: 'name too long',
    data: (ids) => ({ project_id: ids.project, name: long(LIMITS.NAME_MAX + 1) }),
    path: 'name',
  },
  {
    callable: 'updateProject',
    why: 'owner change',
    data: (ids) => ({ project_id: ids.project, user_id: 'bob' }),
    path: 'user_id',
  },
  {
    callable: 'updateProject',
    why: 'blank brief field',
    data: (ids) => ({ project_id: ids.project, creative_brief: { tone: ' ' } }),
    path: 'creative_brief.tone',
  },
  {
    callable: 'updateProject',
    why: 'target duration under the limit',
    data: (ids) => ({
      project_id: ids.project,
      settings: { target_duration_seconds: LIMITS.TARGET_DURATION_MIN - 1 },
    }),
    path: 'settings.target_duration_seconds',
  },
  {
    callable: 'updateProject',
    why: 'stats are not writable',
    data: (ids) => ({ project_id: ids.project, stats: {} }),
    path: 'stats',
  },
  // deleteProject
  { callable: 'deleteProject', why: 'missing project_id', data: () => ({}), path: 'project_id' },
  {
    callable: 'deleteProject',
    why: 'unknown field',
    data: (ids) => ({ project_id: ids.project, keep_files: true }),
    path: 'keep_files',
  },
  // selectMood
  {
    callable: 'selectMood',
    why: 'missing mood_id',
    data: (ids) => ({ project_id: ids.project }),
    path: 'mood_id',
  },
  {
    callable: 'selectMood',
    why: 'mood_id of wrong type',
    data: (ids) => ({ project_id: ids.project, mood_id: ['m'] }),
    path: 'mood_id',
  },
  {
    callable: 'selectMood',
    why: 'a whole mood instead of its id',
    data: (ids) => ({ project_id: ids.project, mood_id: ids.mood, mood: mood() }),
    path: 'mood',
  },
  // addScene
  {
    callable: 'addScene',
    why: 'missing title',
    data: (ids) => ({ project_id: ids.project, description: 'd', duration_seconds: 3 }),
    path: 'title',
  },
  {
    callable: 'addScene',
    why: 'duration over the limit',
    data: (ids) => ({
      project_id: ids.project,
      ...sceneInput(1),
      duration_seconds: LIMITS.SCENE_DURATION_MAX + 1,
    }),
    path: 'duration_seconds',
  },
  {
    callable: 'addScene',
    why: 'duration under the limit',
    data: (ids) => ({ project_id: ids.project, ...sceneInput(1), duration_seconds: 0 }),
    path: 'duration_seconds',
  },
  {
    callable: 'addScene',
    why: 'description too long',
    data: (ids) => ({
      project_id: ids.project,
      ...sceneInput(1),
      description: long(LIMITS.SCENE_TEXT_MAX + 1),
    }),
    path: 'description',
  },
  {
    callable: 'addScene',
    why: 'position 0',
    data: (ids) => ({ project_id: ids.project, ...sceneInput(1), position: 0 }),
    path: 'position',
  },
  {
    callable: 'addScene',
    why: 'assets are not writable',
    data: (ids) => ({ project_id: ids.project, ...sceneInput(1), assets: { video_path: 'x' } }),
    path: 'assets',
  },
  // updateScene
  {
    callable: 'updateScene',
    why: 'missing scene_id',
    data: (ids) => ({ project_id: ids.project, title: 'x' }),
    path: 'scene_id',
  },
  {
    callable: 'updateScene',
    why: 'duration of wrong type',
    data: (ids) => ({ project_id: ids.project, scene_id: ids.scene, duration_seconds: '5' }),
    path: 'duration_seconds',
  },
  {
    callable: 'updateScene',
    why: 'title too long',
    data: (ids) => ({ project_id: ids.project, scene_id: ids.scene, title: long(LIMITS.TITLE_MAX + 1) }),
    path: 'title',
  },
  {
    callable: 'updateScene',
    why: 'scene_number is not writable',
    data: (ids) => ({ project_id: ids.project, scene_id: ids.scene, scene_number: 3 }),
    path: 'scene_number',
  },
  {
    callable: 'updateScene',
    why: 'nothing to update',
    data: (ids) => ({ project_id: ids.project, scene_id: ids.scene }),
    path: '',
  },
  // deleteScene
  {
    callable: 'deleteScene',
    why: 'missing scene_id',
    data: (ids) => ({ project_id: ids.project }),
    path: 'scene_id',
  },
  // reorderScenes
  {
    callable: 'reorderScenes',
    why: 'scene_ids not a list',
    data: (ids) => ({ project_id: ids.project, scene_ids: ids.scene }),
    path: 'scene_ids',
  },
  {
    callable: 'reorderScenes',
    why: 'empty scene_ids',
    data: (ids) => ({ project_id: ids.project, scene_ids: [] }),
    path: 'scene_ids',
  },
  {
    callable: 'reorderScenes',
    why: 'more ids than scenes allowed',
    data: (ids) => ({
      project_id: ids.project,
      scene_ids: Array.from({ length: LIMITS.MAX_SCENES + 1 }, (_, i) => `s${i}`),
    }),
    path: 'scene_ids',
  },
  {
    callable: 'reorderScenes',
    why: 'a repeated id',
    data: (ids) => ({ project_id: ids.project, scene_ids: [ids.scene, ids.scene] }),
    path: 'scene_ids',
  },
  {
    callable: 'reorderScenes',
    why: 'an id of wrong type',
    data: (ids) => ({ project_id: ids.project, scene_ids: [7] }),
    path: 'scene_ids.0',
  },
  // getAssetUrls
  { callable: 'getAssetUrls', why: 'missing project_id', data: () => ({}), path: 'project_id' },
  {
    callable: 'getAssetUrls',
    why: 'unknown field',
    data: (ids) => ({ project_id: ids.project, ttl: 99999 }),
    path: 'ttl',
  },
  // exchangeClerkToken (public, validated all the same)
  { callable: 'exchangeClerkToken', why: 'missing token', data: () => ({}), path: 'token' },
  { callable: 'exchangeClerkToken', why: 'token of wrong type', data: () => ({ token: 1 }), path: 'token' },
  {
    callable: 'exchangeClerkToken',
    why: 'token too long',
    data: () => ({ token: long(LIMITS.CLERK_TOKEN_MAX + 1) }),
    path: 'token',
  },
];

// Text that is not well-formed: a lone UTF-16 surrogate once passed the schema and then failed the Firestore
// write, so the client saw `internal`. It, C0 control characters, and bidirectional controls in what the
// video shows get invalid-argument naming the field.
const LONE = 'Brand \uD800 name';

const TEXT_CASES: Case[] = [
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

describe.skipIf(E2E_SKIP_REASON !== null)('bad input', () => {
  const alice = fileUser('alice');
  let ids: { project: string; scene: string; mood: string };
  let before: ProjectDoc;

  beforeAll(async () => {
    const { project } = await alice.call('createProject', createProjectRequest());
    const { scene } = await alice.call('addScene', { project_id: project.id, ...sceneInput(1) });
    const candidate = mood();
    before = await patchProject(project.id, (p) => p.moods.push(candidate));
    ids = { project: project.id, scene: scene.id, mood: candidate.id };
  });

  it.each([...CASES, ...TEXT_CASES])(
    '$callable: $why -> invalid-argument naming "$path"',
    async ({ callable, data, path }) => {
      const err = await expectHttpsError(alice.callRaw(callable, data(ids)), 'invalid-argument', path);
      expect(Array.isArray(err.details)).toBe(true);
      for (const detail of err.details as { path: unknown; message: unknown }[]) {
        expect(typeof detail.path).toBe('string');
        expect(typeof detail.message).toBe('string');
        expect((detail.message as string).length).toBeGreaterThan(0);
      }
    },
  );

  it('changed nothing: the project is as it was, and no other project was created', async () => {
    expect(await readProjectOrFail(ids.project)).toEqual(before);
    const { projects } = await alice.call('listProjects', {});
    expect(projects.map((p) => p.id)).toEqual([ids.project]);
    expect(await listFiles(`projects/${ids.project}/`)).toEqual([]);
  });

  it('still takes tabs, newlines and right-to-left text', async () => {
    const { project } = await alice.call('updateProject', {
      project_id: ids.project,
      description: 'line one\n\tline two',
      creative_brief: { call_to_action: 'اطلب اليوم' },
    });
    expect(project.storyboard.creative_brief.call_to_action).toBe('اطلب اليوم');
  });
});
