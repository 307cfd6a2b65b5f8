// The pure parts of the deploy-time migration (scripts/migrate): which Firebase users the old Clerk sign-in
// made, how two usage records of one person merge, which projects lack `stats.stale_at` and what they get,
// and the command line. The whole migration against the emulators is test/e2e/migrate.test.ts.
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { JOB_STALE_MINUTES, type UsageDoc } from '@reelforge/schema';
import { isClerkUserId, isLegacyClerkUser } from '../../scripts/migrate/legacy-clerk.js';
import { mergeUsage, moveProjectSlots } from '../../scripts/migrate/usage-merge.js';
import { backfilledStats, hasStaleAt, staleAtChange } from '../../scripts/migrate/stale-at.js';
import { changeProject } from '../../scripts/migrate/project-write.js';
import { parseMigrateArgs, MigrateUsageError } from '../../scripts/migrate/args.js';
import { resolveTarget } from '../../scripts/migrate/target.js';
import { formatReport, type MigrationReport } from '../../scripts/migrate/report.js';
import { MemoryStore, jobOn, sampleProject } from './support/memory-store.js';

const MIN = 60_000;
const at = (iso: string) => Timestamp.fromDate(new Date(iso));

describe('legacy Clerk users', () => {
  it('are custom-token users whose uid is a Clerk user id', () => {
    expect(isLegacyClerkUser({ uid: 'user_2NNEqL2nrIRdJ194ndJqAHwEfxC', providerData: [] })).toBe(true);
    expect(isLegacyClerkUser({ uid: 'user_abc123', providerData: [] })).toBe(true);
  });

  it('never match a Firebase-generated uid, an already migrated one, or another sign-in method', () => {
    // A Firebase uid: 28 base62 characters, no underscore.
    expect(isClerkUserId('Xq3vO9mJk2bT7wYcL1sZr8dNf0aP')).toBe(false);
    expect(isClerkUserId('clerk:user_abc123')).toBe(false);
    expect(isClerkUserId('user_')).toBe(false);
    expect(isClerkUserId('user_abc-123')).toBe(false);
    expect(isClerkUserId('org_abc123')).toBe(false);
    // Too long to get the prefix within Firebase's 128 characters: the sign-in refuses it too.
    expect(isClerkUserId(`user_${'a'.repeat(117)}`)).toBe(true);
    expect(isClerkUserId(`user_${'a'.repeat(118)}`)).toBe(false);
    // An email user that happens to have such a uid (an admin import) has a provider: left alone.
    expect(isLegacyClerkUser({ uid: 'user_abc123', providerData: [{ providerId: 'password' }] })).toBe(false);
  });
});

describe('usage merge', () => {
  const now = at('2026-11-26T10:00:00Z');
  const slot = (project_id: string, estimated_usd: number) => ({
    project_id,
    type: 'image' as const,
    estimated_usd,
    admitted_at: at('2026-11-26T09:59:00Z'),
  });
  const usage = (fields: Partial<UsageDoc>): UsageDoc => ({
    user_id: 'user_abc123',
    active: {},
    active_jobs: 0,
    day: '2026-11-26',
    spent_today_usd: 0,
    month: '2026-11',
    spent_month_usd: 0,
    updated_at: at('2026-11-26T09:00:00Z'),
    ...fields,
  });

  it('keeps every slot once and adds the spend of the same day and month', () => {
    const legacy = usage({
      active: { a: slot('p1', 0.2), b: slot('p1', 0.05) },
      active_jobs: 2,
      spent_today_usd: 1.25,
      spent_month_usd: 3.1,
    });
    const current = usage({
      user_id: 'clerk:user_abc123',
      active: { b: slot('p1', 0.05), c: slot('p2', 0.3) },
      active_jobs: 2,
      spent_today_usd: 0.5,
      spent_month_usd: 0.7,
    });
    const merged = mergeUsage(legacy, current, 'clerk:user_abc123', now);
    expect(merged).toEqual({
      user_id: 'clerk:user_abc123',
      active: { a: slot('p1', 0.2), b: slot('p1', 0.05), c: slot('p2', 0.3) },
      active_jobs: 3,
      day: '2026-11-26',
      spent_today_usd: 1.75,
      month: '2026-11',
      spent_month_usd: 3.8,
      updated_at: now,
    });
    // The inputs are left as they were (a transaction may run its function again on them).
    expect(legacy.active_jobs).toBe(2);
    expect(Object.keys(current.active)).toEqual(['b', 'c']);
  });

  it("rolls each record over first: yesterday's spend is not today's, last month's not this month's", () => {
    const legacy = usage({ day: '2026-10-31', month: '2026-10', spent_today_usd: 4, spent_month_usd: 9 });
    const current = usage({ day: '2026-11-25', spent_today_usd: 2, spent_month_usd: 5 });
    const merged = mergeUsage(legacy, current, 'clerk:user_abc123', now);
    expect(merged).toMatchObject({
      day: '2026-11-26',
      spent_today_usd: 0,
      month: '2026-11',
      spent_month_usd: 5,
    });
  });

  it('without a record under the new uid is the legacy one renamed', () => {
    const legacy = usage({
      active: { a: slot('p1', 0.2) },
      active_jobs: 1,
      spent_today_usd: 1,
      spent_month_usd: 2,
    });
    expect(mergeUsage(legacy, null, 'clerk:user_abc123', now)).toEqual({
      ...legacy,
      user_id: 'clerk:user_abc123',
      updated_at: now,
    });
  });
});

