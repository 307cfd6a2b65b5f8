// The header every e2e file shared: a user signed up before the file's first test, signed out after its last.
import { afterAll, beforeAll } from 'vitest';
import { TestClient } from './client.js';

/**
 * A user for the file (or the describe block it is called in): signed up in a beforeAll hook, signed out in an
 * afterAll hook. It returns at once, so a file writes `const alice = fileUser('alice')` where it declared a
 * variable and filled it in hooks; the client behind it exists from the first hook on, and using it earlier
 * is a clear error. It never clears Firestore: the files of the `emulators-shared` project run side by side,
 * each seeing only what its own users make (vitest.config.ts); a file that reads the whole database clears it
 * itself and runs in the serial `emulators` project.
 */
export function fileUser(label: string): TestClient {
  let client: TestClient | undefined;
  beforeAll(async () => {
    client = await TestClient.signUp(label);
  });
  afterAll(async () => {
    await client?.close();
  });
  return new Proxy({} as TestClient, {
    get(_target, key) {
      if (!client) throw new Error(`${label} is signed up in a beforeAll hook: use it in a hook or a test`);
      const value: unknown = Reflect.get(client, key, client);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(client) : value;
    },
  });
}
