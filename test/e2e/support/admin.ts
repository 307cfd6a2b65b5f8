// Admin access for assertions and seeding: what Firestore and Storage really hold, bypassing the callables
// (and the rules). Its own named app, so it never collides with an app under test in the same process.
import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { getStorage } from 'firebase-admin/storage';
import { getAuth } from 'firebase-admin/auth';
import { ProjectDocSchema, type ProjectDoc } from '@reelforge/schema';
import { TEST_ENV } from './env.js';

const APP_NAME = 'reelforge-tests';

function app(): App {
  return (
    getApps().find((a) => a.name === APP_NAME) ??
    initializeApp({ projectId: TEST_ENV.projectId, storageBucket: TEST_ENV.bucket }, APP_NAME)
  );
}

let firestore: Firestore | undefined;
export function adminDb(): Firestore {
  if (!firestore) {
    firestore = getFirestore(app());
    firestore.settings({ ignoreUndefinedProperties: true });
  }
  return firestore;
}

export const adminBucket = () => getStorage(app()).bucket(TEST_ENV.bucket);

export const projectDoc = (projectId: string) => adminDb().collection('projects').doc(projectId);

/** The stored project, validated by the schema (a test fails on a document the schema refuses), or null. */
export async function readProject(projectId: string): Promise<ProjectDoc | null> {
  const snap = await projectDoc(projectId).get();
  return snap.exists ? ProjectDocSchema.parse(snap.data()) : null;
}

export async function readProjectOrFail(projectId: string): Promise<ProjectDoc> {
  const project = await readProject(projectId);
  if (!project) throw new Error(`project ${projectId} does not exist`);
  return project;
}

/** Seeds state no callable can produce on its own (moods, scene assets, running jobs): a read-modify-write
 * in a Firestore transaction (the functions write with an optimistic compare-and-set; either is atomic). */
export async function patchProject(
  projectId: string,
  change: (project: ProjectDoc) => void,
): Promise<ProjectDoc> {
  const ref = projectDoc(projectId);
  return adminDb().runTransaction(async (tx) => {
    const project = ProjectDocSchema.parse((await tx.get(ref)).data());
    change(project);
    tx.set(ref, project);
    return project;
  });
}

/** Deletes every document in the Firestore emulator (its REST reset endpoint). */
export async function clearFirestore(): Promise<void> {
  const url = `http://${TEST_ENV.firestoreHost}/emulator/v1/projects/${TEST_ENV.projectId}/databases/(default)/documents`;
  // The emulator answers 499 CANCELLED when a listener of the previous file is being torn down at the same
  // moment; the clear itself is idempotent, so it is tried again.
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, { method: 'DELETE' });
    if (res.ok) return;
    const body = await res.text();
    if (res.status !== 499 || attempt >= 5)
      throw new Error(`clearing Firestore failed: ${res.status} ${body}`);
    await new Promise((r) => setTimeout(r, 200 * attempt));
  }
}

export async function uploadFile(
  path: string,
  contents: string | Buffer,
  contentType = 'application/octet-stream',
) {
  await adminBucket().file(path).save(contents, { contentType, resumable: false });
}

export async function listFiles(prefix: string): Promise<string[]> {
  const [files] = await adminBucket().getFiles({ prefix });
  return files.map((f) => f.name).sort();
}

/** Firebase Auth as the admin SDK sees it (the Auth emulator: FIREBASE_AUTH_EMULATOR_HOST). */
export const adminAuth = () => getAuth(app());
