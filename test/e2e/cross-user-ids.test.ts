// Cross-user: Bob calls every callable with Alice's ids, on her project and on his own: her project id,
// scene ids, mood id and job ids. On her project every attempt is not-found; on his, naming her scene, mood or
// job gets what a made-up id gets. Either way the answer is worded exactly as for ids that exist nowhere, and
// nothing of hers changes (document and files), nor anything of his.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CallableName } from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  fileUser,
  createProjectRequest,
  expectHttpsError,
  sceneInput,
  type HttpsErrorCode,
} from './support/index.js';
import { createVictim, snapshotProject, type ProjectSnapshot, type VictimIds } from './hardening/victim.js';

interface Target {
  /** Alice's ids. */
  a: VictimIds;
  /** Bob's own project. */
  bob: string;
  /** Bob's uid (for upload paths of his own). */
  bobUid: string;
}

type Attempt = { label: string; data: Record<string, unknown> };

/**
 * Every callable, with what Bob tries. `null`: the callable takes no project, scene, mood or job id, so
 * there is nothing of Alice's to name (createProject, listProjects: checked separately below;
 * exchangeClerkToken: its only input is a Clerk token; getUsage: reads only the caller's own record). The `Record<CallableName, ...>` type makes a new
 * callable fail to compile here until it is given its attempts.
 */
const ATTEMPTS: Record<CallableName, ((t: Target) => Attempt[]) | null> = {
  createProject: null,
  listProjects: null,
  exchangeClerkToken: null,
  getProject: ({ a }) => [{ label: 'her project', data: { project_id: a.project } }],
  updateProject: ({ a }) => [{ label: 'her project', data: { project_id: a.project, name: 'Bob was here' } }],
  deleteProject: ({ a }) => [{ label: 'her project', data: { project_id: a.project } }],
  selectMood: ({ a, bob }) => [
    { label: 'her project, her mood', data: { project_id: a.project, mood_id: a.mood } },
    { label: 'his project, her mood', data: { project_id: bob, mood_id: a.mood } },
  ],
  addScene: ({ a }) => [{ label: 'her project', data: { project_id: a.project, ...sceneInput(9) } }],
  updateScene: ({ a, bob }) => [
    { label: 'her project, her scene', data: { project_id: a.project, scene_id: a.scenes[0], title: 'Bob' } },
    { label: 'his project, her scene', data: { project_id: bob, scene_id: a.scenes[0], title: 'Bob' } },
  ],
  deleteScene: ({ a, bob }) => [
    { label: 'her project, her scene', data: { project_id: a.project, scene_id: a.scenes[0] } },
    { label: 'his project, her scene', data: { project_id: bob, scene_id: a.scenes[0] } },
  ],
  reorderScenes: ({ a, bob }) => [
    { label: 'her project, her scenes', data: { project_id: a.project, scene_ids: [...a.scenes].reverse() } },
    { label: 'his project, her scenes', data: { project_id: bob, scene_ids: a.scenes } },
  ],
  // A take of her scene: refused as not found whether or not a take of that id exists.
  chooseTake: ({ a, bob }) => [
    {
      label: 'her project, her scene',
      data: { project_id: a.project, scene_id: a.scenes[0], asset: 'image', take_id: 'any' },
    },
    {
      label: 'his project, her scene',
      data: { project_id: bob, scene_id: a.scenes[0], asset: 'image', take_id: 'any' },
    },
  ],
  pinTake: ({ a }) => [
    {
      label: 'her project, her scene',
      data: { project_id: a.project, scene_id: a.scenes[0], asset: 'image', take_id: 'any', pinned: true },
    },
  ],
  deleteTake: ({ a }) => [
    {
      label: 'her project, her scene',
      data: { project_id: a.project, scene_id: a.scenes[0], asset: 'image', take_id: 'any' },
    },
  ],
  getAssetUrls: ({ a }) => [{ label: 'her project', data: { project_id: a.project } }],
  generateMoods: ({ a }) => [{ label: 'her project', data: { project_id: a.project } }],
  generateStoryboard: ({ a }) => [{ label: 'her project', data: { project_id: a.project, scene_count: 3 } }],
  generateSceneAsset: ({ a, bob }) => [
    {
      label: 'her project, her scene',
      data: { project_id: a.project, scene_id: a.scenes[0], type: 'audio' },
    },
    { label: 'his project, her scene', data: { project_id: bob, scene_id: a.scenes[0], type: 'audio' } },
  ],
  regenerateSceneText: ({ a, bob }) => [
    { label: 'her project, her scene', data: { project_id: a.project, scene_id: a.scenes[0] } },
    { label: 'his project, her scene', data: { project_id: bob, scene_id: a.scenes[0] } },
  ],
  cancelJob: ({ a, bob }) => [
    { label: 'her project, her running job', data: { project_id: a.project, job_id: a.runningJob } },
    { label: 'his project, her running job', data: { project_id: bob, job_id: a.runningJob } },
  ],
  retryJob: ({ a, bob }) => [
    { label: 'her project, her failed job', data: { project_id: a.project, job_id: a.failedJob } },
    { label: 'his project, her failed job', data: { project_id: bob, job_id: a.failedJob } },
  ],
  renderProject: ({ a }) => [{ label: 'her project', data: { project_id: a.project } }],
  generateMusic: ({ a }) => [{ label: 'her project', data: { project_id: a.project } }],
  translateProject: ({ a }) => [{ label: 'her project', data: { project_id: a.project, language: 'es' } }],
  setLogo: ({ a }) => [
    {
      label: 'her project',
      // A real 1x1 PNG: the refusal must come from ownership, not from the image check.
      data: {
        project_id: a.project,
        image_base64:
          'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      },
    },
  ],
  // His own upload path (none uploaded): the refusal must come from ownership of the project or scene.
  setProductImage: ({ a, bobUid }) => [
    { label: 'her project', data: { project_id: a.project, upload_path: `uploads/${bobUid}/images/x.png` } },
  ],
  setSceneClip: ({ a, bob, bobUid }) => [
    {
      label: 'her project, her scene',
      data: { project_id: a.project, scene_id: a.scenes[0], upload_path: `uploads/${bobUid}/clips/x.mp4` },
    },
    {
      label: 'his project, her scene',
      data: { project_id: bob, scene_id: a.scenes[0], upload_path: `uploads/${bobUid}/clips/x.mp4` },
    },
  ],
  generateAll: ({ a, bob }) => [
    { label: 'her project', data: { project_id: a.project, type: 'composition' } },
    { label: 'his project, her scenes', data: { project_id: bob, type: 'composition', scene_ids: a.scenes } },
  ],
  estimateCost: ({ a, bob }) => [
    { label: 'her project', data: { project_id: a.project, type: 'video' } },
    { label: 'his project, her scenes', data: { project_id: bob, type: 'video', scene_ids: a.scenes } },
  ],
  // Takes no ids: it only ever reads the caller's own usage record.
  getUsage: null,
  startProduction: ({ a }) => [{ label: 'her project', data: { project_id: a.project } }],
  estimateProduction: ({ a }) => [{ label: 'her project', data: { project_id: a.project } }],
  cancelProduction: ({ a }) => [{ label: 'her project', data: { project_id: a.project } }],
  retryProduction: ({ a }) => [{ label: 'her project', data: { project_id: a.project } }],
};

const CASES = (Object.entries(ATTEMPTS) as [CallableName, ((t: Target) => Attempt[]) | null][]).filter(
  (entry): entry is [CallableName, (t: Target) => Attempt[]] => entry[1] !== null,
);

const UNKNOWN_PREFIX = 'no-such-id-';

/** A message with Alice's ids and the made-up ones replaced by `<id>`, to compare two answers' wording. */
function blankIds(message: string, target: Target): string {
  const hers = [target.a.project, target.a.mood, target.a.runningJob, target.a.failedJob, ...target.a.scenes];
  let text = message.replace(new RegExp(`${UNKNOWN_PREFIX}\\d+`, 'g'), '<id>');
  for (const id of hers) text = text.split(id).join('<id>');
  return text;
}

/** The same request with every id of Alice's replaced by one that exists nowhere. */
function withUnknownIds(data: Record<string, unknown>, target: Target): Record<string, unknown> {
  const hers: unknown[] = [
    target.a.project,
    target.a.mood,
    target.a.runningJob,
    target.a.failedJob,
    ...target.a.scenes,
  ];
  const swap = (v: unknown): unknown => (hers.includes(v) ? `${UNKNOWN_PREFIX}${hers.indexOf(v)}` : v);
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, Array.isArray(value) ? value.map(swap) : swap(value)]),
  );
}

