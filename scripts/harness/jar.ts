// Where Google's Firestore emulator jar may be. firebase-tools 15 would need Java 21 and a download, so
// the harness runs the jar the machine image installs (google-cloud-cli-firestore-emulator) with Java 17.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const JAR_IN_SDK = join('platform', 'cloud-firestore-emulator', 'cloud-firestore-emulator.jar');

/** Cloud SDK roots to look in: the machine image's, then where `gcloud` on PATH lives, then the usual ones. */
function sdkRoots(): string[] {
  const roots = ['/usr/lib/google-cloud-sdk'];
  try {
    const gcloud = execFileSync('which', ['gcloud'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    // <sdk>/bin/gcloud, possibly behind a symlink such as /usr/bin/gcloud.
    if (gcloud)
      roots.push(
        resolve(dirname(execFileSync('readlink', ['-f', gcloud], { encoding: 'utf8' }).trim()), '..'),
      );
  } catch {
    // No gcloud on PATH.
  }
  roots.push('/usr/share/google-cloud-sdk', '/opt/google-cloud-sdk', join(homedir(), 'google-cloud-sdk'));
  if (process.env.CLOUDSDK_ROOT_DIR) roots.unshift(process.env.CLOUDSDK_ROOT_DIR);
  return [...new Set(roots)];
}

export interface JarLookup {
  jar: string | undefined;
  lookedIn: string[];
}

export function findFirestoreJar(): JarLookup {
  // An explicit FIRESTORE_EMULATOR_JAR is the only place looked in: a wrong path is reported, not papered
  // over by another jar found elsewhere.
  const fromEnv = process.env.FIRESTORE_EMULATOR_JAR;
  const candidates = fromEnv ? [fromEnv] : sdkRoots().map((root) => join(root, JAR_IN_SDK));
  return { jar: candidates.find((path) => existsSync(path)), lookedIn: candidates };
}
