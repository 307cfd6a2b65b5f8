// Project callables over the emulators, called like a client: create, get, update, list, delete.
import { describe, expect, it } from 'vitest';
import { LIMITS, ProjectSummarySchema, toWire, type ProjectDoc } from '@reelforge/schema';
import { filesEventually } from './pipeline/jobs.js';
import {
  E2E_SKIP_REASON,
  fileUser,
  TestClient,
  activeJob,
  brief,
  createProjectRequest,
  expectHttpsError,
  listFiles,
  patchProject,
  readProject,
  readProjectOrFail,
  sceneInput,
  uploadFile,
  waitForProject,
} from './support/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The render settings every project starts with (1080p, captions, crossfades, the end card). */
const RENDER_DEFAULTS = {
  resolution: '1080p',
  captions: true,
  transition: 'crossfade',
  transition_seconds: LIMITS.DEFAULT_TRANSITION_SECONDS,
  end_card: true,
  end_card_seconds: LIMITS.DEFAULT_END_CARD_SECONDS,
  languages: ['en'],
} as const;

describe.skipIf(E2E_SKIP_REASON !== null)('project callables', () => {
  const alice = fileUser('alice');
  const bob = fileUser('bob');

  it('createProject stores a new project with defaults and returns it in wire format', async () => {
    const { project } = await alice.call(
      'createProject',
      createProjectRequest({ name: '  Glacier launch  ' }),
    );
    const stored = await readProjectOrFail(project.id);

    expect(stored).toMatchObject({
      id: project.id,
      name: 'Glacier launch', // trimmed by the schema
      description: 'Spring launch ad',
      user_id: alice.uid,
      settings: {
        ...RENDER_DEFAULTS,
        aspect_ratio: '9:16',
        target_duration_seconds: LIMITS.DEFAULT_TARGET_DURATION,
      },
      storyboard: { title: '', creative_brief: brief(), selected_mood: null },
      moods: [],
      scenes: [],
      assets: {},
      stats: {
        total_scenes: 0,
        completed_scenes: 0,
        active_jobs: 0,
        oldest_active_update: null,
        stale_at: null,
      },
    });
    expect(stored.storyboard.id).toMatch(UUID);
    expect(stored.active_job ?? null).toBeNull();
    expect(stored.created_at.toMillis()).toBe(stored.updated_at.toMillis());
    // The response is the stored document with ISO timestamps.
    expect(project).toEqual(toWire(stored));
    expect(project.created_at).toBe(stored.created_at.toDate().toISOString());
  });

  it('createProject keeps given settings and defaults the rest', async () => {
    const { description: _omitted, ...request } = createProjectRequest({
      settings: { aspect_ratio: '16:9' },
    });
    const { project } = await alice.call('createProject', request);
    const stored = await readProjectOrFail(project.id);
    expect(stored.settings).toEqual({
      ...RENDER_DEFAULTS,
      aspect_ratio: '16:9',
      target_duration_seconds: 30,
    });
    expect('description' in stored).toBe(false);
  });

  it('getProject returns exactly what Firestore holds', async () => {
    const { project } = await alice.call('createProject', createProjectRequest());
    await alice.call('addScene', { project_id: project.id, ...sceneInput(1) });
    const got = await alice.call('getProject', { project_id: project.id });
    expect(got.project).toEqual(toWire(await readProjectOrFail(project.id)));
    expect(got.project.scenes).toHaveLength(1);
  });

  it('updateProject merges the fields it names and leaves the rest', async () => {
    const { project } = await alice.call(
      'createProject',
      createProjectRequest({ settings: { aspect_ratio: '16:9', target_duration_seconds: 45 } }),
    );
    const before = await readProjectOrFail(project.id);

    const { project: updated } = await alice.call('updateProject', {
      project_id: project.id,
      name: 'Glacier summer',
      title: 'Cold brew, warm city',
      creative_brief: { tone: 'Bright and bold', notes: 'Show the can in every scene' },
      settings: { target_duration_seconds: 20 },
    });
    const after = await readProjectOrFail(project.id);

    expect(updated).toEqual(toWire(after));
    expect(after.name).toBe('Glacier summer');
    expect(after.description).toBe(before.description);
    expect(after.storyboard.title).toBe('Cold brew, warm city');
    expect(after.storyboard.creative_brief).toEqual({
      ...before.storyboard.creative_brief,
      tone: 'Bright and bold',
      notes: 'Show the can in every scene',
    });
    expect(after.settings).toEqual({ ...RENDER_DEFAULTS, aspect_ratio: '16:9', target_duration_seconds: 20 });
    expect(after.storyboard.id).toBe(before.storyboard.id);
    expect(after.created_at.toMillis()).toBe(before.created_at.toMillis());
    expect(after.updated_at.toMillis()).toBeGreaterThanOrEqual(before.updated_at.toMillis());
    expect(after.stats.last_activity.toMillis()).toBe(after.updated_at.toMillis());

    // An empty description is a valid way to clear it.
    await alice.call('updateProject', { project_id: project.id, description: '' });
    expect((await readProjectOrFail(project.id)).description).toBe('');

    // The end card's line is set, then removed with an empty one (the brief never holds an empty line).
    const cta = (call_to_action: string) =>
      alice.call('updateProject', { project_id: project.id, creative_brief: { call_to_action } });
    await cta('Order today at glacier.example');
    expect((await readProjectOrFail(project.id)).storyboard.creative_brief.call_to_action).toBe(
      'Order today at glacier.example',
    );
    await cta('  ');
    const cleared = (await readProjectOrFail(project.id)).storyboard.creative_brief;
    expect('call_to_action' in cleared).toBe(false);
    expect(cleared.tone).toBe('Bright and bold');
  });

  it('listProjects pages through the caller’s projects newest first, and only theirs', async () => {
    const carol = await TestClient.signUp('carol');
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          (await carol.call('createProject', createProjectRequest({ name: `Carol ${i}` }))).project.id,
        );
      }
      const stored = await Promise.all(ids.map(readProjectOrFail));
      const expected = [...stored].sort(
        (x, y) =>
          y.created_at.toMillis() - x.created_at.toMillis() || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0),
      );

      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await carol.call('listProjects', { limit: 2, ...(cursor && { cursor }) });
        for (const summary of page.projects) ProjectSummarySchema.parse(summary);
        pages.push(page.projects.map((p) => p.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);

      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(expected.map((p) => p.id));

      const first = (await carol.call('listProjects', {})).projects;
      expect(first).toHaveLength(5);
      const newest = expected[0] as ProjectDoc;
      expect(first[0]).toEqual({
        id: newest.id,
        name: newest.name,
        description: newest.description,
        created_at: newest.created_at.toDate().toISOString(),
        updated_at: newest.updated_at.toDate().toISOString(),
        settings: newest.settings,
        stats: toWire(newest.stats),
        storyboard_title: '',
      });

      // Nobody else's projects appear, and Carol's appear in nobody else's list.
      const aliceList = (await alice.call('listProjects', { limit: LIMITS.PAGE_SIZE_MAX })).projects;
      expect(aliceList.length).toBeGreaterThan(0);
      expect(aliceList.filter((p) => ids.includes(p.id))).toEqual([]);
      for (const p of aliceList) expect((await readProjectOrFail(p.id)).user_id).toBe(alice.uid);
    } finally {
      await carol.close();
    }
  });

  it('listProjects summarises the selected mood and the first keyframe', async () => {
    const { project } = await alice.call('createProject', createProjectRequest({ name: 'Summary check' }));
    await alice.call('addScene', { project_id: project.id, ...sceneInput(1) });
    await patchProject(project.id, (p) => {
      p.storyboard.selected_mood = {
        id: 'm1',
        name: 'Morning mist',
        description: 'd',
        visual_style: 'v',
        color_palette: ['#000000', '#111111', '#222222'],
        mood_keywords: ['a', 'b', 'c', 'd', 'e'],
        image_paths: [],
      };
      (p.scenes[0] as ProjectDoc['scenes'][number]).assets.thumbnail_path =
        `projects/${p.id}/scenes/x/image-j.png`;
    });
    const { projects } = await alice.call('listProjects', { limit: LIMITS.PAGE_SIZE_MAX });
    const row = projects.find((p) => p.id === project.id);
    expect(row?.selected_mood_name).toBe('Morning mist');
    expect(row?.thumbnail_path).toBe(`projects/${project.id}/scenes/x/image-j.png`);
  });

  it('listProjects refuses a cursor it did not issue', async () => {
    const forged = Buffer.from(JSON.stringify({ any: 'thing' })).toString('base64url');
    await expectHttpsError(alice.call('listProjects', { cursor: forged }), 'invalid-argument', 'cursor');
    await expectHttpsError(alice.call('listProjects', { cursor: '%%%' }), 'invalid-argument', 'cursor');
  });

  it('deleteProject removes the document and every file under the project prefix, nothing else', async () => {
    const { project } = await alice.call('createProject', createProjectRequest());
    const { project: other } = await alice.call('createProject', createProjectRequest({ name: 'Keep me' }));
    await alice.call('addScene', { project_id: project.id, ...sceneInput(1) });
    // A running job: deleting the project must still work (its task is cancelled best effort).
    await patchProject(project.id, (p) => {
      (p.scenes[0] as ProjectDoc['scenes'][number]).active_job = activeJob('video', 'processing');
      p.active_job = activeJob('render', 'queued');
    });
    const prefix = `projects/${project.id}/`;
    const files = [`${prefix}moods/m1/j-0.png`, `${prefix}scenes/s1/video-j.mp4`, `${prefix}renders/j.mp4`];
    await Promise.all(files.map((f) => uploadFile(f, `bytes of ${f}`)));
    await uploadFile(`projects/${other.id}/renders/j.mp4`, 'other project');
    expect(await listFiles(prefix)).toEqual([...files].sort());

    const res = await alice.call('deleteProject', { project_id: project.id });

    expect(res).toEqual({ project_id: project.id, deleted: true });
    expect(await waitForProject(project.id, (p) => p === null, 5_000)).toBeNull();
    expect(await readProject(project.id)).toBeNull();
    // The files go in the project's deletion task, retried until they are gone.
    expect(
      await filesEventually(
        () => listFiles(prefix),
        (files) => files.length === 0,
        20_000,
      ),
    ).toEqual([]);
    expect(await listFiles(`projects/${other.id}/`)).toEqual([`projects/${other.id}/renders/j.mp4`]);
    expect(await readProject(other.id)).not.toBeNull();
    await expectHttpsError(alice.call('getProject', { project_id: project.id }), 'not-found');
    await expectHttpsError(alice.call('deleteProject', { project_id: project.id }), 'not-found');
  });

  it('every callable refuses a caller who is not signed in', async () => {
    const anonymous = TestClient.anonymous();
    try {
      const { project } = await alice.call('createProject', createProjectRequest());
      await expectHttpsError(anonymous.call('createProject', createProjectRequest()), 'unauthenticated');
      await expectHttpsError(anonymous.call('listProjects', {}), 'unauthenticated');
      await expectHttpsError(anonymous.call('getProject', { project_id: project.id }), 'unauthenticated');
      await expectHttpsError(
        anonymous.call('updateProject', { project_id: project.id, name: 'x' }),
        'unauthenticated',
      );
      await expectHttpsError(anonymous.call('deleteProject', { project_id: project.id }), 'unauthenticated');
      await expectHttpsError(anonymous.call('getAssetUrls', { project_id: project.id }), 'unauthenticated');
      await expectHttpsError(
        anonymous.call('addScene', { project_id: project.id, ...sceneInput(1) }),
        'unauthenticated',
      );
      expect(await readProject(project.id)).toMatchObject({ name: 'Glacier launch', scenes: [] });
    } finally {
      await anonymous.close();
    }
  });

  it('bob cannot see alice’s projects in his list', async () => {
    await alice.call('createProject', createProjectRequest());
    const { projects } = await bob.call('listProjects', {});
    expect(projects).toEqual([]);
  });
});
