// Deploy-time migration of data written before this release (see README "Upgrading an existing
// deployment"): `npm run migrate -- [--project <id>] [--dry-run]`. Safe to run again: each step changes only
// what is not migrated yet, so a second run reports nothing to change.
import { parseMigrateArgs, MigrateUsageError, MIGRATE_USAGE } from './migrate/args.js';
import { describeTarget, initAdmin, resolveTarget } from './migrate/target.js';
import { backfillStaleAt } from './migrate/stale-at.js';
import { migrateClerkUsers } from './migrate/clerk-uids.js';
import { errorsOf, formatReport } from './migrate/report.js';

async function main(): Promise<number> {
  let parsed;
  let target;
  try {
    parsed = parseMigrateArgs(process.argv.slice(2));
    if (parsed.help) {
      console.log(MIGRATE_USAGE);
      return 0;
    }
    target = resolveTarget(parsed.options.project, process.env);
  } catch (err) {
    if (!(err instanceof MigrateUsageError)) throw err;
    console.error(`migrate: ${err.message}\n\n${MIGRATE_USAGE}`);
    return 2;
  }
  const { dryRun } = parsed.options;
  initAdmin(target);
  console.log(`Migrating ${describeTarget(target)}${dryRun ? ', dry run' : ''}...`);
  // The stats first: it needs no user, and a stale job waiting on it is work nobody is doing.
  const staleAt = await backfillStaleAt(dryRun);
  const clerk = await migrateClerkUsers(dryRun);
  const report = { target: describeTarget(target), dryRun, staleAt, clerk };
  console.log(formatReport(report));
  return errorsOf(report).length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`migrate failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
