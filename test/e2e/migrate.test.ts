// The deploy-time migration (`npm run migrate`, scripts/migrate.ts) on data as the previous release left it:
// (1) a project written before `stats.stale_at` existed, whose job went stale long ago: the sweep cannot see
// it until the migration backfills the field, then rescues the job; (2) a Clerk user signed in before uids
// were namespaced (Firebase uid = the bare Clerk id): after the migration, signing in with Clerk as
// `clerk:<id>` shows their projects, files and merged usage. A dry run writes nothing; a second run changes
// nothing. The migration runs as the team runs it: the command, in its own process, on the emulators.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_STALE_MINUTES } from '@reelforge/schema';
import { computeStats } from '../../functions/src/projects/stats.js';
import { newProject } from '../../functions/src/projects/new-project.js';
import { ROOT } from '../../scripts/harness/env.js';
import { SWEEP_EVERY_MS_ENV } from '../../scripts/harness/scheduled.js';
import {
  E2E_SKIP_REASON,
  fileUser,
  TestClient,
  activeJob,
  adminAuth,
  adminDb,
  clearFirestore,
  createProjectRequest,
  expectHttpsError,
  mood,
  patchProject,
  projectDoc,
  readProjectOrFail,
  sceneInput,
  uploadFile,
} from './support/index.js';
import { startLocalClerk, type LocalClerk } from './support/local-clerk.js';
import { expectCompleted, jobOf, sleep } from './pipeline/jobs.js';
import { sweep } from './pipeline/in-process.js';
import { readUsageDoc } from './limits/support.js';

const run = promisify(execFile);
const SUB = 'user_abc123';
const NEW_UID = `clerk:${SUB}`;
const HOUR = 60 * 60_000;

