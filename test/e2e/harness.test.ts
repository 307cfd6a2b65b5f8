// Smoke test of the local harness (scripts/emulators.ts): every service it starts answers on its fixed
// port, the command got the environment, and the function workers reach Firestore through the
// functions/.env.local the harness wrote.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
import { getStorage } from 'firebase-admin/storage';
import {
  AUTH_HOST,
  DEFAULT_BUCKET,
  EMULATORS_ENV,
  FIRESTORE_HOST,
  FUNCTIONS_BASE_URL,
  FUNCTIONS_ORIGIN,
  HUB_URL,
  PORTS,
  PROJECT_ID,
  STANDIN_URL,
  STORAGE_HOST,
  STORAGE_URL,
  TASKS_HOST,
} from '../../scripts/harness/env.js';
import { skipUnlessEmulators } from '../../scripts/harness/guard.js';
import { tcpOpen } from '../../scripts/harness/wait.js';

/** A user signed up on the auth emulator; its ID token is unsigned, which the emulators accept. */
async function signUp(): Promise<string> {
  const res = await fetch(
    `http://${AUTH_HOST}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=demo-key`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `smoke-${randomUUID()}@example.test`,
        password: 'secret-password',
        returnSecureToken: true,
      }),
    },
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { idToken: string }).idToken;
}

async function callable(
  name: string,
  data: unknown,
  idToken?: string,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${FUNCTIONS_BASE_URL}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(idToken && { authorization: `Bearer ${idToken}` }) },
    body: JSON.stringify({ data }),
  });
  return { status: res.status, body: await res.json() };
}

describe.skipIf(skipUnlessEmulators('emulator harness smoke test', ['storage', 'functions']))(
  'emulator harness',
  () => {
    it('hands the command the emulator environment', () => {
      expect(process.env.FIRESTORE_EMULATOR_HOST).toBe(FIRESTORE_HOST);
      expect(process.env.STORAGE_EMULATOR_HOST).toBe(STORAGE_URL);
      expect(process.env.FIREBASE_STORAGE_EMULATOR_HOST).toBe(STORAGE_HOST);
      expect(process.env.FIREBASE_AUTH_EMULATOR_HOST).toBe(AUTH_HOST);
      expect(process.env.CLOUD_TASKS_EMULATOR_HOST).toBe(TASKS_HOST);
      expect(process.env.FUNCTIONS_EMULATOR_ORIGIN).toBe(FUNCTIONS_ORIGIN);
      expect(process.env.GCLOUD_PROJECT).toBe(PROJECT_ID);
      expect(process.env[EMULATORS_ENV]?.split(',')).toEqual(
        expect.arrayContaining(['firestore', 'storage', 'functions']),
      );
    });

    it('serves Firestore (Java emulator) and Storage (Node app) to the admin SDK', async () => {
      const app = initializeApp(
        { projectId: PROJECT_ID, storageBucket: DEFAULT_BUCKET },
        `smoke-${randomUUID()}`,
      );
      try {
        const ref = getFirestore(app).collection('harness-smoke').doc(randomUUID());
        await ref.set({ n: 1 });
        expect((await ref.get()).data()).toEqual({ n: 1 });
        await ref.delete();

        const file = getStorage(app).bucket().file(`harness-smoke/${randomUUID()}.txt`);
        await file.save('hello', { contentType: 'text/plain' });
        const [content] = await file.download();
        expect(content.toString()).toBe('hello');
        // The Storage app builds its links from firebase-tools' EmulatorRegistry: proof it was registered.
        const [metadata] = await file.getMetadata();
        expect(new URL(String(metadata.mediaLink)).host).toBe(STORAGE_HOST);
        await file.delete();
      } finally {
        await deleteApp(app);
      }
    });

    it('runs functions, auth and tasks under firebase-tools', async () => {
      const running = (await (await fetch(`${HUB_URL}/emulators`)).json()) as Record<string, unknown>;
      expect(Object.keys(running)).toEqual(expect.arrayContaining(['functions', 'auth', 'tasks']));
      expect(await tcpOpen(PORTS.tasks)).toBe(true);
    });

    it('lets a callable reach Firestore with the environment the harness wrote', async () => {
      const anonymous = await callable('listProjects', {});
      expect(anonymous.status).toBe(401);
      const signedIn = await callable('listProjects', {}, await signUp());
      expect(signedIn).toEqual({ status: 200, body: { result: { projects: [], next_cursor: null } } });
    });

    it.skipIf(skipUnlessEmulators('provider stand-in smoke check', ['standin']))(
      'serves the provider stand-in',
      async () => {
        expect(process.env.STANDIN_URL).toBe(STANDIN_URL);
        expect(await tcpOpen(PORTS.standin)).toBe(true);
      },
    );
  },
);
