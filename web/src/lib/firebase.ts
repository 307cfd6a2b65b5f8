// Connects the Firebase JS SDK. Served from localhost (the Hosting emulator, `npm run studio`) the studio
// talks to the local emulators of the same host; anywhere else it reads the project's web config from
// Hosting's reserved `/__/firebase/init.json`, so one build deploys to any Firebase project.
import { initializeApp, type FirebaseOptions } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';
import { connectFirestoreEmulator, getFirestore } from 'firebase/firestore';
import { connectFunctionsEmulator, getFunctions } from 'firebase/functions';
import { createReelforgeClient, type ReelforgeClient } from '@reelforge/client';

export interface Backend {
  auth: Auth;
  rf: ReelforgeClient;
  emulators: boolean;
}

const REGION = 'us-central1';

function isLocal(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

async function webConfig(local: boolean): Promise<FirebaseOptions> {
  if (local) {
    // The emulators accept any API key; a `demo-` project id never reaches a real project.
    return { apiKey: 'demo-key', projectId: __EMULATOR_PROJECT_ID__, appId: 'demo-studio' };
  }
  const res = await fetch('/__/firebase/init.json');
  if (!res.ok) throw new Error(`could not load the Firebase config (/__/firebase/init.json: ${res.status})`);
  return (await res.json()) as FirebaseOptions;
}

export async function connectBackend(): Promise<Backend> {
  const local = isLocal(location.hostname);
  const app = initializeApp(await webConfig(local));
  const auth = getAuth(app);
  const firestore = getFirestore(app);
  const functions = getFunctions(app, REGION);
  if (local) {
    const host = location.hostname;
    connectAuthEmulator(auth, `http://${host}:${__EMULATOR_PORTS__.auth}`, { disableWarnings: true });
    connectFirestoreEmulator(firestore, host, __EMULATOR_PORTS__.firestore);
    connectFunctionsEmulator(functions, host, __EMULATOR_PORTS__.functions);
  }
  return { auth, rf: createReelforgeClient({ functions, firestore }), emulators: local };
}
