// Command line of the deploy-time migration: `npm run migrate -- [--project <id>] [--dry-run] [--help]`.

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
projects, usage record and ledger entries moved to clerk:<id>, and is disabled.
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
  const options: MigrateOptions = { dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--project' || arg.startsWith('--project=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!value || value.startsWith('--')) throw new MigrateUsageError('--project needs a project id');
      options.project = value;
    } else throw new MigrateUsageError(`unknown argument ${arg}`);
  }
  return { help: false, options };
}