describe.skipIf(E2E_SKIP_REASON !== null)(
  'cross-user: another user’s ids get not-found and change nothing',
  () => {
    const alice = fileUser('alice');
    const bob = fileUser('bob');
    let target: Target;
    let hers: ProjectSnapshot;
    let his: ProjectSnapshot;

    beforeAll(async () => {
      const a = await createVictim(alice);
      const { project } = await bob.call('createProject', createProjectRequest({ name: 'Bob’s own' }));
      await bob.call('addScene', { project_id: project.id, ...sceneInput(1) });
      target = { a, bob: project.id, bobUid: bob.uid };
      [hers, his] = await Promise.all([snapshotProject(a.project), snapshotProject(project.id)]);
    });

    it.concurrent.each(CASES)(
      '%s with Alice’s ids is refused exactly as ids that exist nowhere',
      async (name, attempts) => {
        for (const { label, data } of attempts(target)) {
          // On her project: not-found. On his own project, naming her scene, mood or job: whatever an id that
          // exists nowhere gets (not-found, or invalid-argument for a reorder that does not list his scenes),
          // word for word once the ids are blanked out: nothing tells her ids from made-up ones.
          const onHers = data.project_id === target.a.project;
          const unknown = await bob.callRaw(name, withUnknownIds(data, target)).then(
            () => {
              throw new Error(`${name} (${label}): the made-up ids were accepted`);
            },
            (err: { code?: string; message?: string }) => err,
          );
          const code = (unknown.code ?? '').replace(/^functions\//, '') as HttpsErrorCode;
          if (onHers) expect(code, `${name} (${label})`).toBe('not-found');
          const theirs = await expectHttpsError(bob.callRaw(name, data), code).catch((err: Error) => {
            throw new Error(`${name} (${label}): ${err.message}`);
          });
          expect(blankIds(theirs.message, target), `${name} (${label})`).toBe(
            blankIds(unknown.message ?? '', target),
          );
        }
      },
    );

    it('listProjects does not show her project; createProject makes his own, not hers', async () => {
      const { projects } = await bob.call('listProjects', { limit: 50 });
      expect(projects.map((p) => p.id)).toEqual([target.bob]);
      const { project } = await bob.call('createProject', createProjectRequest({ name: 'Another of Bob’s' }));
      expect(project.id).not.toBe(target.a.project);
      expect(project.user_id).toBe(bob.uid);
    });

    it('nothing of hers changed, nor of his, and she still has full access', async () => {
      expect(await snapshotProject(target.a.project)).toEqual(hers);
      expect(await snapshotProject(target.bob)).toEqual(his);
      const { project } = await alice.call('getProject', { project_id: target.a.project });
      expect(project.scenes.map((s) => s.id)).toEqual(target.a.scenes);
    });
  },
);
