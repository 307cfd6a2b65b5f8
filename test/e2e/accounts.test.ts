// Accounts and what they may do, on the emulators as a client calls: the project cap holds under parallel
// creates; a session whose tokens were revoked (or whose account was disabled) is refused at its next call;
// paid work needs a verified email, while free calls do not; and the global daily ceiling refuses everyone's
// new paid work once the day's admitted spend reaches it.
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEmailOnAuthEmulator } from '@reelforge/client/auth-emulator';
import { LIMIT_DEFAULTS } from '../../functions/src/config.js';
import {
  E2E_SKIP_REASON,
  TEST_ENV,
  TestClient,
  adminAuth,
  adminDb,
  clearFirestore,
  createProjectRequest,
  expectHttpsError,
  readProjectOrFail,
} from './support/index.js';
import { asUser, inProcessProjects, projectWithScenes, readUsageDoc } from './limits/support.js';
import { sleep } from './pipeline/jobs.js';

const today = () => new Date().toISOString().slice(0, 10);

describe.skipIf(E2E_SKIP_REASON !== null)('accounts', () => {
  const clients: TestClient[] = [];
  const signUp = async (label: string, options?: { verified?: boolean }) => {
    const client = await TestClient.signUp(label, options);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    await clearFirestore();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await clearFirestore();
  });

  it('ten simultaneous creates at the project cap less one admit exactly one', async () => {
    const owner = await signUp('cap');
    const max = LIMIT_DEFAULTS.maxProjects;
    const batch = adminDb().batch();
    for (let i = 0; i < max - 1; i++)
      batch.set(adminDb().collection('projects').doc(), { user_id: owner.uid });
    await batch.commit();

    // In this process, as one instance runs concurrent requests (limits/support.ts says why): the functions
    // emulator would start a worker process per request and stagger them by its cold starts.
    const api = await inProcessProjects();
    const auth = await asUser(owner);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        api.createProject.run({
          data: createProjectRequest({ name: `Racing ${i + 1}` }),
          auth,
        } as never),
      ),
    );
    const created = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(created).toHaveLength(1);
    for (const r of refused) {
      expect((r.reason as { code?: string }).code).toBe('resource-exhausted');
      expect((r.reason as Error).message).toMatch(
        new RegExp(`You have ${max} projects and the limit is ${max}`),
      );
    }
    const owned = await adminDb().collection('projects').where('user_id', '==', owner.uid).count().get();
    expect(owned.data().count).toBe(max);
  });

  it('a session whose refresh tokens were revoked is refused at its next call, not an hour later', async () => {
    const user = await signUp('revoked');
    await user.call('listProjects', {});
    // Revocation is recorded to the second: a token issued in the same second would still pass.
    await sleep(1_100);
    await adminAuth().revokeRefreshTokens(user.uid);
    // The client still holds its ID token (valid for the hour); the callable checks it against Auth.
    const err = await expectHttpsError(user.call('listProjects', {}), 'unauthenticated');
    expect(err.message).toMatch(/sign in again/);
    await expectHttpsError(user.call('createProject', createProjectRequest()), 'unauthenticated');
  });

  it('a disabled account is refused at its next call', async () => {
    const user = await signUp('disabled');
    await user.call('listProjects', {});
    await adminAuth().updateUser(user.uid, { disabled: true });
    await expectHttpsError(user.call('listProjects', {}), 'unauthenticated');
  });

  it('an unverified email is refused paid work but can create projects; verified, the same call starts', async () => {
    const user = await signUp('unverified', { verified: false });
    const { project } = await user.call('createProject', createProjectRequest());
    const estimate = await user.call('estimateCost', { project_id: project.id, type: 'moods' });
    expect(estimate.estimated_usd).toBeGreaterThan(0);

    const err = await expectHttpsError(
      user.call('generateMoods', { project_id: project.id }),
      'failed-precondition',
    );
    expect(err.message).toMatch(/Verify your email address before starting paid work/);
    const scened = await projectWithScenes(user, 2);
    await expectHttpsError(
      user.call('generateAll', { project_id: scened, type: 'image' }),
      'failed-precondition',
    );
    // Refused before admission: no slot was taken, no job written.
    expect((await readUsageDoc(user.uid))?.active ?? {}).toEqual({});
    expect((await readProjectOrFail(project.id)).active_job).toBeFalsy();

    await verifyEmailOnAuthEmulator(user.auth, {
      origin: `http://${TEST_ENV.auth.host}:${TEST_ENV.auth.port}`,
      projectId: TEST_ENV.projectId,
    });
    const { job_id } = await user.call('generateMoods', { project_id: project.id });
    expect((await readProjectOrFail(project.id)).active_job?.job_id).toBe(job_id);
    await user.call('cancelJob', { project_id: project.id, job_id });
  });

  it("refuses a second user's paid work once a first user's spend reached the global ceiling", async () => {
    const first = await signUp('ceiling-first');
    const second = await signUp('ceiling-second');
    const [firstProject, secondProject] = await Promise.all([
      projectWithScenes(first, 1),
      projectWithScenes(second, 1),
    ]);
    const firstScene = (await readProjectOrFail(firstProject)).scenes[0]!.id;
    const secondScene = (await readProjectOrFail(secondProject)).scenes[0]!.id;
    const { estimated_usd: estimate } = await first.call('estimateCost', {
      project_id: firstProject,
      type: 'image',
    });
    // The rest of the day's traffic: everything but one and a half images' worth of the ceiling is admitted.
    const ceiling = LIMIT_DEFAULTS.globalDailyBudgetUsd;
    const before = ceiling - 1.5 * estimate;
    // (Earlier tests' jobs are in the count too: the seed replaces every shard.)
    const seed = adminDb().batch();
    for (const shard of (await adminDb().collection('global_usage').get()).docs) seed.delete(shard.ref);
    seed.set(adminDb().collection('global_usage').doc('shard-0'), {
      day: today(),
      admitted_usd: before,
      updated_at: Timestamp.now(),
    });
    await seed.commit();

    await first.call('generateSceneAsset', { project_id: firstProject, scene_id: firstScene, type: 'image' });
    const shards = await adminDb().collection('global_usage').get();
    const admitted = shards.docs.reduce((sum, d) => sum + (d.get('admitted_usd') as number), 0);
    expect(admitted).toBeCloseTo(before + estimate, 6);

    // The second user has their whole daily budget, but not the platform's.
    expect((await second.call('getUsage', {})).usage.remaining_today_usd).toBe(LIMIT_DEFAULTS.dailyBudgetUsd);
    const err = await expectHttpsError(
      second.call('generateSceneAsset', { project_id: secondProject, scene_id: secondScene, type: 'image' }),
      'resource-exhausted',
    );
    expect(err.message).toMatch(/spending ceiling for today .* across all users.*paused for everyone/);
    expect((await readProjectOrFail(secondProject)).scenes[0]!.active_job).toBeFalsy();
    expect((await readUsageDoc(second.uid))?.active ?? {}).toEqual({});
  });
});