describe("a project's slots move with it", () => {
  const now = at('2026-11-26T10:00:00Z');
  const slot = (project_id: string) => ({
    project_id,
    type: 'render' as const,
    estimated_usd: 0.2,
    admitted_at: at('2026-11-26T09:59:00Z'),
  });
  const legacy: UsageDoc = {
    user_id: 'user_abc123',
    active: { a: slot('p1'), b: slot('p2'), c: slot('p1') },
    active_jobs: 3,
    day: '2026-11-26',
    spent_today_usd: 1,
    month: '2026-11',
    spent_month_usd: 2,
    updated_at: at('2026-11-26T09:00:00Z'),
  };

  it("takes only that project's slots, leaving the spend for the merge at the end", () => {
    const moved = moveProjectSlots(legacy, null, 'p1', 'clerk:user_abc123', now)!;
    expect(moved.legacy).toMatchObject({ active: { b: slot('p2') }, active_jobs: 1, spent_today_usd: 1 });
    expect(moved.current).toMatchObject({
      user_id: 'clerk:user_abc123',
      active: { a: slot('p1'), c: slot('p1') },
      active_jobs: 2,
      spent_today_usd: 0,
      updated_at: now,
    });
    // The input is left as it was (a transaction may run its function again on it).
    expect(Object.keys(legacy.active)).toEqual(['a', 'b', 'c']);
  });

  it('changes nothing for a project that holds no slot', () => {
    expect(moveProjectSlots(legacy, null, 'p3', 'clerk:user_abc123', now)).toBeNull();
  });
});

describe('stats.stale_at backfill', () => {
  it('finds documents without the field; null (no unfinished job) is present', () => {
    expect(hasStaleAt({ stats: { total_scenes: 1 } })).toBe(false);
    expect(hasStaleAt({})).toBe(false);
    expect(hasStaleAt({ stats: { stale_at: null } })).toBe(true);
    expect(hasStaleAt({ stats: { stale_at: Timestamp.now() } })).toBe(true);
  });

  it('computes the stats a write would, keeping the stored last_activity', () => {
    const project = sampleProject(1);
    const quietSince = at('2026-11-20T08:00:00Z');
    project.stats.last_activity = quietSince;
    project.scenes[0]!.active_job = jobOn(
      'composition',
      { status: 'queued', last_update: quietSince },
      project.scenes[0],
    );
    const stats = backfilledStats(project);
    expect(stats.last_activity).toBe(quietSince);
    expect(stats.active_jobs).toBe(1);
    expect(stats.stale_at?.toMillis()).toBe(quietSince.toMillis() + JOB_STALE_MINUTES.composition * MIN);
  });
});

describe('the command line', () => {
  it('takes --project and --dry-run', () => {
    expect(parseMigrateArgs(['--project', 'prod-1', '--dry-run'])).toEqual({
      help: false,
      options: { project: 'prod-1', dryRun: true },
    });
    expect(parseMigrateArgs(['--project=prod-2'])).toEqual({
      help: false,
      options: { project: 'prod-2', dryRun: false },
    });
    expect(() => parseMigrateArgs(['--project'])).toThrow(MigrateUsageError);
    expect(() => parseMigrateArgs(['--force'])).toThrow(/unknown argument/);
  });

  it('refuses to run half on the emulators, and wants to be told the project', () => {
    expect(() =>
      resolveTarget(
        undefined,
        { FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080', GCLOUD_PROJECT: 'p' },
        '/nonexistent',
      ),
    ).toThrow(/FIREBASE_AUTH_EMULATOR_HOST/);
    expect(() => resolveTarget(undefined, {}, '/nonexistent')).toThrow(/--project/);
    expect(resolveTarget('prod-1', { GCLOUD_PROJECT: 'other' }, '/nonexistent')).toEqual({
      projectId: 'prod-1',
      emulators: null,
    });
  });

  it('says when there is nothing to change', () => {
    const report: MigrationReport = {
      target: 'project p',
      dryRun: false,
      staleAt: { scanned: 4, backfilled: 0, writtenMeanwhile: 0, raced: 0, errors: [] },
      clerk: { users: 1, disabled: 0, projects: 0, usage: 0, ledger: 0, errors: [] },
    };
    expect(formatReport(report)).toMatch(/Nothing to change/);
    const dry = { ...report, dryRun: true, staleAt: { ...report.staleAt, backfilled: 2 } };
    expect(formatReport(dry)).toMatch(
      /2 to backfill[\s\S]*2 change\(s\) to make: run again without --dry-run/,
    );
  });
});

describe('a migration write racing a function write', () => {
  it('is redone on the fresh document: the function write is kept, and so is the backfill', async () => {
    const store = new MemoryStore();
    // The stored document as the previous release left it: stats without stale_at.
    const project = sampleProject(1);
    const { stale_at: _absent, ...legacyStats } = project.stats;
    store.put({ ...project, stats: legacyStats as typeof project.stats });
    expect(hasStaleAt((await store.read(project.id))!.data)).toBe(false);
    // Another writer (a job's progress) lands between the migration's read and its conditional write.
    let raced = false;
    store.beforeWrite = (id) => {
      if (raced) return;
      raced = true;
      store.change(id, (p) => {
        p.name = 'Renamed meanwhile';
      });
    };

    const outcome = await changeProject(project.id, staleAtChange(project.id), false, store);
    expect(outcome).toEqual({ outcome: 'written', raced: 1 });
    const after = (await store.read(project.id))!.data;
    expect(after.name).toBe('Renamed meanwhile');
    expect(hasStaleAt(after)).toBe(true);
    // Once it has the field, the same change decides there is nothing to do.
    expect(await changeProject(project.id, staleAtChange(project.id), false, store)).toEqual({
      outcome: 'unchanged',
      raced: 0,
    });
  });
});