/** `npm run migrate -- <args>` against the emulators this test runs on; its printed report. */
async function migrate(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/migrate.ts', ...args], {
      cwd: ROOT,
      env: process.env,
      timeout: 90_000,
    });
    return stdout;
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`npm run migrate -- ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

async function deleteAuthUser(uid: string) {
  await adminAuth()
    .deleteUser(uid)
    .catch((err: { code?: string }) => {
      if (err.code !== 'auth/user-not-found') throw err;
    });
}

const today = () => new Date().toISOString().slice(0, 10);
const thisMonth = () => new Date().toISOString().slice(0, 7);

describe.skipIf(E2E_SKIP_REASON !== null)('the deploy-time migration', () => {
  const owner = fileUser('legacy-stale');
  let legacy: TestClient;
  let clerk: LocalClerk;
  let staleProject: string;
  let staleJob: string;
  let lastActivity: number;
  const clerkProjects: string[] = [];
  let runningJob: string;
  let legacySignedInAt: number;
  const ledgerJob = `job-ledger-${Date.now()}`;
  const logo = () => `projects/${clerkProjects[0]}/brand/logo.png`;

  beforeAll(async () => {
    await clearFirestore();
    await Promise.all([deleteAuthUser(SUB), deleteAuthUser(NEW_UID)]);
    clerk = await startLocalClerk();

    // (1) A project with one scene whose composition job was queued two hours ago and lost its task, as the
    // previous release stored it: stats without `stale_at`.
    const { project } = await owner.call('createProject', createProjectRequest());
    await owner.call('addScene', { project_id: project.id, ...sceneInput(1) });
    staleProject = project.id;
    const seeded = await patchProject(staleProject, (p) => {
      p.storyboard.selected_mood = mood();
      const scene = p.scenes[0]!;
      scene.active_job = activeJob('composition', 'queued', {
        last_update: Timestamp.fromMillis(Date.now() - 2 * HOUR),
        attempt: 1,
        scene_id: scene.id,
      });
      // In the same write: a moment with `stale_at` stored would let the harness's sweep find the job.
      const { stale_at: _unknownThen, ...stats } = computeStats(p, Timestamp.now());
      p.stats = stats as typeof p.stats;
    });
    staleJob = seeded.scenes[0]!.active_job!.job_id;
    lastActivity = (seeded.stats.last_activity as Timestamp).toMillis();
    expect((await projectDoc(staleProject).get()).get('stats')).not.toHaveProperty('stale_at');

    // (2) A Clerk user of the previous release: signed in with a custom token whose uid was the bare Clerk id
    // (a Firebase user with no sign-in provider), with two projects, a running job, spend and a ledger entry.
    legacy = TestClient.anonymous();
    expect(await legacy.signInWithCustomToken(await adminAuth().createCustomToken(SUB))).toBe(SUB);
    // Revocation is recorded to the second: the migration (seconds later) must revoke after this sign-in.
    legacySignedInAt = Date.now();
    for (const name of ['Old launch', 'Old teaser']) {
      const { project: p } = await legacy.call('createProject', createProjectRequest({ name }));
      clerkProjects.push(p.id);
    }
    await uploadFile(logo(), Buffer.from('not really a png'), 'image/png');
    const withJob = await patchProject(clerkProjects[0]!, (p) => {
      p.assets.logo_path = logo();
      p.active_job = activeJob('render', 'processing');
      p.stats = computeStats(p, Timestamp.now());
    });
    runningJob = withJob.active_job!.job_id;
    const now = Timestamp.now();
    await adminDb()
      .collection('usage')
      .doc(SUB)
      .set({
        user_id: SUB,
        active: {
          [runningJob]: {
            project_id: clerkProjects[0],
            type: 'render',
            estimated_usd: 0.2,
            admitted_at: now,
          },
        },
        active_jobs: 1,
        day: today(),
        spent_today_usd: 1.25,
        month: thisMonth(),
        spent_month_usd: 3,
        updated_at: now,
      });
    // They also signed in once after the functions were deployed (as clerk:<id>) and spent a little.
    await adminDb().collection('usage').doc(NEW_UID).set({
      user_id: NEW_UID,
      active: {},
      active_jobs: 0,
      day: today(),
      spent_today_usd: 0.5,
      month: thisMonth(),
      spent_month_usd: 0.75,
      updated_at: now,
    });
    await adminDb().collection('ledger').doc(ledgerJob).set({
      job_id: ledgerJob,
      user_id: SUB,
      project_id: clerkProjects[1],
      type: 'composition',
      status: 'completed',
      estimated_usd: 0.001,
      actual_usd: 0.001,
      started_at: now,
      ended_at: now,
    });
  });

  afterAll(async () => {
    await legacy?.close();
    await clerk?.close();
  });

  it('before it, the sweep never finds the stale job of a project without stats.stale_at', async () => {
    const result = await sweep(new Date());
    expect(result.projects).toBe(0);
    // The harness's own scheduled sweep (every few seconds under npm test) does not find it either.
    const every = Number(process.env[SWEEP_EVERY_MS_ENV] ?? NaN);
    if (every <= 30_000) await sleep(every + 1_000);
    expect(jobOf(await readProjectOrFail(staleProject), staleJob)).toMatchObject({
      status: 'queued',
      attempt: 1,
    });
  });

  it('a dry run says what it would change and writes nothing', async () => {
    const out = await migrate('--dry-run');
    expect(out).toMatch(/dry run: nothing written/);
    expect(out).toMatch(/3 project\(s\) scanned, 1 to backfill/);
    expect(out).toMatch(
      /1 legacy Clerk user\(s\) found; 1 to disable and sign out, 2 project\(s\) to move, 1 usage record\(s\) to merge, 1 ledger entry to move/,
    );
    expect((await projectDoc(staleProject).get()).get('stats.stale_at')).toBeUndefined();
    expect((await readProjectOrFail(clerkProjects[0]!)).user_id).toBe(SUB);
    expect((await adminAuth().getUser(SUB)).disabled).toBe(false);
    expect(await readUsageDoc(SUB)).not.toBeNull();
  });

  it('backfills stats.stale_at, and the sweep then rescues the job', async () => {
    const out = await migrate();
    console.log(out);
    expect(out).toMatch(/3 project\(s\) scanned, 1 backfilled/);
    const migrated = await readProjectOrFail(staleProject);
    const job = jobOf(migrated, staleJob)!;
    expect(migrated.stats.stale_at?.toMillis()).toBe(
      job.last_update.toMillis() + JOB_STALE_MINUTES.composition * 60_000,
    );
    // The migration is not the user's activity: what clients show as last activity is kept (unless the
    // harness's own sweep already rescued the job, a real change, between the migration and this read).
    if (job.attempt === 1) expect(migrated.stats.last_activity.toMillis()).toBe(lastActivity);

    // The sweep, as the scheduled function runs it (the harness's own may get there first): the job is
    // re-queued as a new attempt and its task runs to the end.
    await sweep(new Date());
    const { job: rescued } = await expectCompleted(staleProject, staleJob, 60_000);
    expect(rescued.attempt).toBe(2);
  });

  it('signs the old session out: its refresh tokens are revoked and its next call is refused', async () => {
    const old = await adminAuth().getUser(SUB);
    expect(old.disabled).toBe(true);
    // Revoked after the old session signed in (beforeAll), so every token that session holds is refused.
    expect(Date.parse(old.tokensValidAfterTime!)).toBeGreaterThan(legacySignedInAt);
    // The old client still holds an ID token good for the hour: it no longer writes under the bare uid.
    await expectHttpsError(legacy.call('listProjects', {}), 'unauthenticated');
    await expectHttpsError(legacy.call('createProject', createProjectRequest()), 'unauthenticated');
  });

  it("moves the legacy Clerk user's projects, usage and ledger to clerk:<id>, who signs in and sees them", async () => {
    expect((await adminAuth().getUser(SUB)).disabled).toBe(true);
    const user = TestClient.anonymous();
    try {
      const { custom_token, uid } = await user.call('exchangeClerkToken', {
        token: await clerk.sessionToken(SUB),
      });
      expect(uid).toBe(NEW_UID);
      expect(await user.signInWithCustomToken(custom_token)).toBe(NEW_UID);
      const { projects } = await user.call('listProjects', {});
      expect(projects.map((p) => p.id).sort()).toEqual([...clerkProjects].sort());
      // The files did not move: they live under the project, and follow its owner.
      const { urls } = await user.call('getAssetUrls', { project_id: clerkProjects[0]! });
      expect(Object.keys(urls)).toEqual([logo()]);
      // One usage record: the running job's slot and both records' spend.
      const { usage } = await user.call('getUsage', {});
      expect(usage).toMatchObject({
        active_jobs: 1,
        reserved_usd: 0.2,
        spent_today_usd: 1.75,
        spent_month_usd: 3.75,
      });
      expect(await readUsageDoc(SUB)).toBeNull();
      expect((await readUsageDoc(NEW_UID))?.active).toHaveProperty(runningJob);
      expect((await adminDb().collection('ledger').doc(ledgerJob).get()).get('user_id')).toBe(NEW_UID);
    } finally {
      await user.close();
    }
  });

  it('a second run changes nothing and says so', async () => {
    const out = await migrate();
    expect(out).toMatch(/0 backfilled/);
    expect(out).toMatch(
      /1 legacy Clerk user\(s\) found; 0 disabled and signed out, 0 project\(s\) moved, 0 usage record\(s\) merged, 0 ledger entries moved/,
    );
    expect(out).toMatch(/Nothing to change/);
  });

  it("a sweep between the migration's steps settles a moved job's slot with its cost, never frees it", async () => {
    // Another legacy user (data only: the command is not run again), whose render ended with $0.20 of
    // actual cost, and whose settle was lost: its slot, admitted ten minutes ago, is still on usage/<sub>.
    const sub = 'user_between';
    const uid = `clerk:${sub}`;
    const tenMinutesAgo = Timestamp.fromMillis(Date.now() - 10 * 60_000);
    const ref = adminDb().collection('projects').doc();
    const ended = { ...activeJob('render', 'completed'), cost: { estimated_usd: 0.2, actual_usd: 0.2 } };
    const project = newProject({
      id: ref.id,
      uid: sub,
      request: createProjectRequest(),
      now: Timestamp.now(),
    });
    project.active_job = ended;
    project.stats = computeStats(project, Timestamp.now());
    await ref.set(project);
    await adminDb()
      .collection('usage')
      .doc(sub)
      .set({
        user_id: sub,
        active: {
          [ended.job_id]: {
            project_id: ref.id,
            type: 'render',
            estimated_usd: 0.2,
            admitted_at: tenMinutesAgo,
          },
        },
        active_jobs: 1,
        day: today(),
        spent_today_usd: 0,
        month: thisMonth(),
        spent_month_usd: 0,
        updated_at: tenMinutesAgo,
      });

    const { moveProjects, mergeUsageRecord } = await import('../../scripts/migrate/clerk-uids.js');
    const { reconcileUsage } = await import('../../functions/src/projects/usage/reconcile.js');
    const result = { users: 1, disabled: 0, projects: 0, usage: 0, ledger: 0, errors: [] };
    await moveProjects(sub, uid, false, result);
    expect(result.projects).toBe(1);
    // The sweep's reconciliation runs now, between the two steps, on both records.
    await reconcileUsage(sub);
    await reconcileUsage(uid);
    await mergeUsageRecord(sub, uid, false);

    const usage = await readUsageDoc(uid);
    expect(usage?.active ?? {}).toEqual({});
    expect(usage?.spent_today_usd).toBeCloseTo(0.2, 6);
    const entry = await adminDb().collection('ledger').doc(ended.job_id).get();
    expect(entry.data()).toMatchObject({ user_id: uid, actual_usd: 0.2, status: 'completed' });
  });
});
