// A real client of the backend, as an app would be: the Firebase JS SDK signed in on the Auth emulator,
// calling the callables on the Functions emulator through the typed SDK (@reelforge/client), which checks
// every request and parses every response against the schema, so a drift between backend and schema shows
// here; and reading Firestore with the owner's rules.
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, createUserWithEmailAndPassword, getAuth } from 'firebase/auth';
import { connectFirestoreEmulator, getFirestore, terminate, type Firestore } from 'firebase/firestore';
import { connectFunctionsEmulator, getFunctions, type Functions } from 'firebase/functions';
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import {
  call as callSdk,
  createReelforgeClient,
  isReelforgeError,
  type ReelforgeClient,
} from '@reelforge/client';
import { verifyEmailOnAuthEmulator } from '@reelforge/client/auth-emulator';
import type { CallableName, CallableRequest, CallableResponse } from '@reelforge/schema';
import { DEFAULT_BUCKET, HOST, PORTS, PROJECT_ID, REGION } from '../harness/env.js';

/** A callable's answer may take a while on the emulators (a worker started for it on a loaded machine). */
const CALL_TIMEOUT_MS = 120_000;

export interface DemoClient {
  uid: string;
  email: string;
  db: Firestore;
  call<N extends CallableName>(name: N, data: CallableRequest<N>): Promise<CallableResponse<N>>;
  /** The same session as the typed SDK client an app holds (its methods, `subscribeProject`, asset URLs). */
  rf: ReelforgeClient;
  close(): Promise<void>;
}

/** A callable answered with an error: its code, message and details, as the SDK reports them. */
export class CallError extends Error {
  override name = 'CallError';
  constructor(
    readonly callable: string,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(`${callable} failed (${code}): ${message}${details ? ` ${JSON.stringify(details)}` : ''}`);
  }
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, HOST, () => done(true));
  });
}

/** Refuses early, and says what to do, when the emulators are not running. */
export async function checkEmulators(): Promise<void> {
  const needed = {
    auth: PORTS.auth,
    functions: PORTS.functions,
    firestore: PORTS.firestore,
    storage: PORTS.storage,
  };
  const down: string[] = [];
  for (const [name, port] of Object.entries(needed))
    if (!(await reachable(port))) down.push(`${name} (${HOST}:${port})`);
  if (down.length > 0) {
    throw new Error(
      `the local emulators are not running: ${down.join(', ')}.\n` +
        'Run the demo with `npm run demo`, which starts them, or start them first with `npm run emulators`.',
    );
  }
}

export async function connectClient(): Promise<DemoClient> {
  // A demo project id and a placeholder API key: the emulators accept both, and nothing reaches Google.
  const app: FirebaseApp = initializeApp(
    { projectId: PROJECT_ID, apiKey: 'demo-api-key', storageBucket: DEFAULT_BUCKET },
    `reelforge-demo-${randomBytes(4).toString('hex')}`,
  );
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${HOST}:${PORTS.auth}`, { disableWarnings: true });
  const functions: Functions = getFunctions(app, REGION);
  connectFunctionsEmulator(functions, HOST, PORTS.functions);
  const db = getFirestore(app);
  connectFirestoreEmulator(db, HOST, PORTS.firestore);

  const email = `demo-${Date.now()}-${randomBytes(3).toString('hex')}@reelforge.test`;
  const { user } = await createUserWithEmailAndPassword(auth, email, randomBytes(12).toString('base64url'));
  // Paid work needs a verified email: the emulator sends no mail, so the demo applies its code itself.
  await verifyEmailOnAuthEmulator(auth, { origin: `http://${HOST}:${PORTS.auth}`, projectId: PROJECT_ID });

  return {
    uid: user.uid,
    email,
    db,
    rf: createReelforgeClient({ functions, firestore: db, timeoutMs: CALL_TIMEOUT_MS }),
    async call(name, data) {
      // The SDK checks the request, calls, and parses the response with the schema.
      try {
        return await callSdk(functions, name, data, { timeoutMs: CALL_TIMEOUT_MS });
      } catch (err) {
        if (!isReelforgeError(err)) throw err;
        throw new CallError(name, err.code, err.message, err.details);
      }
    },
    async close() {
      await terminate(db);
      await deleteApp(app);
    },
  };
}
