// Google's Firestore emulator jar, run directly with Java 17 and the project's rules, so rules tests
// evaluate the real firestore.rules. Ready when GET / answers "Ok".
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startChild, type Child } from './children.js';
import { FIRESTORE_HOST, HOST, PORTS, PROJECT_ID, ROOT } from './env.js';
import { httpText, waitUntil } from './wait.js';

/** The java binary: $JAVA_HOME/bin/java, else `java` on PATH; undefined when there is none. */
export function findJava(): string | undefined {
  const candidates = [...(process.env.JAVA_HOME ? [join(process.env.JAVA_HOME, 'bin', 'java')] : []), 'java'];
  for (const java of candidates) {
    try {
      execFileSync(java, ['-version'], { stdio: 'ignore' });
      return java;
    } catch {
      // Try the next one.
    }
  }
  return undefined;
}

export async function startFirestore(java: string, jar: string): Promise<Child> {
  const child = startChild(
    'firestore',
    java,
    [
      '-Duser.language=en',
      '-cp',
      jar,
      'com.google.cloud.datastore.emulator.firestore.CloudFirestore',
      'start',
      `--host=${HOST}`,
      `--port=${PORTS.firestore}`,
      `--project_id=${PROJECT_ID}`,
      `--rules=${join(ROOT, 'firestore.rules')}`,
    ],
    { output: 'log' },
  );
  await waitUntil('firestore', async () => (await httpText(`http://${FIRESTORE_HOST}/`))?.trim() === 'Ok', {
    timeoutMs: 30_000,
    child,
    intervalMs: 50,
  });
  return child;
}
