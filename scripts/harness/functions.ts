// `firebase emulators:start --only functions,auth,tasks,hosting`: the part of the suite firebase-tools
// runs itself (pure Node); hosting serves the studio's build (web/dist). Firestore and Storage run beside it (firestore.ts, storage.ts), so the function
// workers learn their addresses from functions/.env.local and from this process's environment.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, type Child } from './children.js';
import {
  FUNCTIONS_ORIGIN,
  HUB_URL,
  PROJECT_ID,
  ROOT,
  STANDIN_SECRETS,
  functionsEnvLocal,
  functionsProcessEnv,
} from './env.js';
import { readLog } from './logs.js';
import { StartError, httpText, waitUntil } from './wait.js';

const FUNCTIONS_DIR = join(ROOT, 'functions');
export const FUNCTIONS_BUNDLE = join(FUNCTIONS_DIR, 'lib', 'index.js');
export const STUDIO_BUILD = join(ROOT, 'web', 'dist', 'index.html');

/** Lines firebase-tools logs when the functions did not load; it keeps running, so we stop waiting. */
const LOAD_FAILURES = [/Failed to load function definition/, /Failed to load environment variables/];

function dotenv(values: Record<string, string>): string {
  const header = '# Written by scripts/emulators.ts for the local emulators; rewritten on every start.\n';
  return (
    header +
    Object.entries(values)
      .map(([key, value]) => `${key}="${value}"\n`)
      .join('')
  );
}

/** functions/.env.local (params) and functions/.secret.local (the stand-in's keys); both gitignored. */
export function writeFunctionsEnvFiles(): void {
  writeFileSync(join(FUNCTIONS_DIR, '.env.local'), dotenv(functionsEnvLocal()));
  writeFileSync(join(FUNCTIONS_DIR, '.secret.local'), dotenv({ ...STANDIN_SECRETS }));
}

interface Backends {
  backends?: { functionTriggers?: { entryPoint?: string }[] }[];
}

/** The functions firebase-tools found in the bundle, from its "Loaded functions definitions" line. */
function definedFunctions(): string[] | undefined {
  const lines = readLog('functions').match(/Loaded functions definitions from source: ([^\n]*)\./g);
  const last = lines?.at(-1);
  return last?.slice(last.indexOf(': ') + 2, -1).split(', ');
}

/**
 * Every defined function is registered. firebase-tools registers them one by one after that line, so
 * "some trigger exists" would let a command (or the local scheduler) start before the last ones answer.
 */
async function triggersLoaded(): Promise<boolean> {
  const defined = definedFunctions();
  if (!defined) return false;
  const text = await httpText(`${FUNCTIONS_ORIGIN}/backends`);
  if (!text) return false;
  const { backends } = JSON.parse(text) as Backends;
  const registered = new Set(
    (backends ?? []).flatMap((b) => (b.functionTriggers ?? []).map((t) => t.entryPoint)),
  );
  return defined.every((name) => registered.has(name));
}

async function hubLists(names: string[]): Promise<boolean> {
  const text = await httpText(`${HUB_URL}/emulators`);
  if (!text) return false;
  const running = JSON.parse(text) as Record<string, unknown>;
  return names.every((name) => name in running);
}

export async function startFunctions(): Promise<Child> {
  if (!existsSync(FUNCTIONS_BUNDLE)) {
    throw new StartError(`functions: ${FUNCTIONS_BUNDLE} is missing; run \`npm run build\` first`);
  }
  if (!existsSync(STUDIO_BUILD)) {
    throw new StartError(`hosting: ${STUDIO_BUILD} is missing; run \`npm run build\` first`);
  }
  writeFunctionsEnvFiles();
  const child = startChild(
    'functions',
    join(ROOT, 'node_modules', '.bin', 'firebase'),
    ['emulators:start', '--only', 'functions,auth,tasks,hosting', '--project', PROJECT_ID],
    // NO_UPDATE_NOTIFIER: no registry look-up on start. CI: never prompt (there is no stdin).
    { output: 'log', env: { ...functionsProcessEnv(), NO_UPDATE_NOTIFIER: '1', CI: 'true' } },
  );
  await waitUntil(
    'functions',
    async () => {
      const failure = LOAD_FAILURES.find((pattern) => pattern.test(readLog('functions')));
      if (failure) throw new StartError(`functions: firebase-tools could not load the functions`);
      return (await hubLists(['functions', 'auth', 'tasks', 'hosting'])) && (await triggersLoaded());
    },
    { timeoutMs: 60_000, child, intervalMs: 100 },
  );
  return child;
}
