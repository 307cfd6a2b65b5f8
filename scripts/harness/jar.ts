// Where Google's Firestore emulator jar may be. firebase-tools 15 would need Java 21 and a download, so
// the harness runs Google's jar directly with Java 17. It looks, in order, at:
//   1. FIRESTORE_EMULATOR_JAR (an explicit choice),
//   2. the machine image's Cloud SDK (package google-cloud-cli-firestore-emulator),
//   3. the vendored copy at ../shared/vendor/cloud-firestore-emulator.jar beside the project, used only when
//      its sha256 matches ../shared/vendor/cloud-firestore-emulator.jar.sha256 (images without the
//      package, e.g. Debian 13, cannot download it offline).
// An explicit path that does not exist is reported loudly and the lookup goes on: CI then still runs on a
// known jar (the image's or the checksummed copy) instead of skipping every Firestore suite over a stale
// variable, and the line says which jar was used and why the explicit one was not.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from './env.js';

const JAR_NAME = 'cloud-firestore-emulator.jar';
const JAR_IN_SDK = join('platform', 'cloud-firestore-emulator', JAR_NAME);
/** The project's vendored copy lives outside the repository, beside it (it is 50 MB and not ours). */
export const VENDOR_DIR = resolve(ROOT, '..', 'shared', 'vendor');

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

/** Where to look; the defaults are this machine's, tests inject their own. */
export interface JarSources {
  /** FIRESTORE_EMULATOR_JAR, if set. */
  explicit: string | undefined;
  /** The machine image's possible jar paths, in order. */
  imagePaths: string[];
  /** Folder holding the vendored jar and its `.sha256`. */
  vendorDir: string;
}

export function defaultJarSources(): JarSources {
  return {
    explicit: process.env.FIRESTORE_EMULATOR_JAR || undefined,
    imagePaths: sdkRoots().map((root) => join(root, JAR_IN_SDK)),
    vendorDir: VENDOR_DIR,
  };
}

export type JarSource = 'FIRESTORE_EMULATOR_JAR' | 'machine image' | 'vendored copy';

export type JarLookup =
  | { jar: string; source: JarSource; warnings: string[] }
  | { jar: undefined; lookedIn: string[]; warnings: string[] };

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The vendored jar if present and matching its recorded sha256; else why it is not usable. */
async function vendoredJar(vendorDir: string): Promise<{ jar: string } | { refused: string } | undefined> {
  const jar = join(vendorDir, JAR_NAME);
  if (!existsSync(jar)) return undefined;
  const sumFile = `${jar}.sha256`;
  // `sha256sum` format: "<hex>  <name>".
  const expected = existsSync(sumFile) ? readFileSync(sumFile, 'utf8').trim().split(/\s+/)[0] : undefined;
  if (!expected || !/^[0-9a-f]{64}$/i.test(expected)) {
    return { refused: `vendored ${jar} refused: no sha256 in ${sumFile}` };
  }
  const actual = await sha256(jar);
  if (actual !== expected.toLowerCase()) {
    return { refused: `vendored ${jar} refused: sha256 ${actual} does not match ${sumFile} (${expected})` };
  }
  return { jar };
}

export async function findFirestoreJar(sources: JarSources = defaultJarSources()): Promise<JarLookup> {
  const warnings: string[] = [];
  const lookedIn: string[] = [];
  if (sources.explicit) {
    lookedIn.push(sources.explicit);
    if (existsSync(sources.explicit))
      return { jar: sources.explicit, source: 'FIRESTORE_EMULATOR_JAR', warnings };
    warnings.push(`FIRESTORE_EMULATOR_JAR=${sources.explicit} does not exist; looking further`);
  }
  for (const path of sources.imagePaths) {
    lookedIn.push(path);
    if (existsSync(path)) return { jar: path, source: 'machine image', warnings };
  }
  lookedIn.push(join(sources.vendorDir, JAR_NAME));
  const vendored = await vendoredJar(sources.vendorDir);
  if (vendored && 'jar' in vendored) return { jar: vendored.jar, source: 'vendored copy', warnings };
  if (vendored) warnings.push(vendored.refused);
  return { jar: undefined, lookedIn, warnings };
}
