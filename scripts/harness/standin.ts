// The provider stand-in (OpenAI/Replicate look-alike) written under scripts/standin/. The harness only
// runs it when its entry point exists; it is ready when its health route answers.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, type Child } from './children.js';
import { PORTS, ROOT, STANDIN_SECRETS, STANDIN_URL } from './env.js';
import { waitUntil } from './wait.js';

export const STANDIN_ENTRY = join(ROOT, 'scripts', 'standin', 'main.ts');

export function standinAvailable(): boolean {
  return existsSync(STANDIN_ENTRY);
}

export async function startStandin(): Promise<Child> {
  const child = startChild(
    'standin',
    process.execPath,
    ['--import', 'tsx', STANDIN_ENTRY, '--port', String(PORTS.standin)],
    {
      output: 'log',
      // The same keys the functions get in functions/.secret.local, so both sides agree.
      env: {
        STANDIN_URL,
        STANDIN_OPENAI_API_KEY: STANDIN_SECRETS.OPENAI_API_KEY,
        STANDIN_REPLICATE_API_TOKEN: STANDIN_SECRETS.REPLICATE_API_TOKEN,
        STANDIN_WEBHOOK_SECRET: STANDIN_SECRETS.REPLICATE_WEBHOOK_SECRET,
      },
    },
  );
  const healthy = async () =>
    (await fetch(`${STANDIN_URL}/__standin/health`, { signal: AbortSignal.timeout(1000) })).ok;
  await waitUntil('standin', healthy, { timeoutMs: 30_000, child, intervalMs: 50 });
  return child;
}
