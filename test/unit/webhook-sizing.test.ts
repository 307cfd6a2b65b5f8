// The public webhook's sizing, on the built bundle's endpoint spec (what the Firebase CLI deploys): every
// request it takes at once may be a body of the Functions Framework's largest (32 MiB, parsed before the
// signature is checked), so concurrency x what one such body costs must fit the memory, with the runtime's
// own share beside it. The cost of a body is measured here, not assumed.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { deployedFunctions } from './support/deployed.js';

const BUNDLE = new URL('../../functions/lib/index.js', import.meta.url).pathname;
if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
const endpoint = deployedFunctions(createRequire(import.meta.url)(BUNDLE) as object).get('replicateWebhook')!
  .__endpoint as { availableMemoryMb?: number; concurrency?: number; cpu?: number };

const MiB = 1024 * 1024;
/** The Functions Framework's body limit (Cloud Run's request limit). */
const LARGEST_BODY = 32 * MiB;
/** Node, firebase-admin and the Framework loaded, before any request (a few tens of MiB; generous). */
const RUNTIME = 256 * MiB;

it('holds its concurrency of the largest bodies in its memory', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--expose-gc',
    new URL('./support/parse-cost.mjs', import.meta.url).pathname,
    String(LARGEST_BODY),
  ]);
  const perBody = (JSON.parse(stdout) as { bytes: number }).bytes;
  expect(perBody).toBeGreaterThan(LARGEST_BODY);
  // Unset (null in the spec) means the defaults: 256 MiB and 80.
  const memory = (typeof endpoint.availableMemoryMb === 'number' ? endpoint.availableMemoryMb : 256) * MiB;
  const concurrency = typeof endpoint.concurrency === 'number' ? endpoint.concurrency : 80;
  console.log(
    `replicateWebhook: ${concurrency} x ${Math.round(perBody / MiB)} MiB + ${RUNTIME / MiB} MiB runtime ` +
      `= ${Math.round((concurrency * perBody + RUNTIME) / MiB)} MiB of ${memory / MiB} MiB`,
  );
  expect(concurrency * perBody + RUNTIME).toBeLessThanOrEqual(memory);
  // Concurrency above 1 needs a whole vCPU on Cloud Run.
  expect(concurrency === 1 || (endpoint.cpu ?? 0) >= 1).toBe(true);
});
