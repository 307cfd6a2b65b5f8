// Helpers for the limits tests: projects with idle scenes seeded directly, the caller's usage record and
// ledger as Firestore holds them, and settling on a condition.
import { randomUUID } from 'node:crypto';
import { LedgerEntryDocSchema, UsageDocSchema, type LedgerEntryDoc, type UsageDoc } from '@reelforge/schema';
import { adminAuth, adminDb, createProjectRequest, patchProject, type TestClient } from '../support/index.js';
import { functionsEnv } from '../pipeline/in-process.js';

/** A project of the client's with `scenes` idle scenes (no assets, no jobs). */
export async function projectWithScenes(client: TestClient, scenes: number): Promise<string> {
  const { project } = await client.call('createProject', createProjectRequest());
  await patchProject(project.id, (p) => {
    p.scenes = Array.from({ length: scenes }, (_, i) => ({
      id: randomUUID(),
      scene_number: i + 1,
      title: `Scene ${i + 1}`,
      description: `What happens in scene ${i + 1}.`,
      duration_seconds: 3,
      shows_product: false,
      assets: {},
      active_job: null,
      composition: null,
    }));
  });
  return project.id;
}

export async function readUsageDoc(uid: string): Promise<UsageDoc | null> {
  const snap = await adminDb().collection('usage').doc(uid).get();
  return snap.exists ? UsageDocSchema.parse(snap.data()) : null;
}

export async function ledgerOf(projectId: string): Promise<LedgerEntryDoc[]> {
  const snap = await adminDb().collection('ledger').where('project_id', '==', projectId).get();
  return snap.docs.map((d) => LedgerEntryDocSchema.parse(d.data()));
}

/** Polls until `check` holds (the settle of an ended job follows its project write by a moment). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type GenerationApi = typeof import('../../../functions/src/api/generation.js'); // eslint-disable-line @typescript-eslint/consistent-type-imports

/**
 * The start callables run in this process, as one Cloud Functions instance runs them (concurrency 80):
 * the functions emulator starts a worker process per concurrent request, and 200 at once would start 200
 * Node processes on a shared 2-CPU machine. Firestore and the task queue are the emulators', so admitted
 * jobs are enqueued to the tasks emulator and run in the functions emulator as usual.
 */
export async function inProcessGeneration(): Promise<GenerationApi> {
  Object.assign(process.env, functionsEnv());
  return import('../../../functions/src/api/generation.js');
}

type ProjectsApi = typeof import('../../../functions/src/api/projects.js'); // eslint-disable-line @typescript-eslint/consistent-type-imports

/** The project callables in this process, for the same reason as `inProcessGeneration`. */
export async function inProcessProjects(): Promise<ProjectsApi> {
  Object.assign(process.env, functionsEnv());
  return import('../../../functions/src/api/projects.js');
}

/**
 * What a callable's `run` needs for the client's user: its real ID token, which the callable wrapper verifies
 * (revocation included) as it does for a request over HTTP, and the token's claims.
 */
export async function asUser(client: TestClient) {
  const rawToken = await client.idToken();
  const token = await adminAuth().verifyIdToken(rawToken);
  return { uid: token.uid, token, rawToken };
}
