// Command line of the deploy-time migration: `npm run migrate -- [--project <id>] [--dry-run] [--help]`.
import { parseArgs } from 'node:util';

export const MIGRATE_USAGE = `Reelforge migration: brings data written before this release up to date. Run once per
deployment after deploying the functions; running it again changes nothing.

usage: npm run migrate -- [--project <firebase-project-id>] [--dry-run]

  --project <id>   the Firebase project (default: GOOGLE_CLOUD_PROJECT or GCLOUD_PROJECT, else the
                   default project of .firebaserc). Production access is Application Default
                   Credentials (gcloud auth application-default login, or a service account).
  --dry-run        read everything and say what would change; write nothing
  --help           this text

With FIRESTORE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST set (e.g. under
\`tsx scripts/emulators.ts -- npm run migrate\`) it migrates the emulators instead.

Steps: (1) every project without stats.stale_at gets its stats recomputed, so the stale sweep finds its
stale jobs; (2) every Firebase user made by the old Clerk sign-in (uid = the bare Clerk user id) has its
projects, usage record and ledger entries moved to clerk:<id>, and is disabled and signed out.
Exit code 0 when everything was migrated, 1 when something could not be, 2 on bad usage.`;

export interface MigrateOptions {
  project?: string;
  dryRun: boolean;
}

export type ParsedArgs = { help: true } | { help: false; options: MigrateOptions };

export class MigrateUsageError extends Error {
  override name = 'MigrateUsageError';
}

export function parseMigrateArgs(argv: readonly string[]): ParsedArgs {
  let values: { help?: boolean; 'dry-run'?: boolean; project?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h' },
        'dry-run': { type: 'boolean' },
        project: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    // parseArgs names the offending option; its code says which of the two mistakes it was.
    const code = (err as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new MigrateUsageError('--project needs a project id');
    throw new MigrateUsageError(`unknown argument: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (values.help) return { help: true };
  const options: MigrateOptions = { dryRun: values['dry-run'] === true };
  if (values.project !== undefined) {
    // `--project --dry-run` would otherwise take the next flag as the project's id.
    if (values.project === '' || values.project.startsWith('--'))
      throw new MigrateUsageError('--project needs a project id');
    options.project = values.project;
  }
  return { help: false, options };
}
