// The typed SDK against the real backend: its methods call the callables and parse their answers, the
// project subscription delivers each change parsed (wire shape and camelCase view), and another person's
// project is `not-found` both through a callable and through the listener.
import { beforeAll, describe, expect, it } from 'vitest';
import { connectFirestoreEmulator, getFirestore } from 'firebase/firestore';
import { getFunctions } from 'firebase/functions';
import {
  createReelforgeClient,
  type ProjectSnapshot,
  type ReelforgeClient,
  type ReelforgeError,
} from '@reelforge/client';
import type { TestClient } from './support/index.js';
import { E2E_SKIP_REASON, fileUser, TEST_ENV, createProjectRequest, sceneInput } from './support/index.js';

function sdkFor(client: TestClient): ReelforgeClient {
  const firestore = getFirestore(client.app);
  connectFirestoreEmulator(firestore, TEST_ENV.firestore.host, TEST_ENV.firestore.port);
  // Same app and region: the instance TestClient already pointed at the functions emulator.
  return createReelforgeClient({ functions: getFunctions(client.app, TEST_ENV.region), firestore });
}

describe.skipIf(E2E_SKIP_REASON !== null)('@reelforge/client on the emulators', () => {
  const alice = fileUser('alice');
  const bob = fileUser('bob');
  let rfAlice: ReelforgeClient;
  let rfBob: ReelforgeClient;

  beforeAll(async () => {
    rfAlice = sdkFor(alice);
    rfBob = sdkFor(bob);
  });

  it('calls, subscribes and sees each change parsed, in both shapes', async () => {
    const { project } = await rfAlice.createProject(createProjectRequest({ name: 'SDK project' }));
    const snapshots: ProjectSnapshot[] = [];
    let waiting: ((s: ProjectSnapshot) => void) | undefined;
    const stop = rfAlice.subscribeProject(project.id, (s) => {
      snapshots.push(s);
      waiting?.(s);
    });
    const next = (test: (s: ProjectSnapshot) => boolean) =>
      new Promise<ProjectSnapshot>((resolve) => {
        const found = snapshots.find(test);
        if (found) return resolve(found);
        waiting = (s) => test(s) && resolve(s);
      });
    try {
      const first = await next(() => true);
      expect(first.project.id).toBe(project.id);
      expect(first.project.created_at).toBe(project.created_at); // ISO strings, as the callable gives
      expect(first.camel.storyboard.creativeBrief.brandName).toBe(
        project.storyboard.creative_brief.brand_name,
      );

      const { scene } = await rfAlice.addScene({ project_id: project.id, ...sceneInput(1) });
      const withScene = await next((s) => s.project.scenes.length === 1);
      expect(withScene.camel.scenes[0]?.durationSeconds).toBe(scene.duration_seconds);
      expect(withScene.camel.stats.totalScenes).toBe(1);
    } finally {
      stop();
    }
  });

  it('says not-found for another person’s project, through a callable and through the listener', async () => {
    const { project } = await rfAlice.createProject(createProjectRequest({ name: 'Private' }));
    await expect(rfBob.getProject({ project_id: project.id })).rejects.toMatchObject({
      name: 'ReelforgeError',
      code: 'not-found',
      operation: 'getProject',
    });
    const error = await new Promise<ReelforgeError>((resolve, reject) => {
      rfBob.subscribeProject(project.id, () => reject(new Error('Bob received Alice’s project')), resolve);
    });
    expect(error.code).toBe('not-found');
  });
});
