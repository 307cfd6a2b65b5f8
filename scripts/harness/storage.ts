// Starts the Java-free Storage emulator (storageServer.ts) in its own Node process under tsx's loader.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, type Child } from './children.js';
import { HOST, PORTS, PROJECT_ID, ROOT, STORAGE_URL } from './env.js';
import { httpText, waitUntil } from './wait.js';

/** The emulator keeps uploaded blobs under $TMPDIR; pointing it here keeps them out of /tmp. */
const STORAGE_TMP = join(ROOT, '.emulators', 'tmp', 'storage');

export async function startStorage(): Promise<Child> {
  clearStorageBlobs();
  const child = startChild(
    'storage',
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'scripts', 'harness', 'storageServer.ts'),
      PROJECT_ID,
      HOST,
      String(PORTS.storage),
      join(ROOT, 'storage.rules'),
    ],
    { output: 'log', env: { TMPDIR: STORAGE_TMP } },
  );
  await waitUntil('storage', async () => (await httpText(`${STORAGE_URL}/storage/v1/b`)) !== undefined, {
    timeoutMs: 30_000,
    child,
    intervalMs: 50,
  });
  return child;
}

export function clearStorageBlobs(): void {
  rmSync(STORAGE_TMP, { recursive: true, force: true });
}
