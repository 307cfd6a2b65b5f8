// What a run did (or would do, dry), step by step, in lines a person reads after a deploy.
import type { ClerkResult } from './clerk-uids.js';
import type { StaleAtResult } from './stale-at.js';

export interface MigrationReport {
  target: string;
  dryRun: boolean;
  staleAt: StaleAtResult;
  clerk: ClerkResult;
}

/** How many documents and users the run changed (or would change). */
export function changes(report: MigrationReport): number {
  const { staleAt, clerk } = report;
  return staleAt.backfilled + clerk.disabled + clerk.projects + clerk.usage + clerk.ledger;
}

export const errorsOf = (report: MigrationReport) => [...report.staleAt.errors, ...report.clerk.errors];

export function formatReport(report: MigrationReport): string {
  const { staleAt, clerk, dryRun } = report;
  const did = (done: string, would: string) => (dryRun ? would : done);
  const lines = [
    `Reelforge migration of ${report.target}${dryRun ? ' (dry run: nothing written)' : ''}`,
    `1. stats.stale_at: ${staleAt.scanned} project(s) scanned, ${staleAt.backfilled} ${did('backfilled', 'to backfill')}` +
      (staleAt.writtenMeanwhile ? `, ${staleAt.writtenMeanwhile} updated by the functions meanwhile` : '') +
      (staleAt.raced ? `, ${staleAt.raced} concurrent write(s) waited for` : ''),
    `2. Clerk uids: ${clerk.users} legacy Clerk user(s) found; ${clerk.disabled} ${did('disabled and signed out', 'to disable and sign out')}, ` +
      `${clerk.projects} project(s) ${did('moved', 'to move')}, ${clerk.usage} usage record(s) ${did('merged', 'to merge')}, ` +
      `${clerk.ledger} ledger entr${clerk.ledger === 1 ? 'y' : 'ies'} ${did('moved', 'to move')}`,
  ];
  const errors = errorsOf(report);
  for (const error of errors) lines.push(`   FAILED ${error}`);
  const n = changes(report);
  if (n === 0 && errors.length === 0) lines.push('Nothing to change: this deployment is already migrated.');
  else if (errors.length > 0)
    lines.push(`${errors.length} item(s) could not be migrated; fix them and run again (it is safe).`);
  else lines.push(`${n} change(s) ${dryRun ? 'to make: run again without --dry-run' : 'made'}.`);
  return lines.join('\n');
}
