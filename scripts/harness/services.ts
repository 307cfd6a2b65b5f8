// Starts the requested services, each timed, all at once: nothing here depends on another being up
// (the functions only connect to Firestore/Storage when called), so the slowest, firebase-tools at
// ~10 s, sets the total.
import type { Child } from './children.js';
import type { ServiceName } from './env.js';
import { startFirestore } from './firestore.js';
import { startFunctions } from './functions.js';
import { seconds, status, tailLog } from './logs.js';
import { startStandin } from './standin.js';
import { startStorage } from './storage.js';
import { tearingDown } from './teardown.js';

export interface FirestoreRuntime {
  java: string;
  jar: string;
}

function starter(service: ServiceName, firestore: FirestoreRuntime | undefined): () => Promise<Child> {
  switch (service) {
    case 'firestore':
      if (!firestore) throw new Error('firestore requested without a Java runtime and jar');
      return () => startFirestore(firestore.java, firestore.jar);
    case 'storage':
      return startStorage;
    case 'standin':
      return startStandin;
    case 'functions':
      return startFunctions;
  }
}

/** Starts all; on the first failure prints that service's log tail and rethrows (the caller tears down). */
export async function startServices(
  services: readonly ServiceName[],
  firestore: FirestoreRuntime | undefined,
): Promise<Map<ServiceName, Child>> {
  const started = new Map<ServiceName, Child>();
  const t0 = Date.now();
  await Promise.all(
    services.map(async (service) => {
      const begin = Date.now();
      try {
        started.set(service, await starter(service, firestore)());
      } catch (err) {
        if (tearingDown()) throw err;
        status(`${service} FAILED to start: ${err instanceof Error ? err.message : String(err)}`);
        const tail = tailLog(service);
        if (tail)
          process.stderr.write(`--- last lines of .emulators/logs/${service}.log ---\n${tail}\n---\n`);
        throw err;
      }
      status(`${service} ready in ${seconds(Date.now() - begin)}`);
    }),
  );
  status(`all ready in ${seconds(Date.now() - t0)}: ${services.join(', ')}`);
  return started;
}
