// Lazy firebase-admin access. Initialising on first use keeps module import cheap (cold start) and lets
// tests import modules without side effects.
import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { getStorage } from 'firebase-admin/storage';
import { getAuth } from 'firebase-admin/auth';
import { getFunctions } from 'firebase-admin/functions';
import { isEmulated } from './config.js';

let app: App | undefined;

export function adminApp(): App {
  if (app) return app;
  // Only the default app is ours; a host process (a test) may hold named apps of its own.
  const existing = getApps().find((a) => a.name === '[DEFAULT]');
  if (existing) return (app = existing);
  if (isEmulated()) {
    // Under the emulator, TaskQueue.enqueue would ask the metadata server for a service account and
    // hang; naming one avoids that. Passing options drops FIREBASE_CONFIG, so it is spread back in
    // (it carries the storage bucket).
    const config = JSON.parse(process.env.FIREBASE_CONFIG ?? '{}') as Record<string, string>;
    const projectId = config.projectId ?? process.env.GCLOUD_PROJECT ?? 'demo-reelforge';
    app = initializeApp({
      ...config,
      projectId,
      serviceAccountId: `emulated@${projectId}.iam.gserviceaccount.com`,
    });
  } else {
    app = initializeApp();
  }
  return app;
}

let firestore: Firestore | undefined;
export function db(): Firestore {
  if (!firestore) {
    firestore = getFirestore(adminApp());
    firestore.settings({ ignoreUndefinedProperties: true });
  }
  return firestore;
}

export const bucket = () => getStorage(adminApp()).bucket();
export const auth = () => getAuth(adminApp());
export const functionsAdmin = () => getFunctions(adminApp());
