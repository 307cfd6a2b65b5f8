// Benchmark 11, reconcile-memory: the heap the usage reconciliation and listProjects need when a user has
// many projects of the largest size the schema allows (the most scenes, every text at its longest, a job on
// every scene and on the project: test/e2e/hardening/limits.ts). The user holds one slot per running job up
// to the concurrency limit, as a user at the limit does. Each read runs in a child process of its own
// (bench/children/reconcile-read.ts) so its figures are its own; the functions' 256 MiB sweep is the frame.
import { join } from 'node:path';
import { Timestamp } from 'firebase-admin/firestore';
import type { ProjectDoc } from '@reelforge/schema';
import { LIMIT_DEFAULTS } from '../functions/src/config.js';
import { ROOT } from '../scripts/harness/env.js';
import { adminDb, projectDoc } from '../test/e2e/support/index.js';
import { functionsEnv } from '../test/e2e/pipeline/in-process.js';
import { maximalProject } from '../test/e2e/hardening/limits.js';
import type { Benchmark } from './lib/bench.js';
import { runNodeJson } from './lib/children.js';
import type { Check } from './lib/report.js';
import { MiB, round } from './lib/stats.js';
import type { ReadResult } from './children/reconcile-read.js';

const CHILD = join(ROOT, 'bench', 'children', 'reconcile-read.ts');
/** The sweep's memory (functions' default): what the reconciliation must fit in with room to spare. */
const SWEEP_MEMORY_MIB = 256;
const SLOTS = LIMIT_DEFAULTS.maxActiveJobs;

const readIn = (mode: string, uid: string, warmUid: string) =>
  runNodeJson<ReadResult>([CHILD, mode, uid, warmUid], {
    nodeArgs: ['--expose-gc', '--import', 'tsx'],
    env: functionsEnv(),
    timeoutMs: 300_000,
  });

/** A maximal project of `uid`, its job ids its own (the template's are the same in every copy). */
function largeProject(uid: string, n: number): ProjectDoc {
  const id = adminDb().collection('projects').doc().id;
  const p = maximalProject('x', id);
  p.user_id = uid;
  // Newest first in listProjects: distinct creation times.
  p.created_at = Timestamp.fromMillis(Date.now() - n * 1000);
  if (p.active_job) p.active_job.job_id = `${id}-render`;
  p.scenes.forEach((s, i) => {
    if (s.active_job) s.active_job.job_id = `${id}-scene-${i}`;
  });
  return p;
}

/** `count` large projects of a new user, written a few at a time, and its usage record: one slot per
 * project-level job of the first `SLOTS` projects, all really running (nothing for the reconciliation to
 * repair, so every mode reads the same documents). */
async function seedUser(label: string, count: number): Promise<string> {
  const uid = `bench-${label}-${Date.now()}`;
  const projects = Array.from({ length: count }, (_, n) => largeProject(uid, n));
  for (let i = 0; i < projects.length; i += 5)
    await Promise.all(projects.slice(i, i + 5).map((p) => projectDoc(p.id).set(p)));
  const now = Timestamp.now();
  const held = projects.slice(0, SLOTS);
  await adminDb()
    .collection('usage')
    .doc(uid)
    .set({
      user_id: uid,
      active: Object.fromEntries(
        held.map((p) => [
          p.active_job!.job_id,
          { project_id: p.id, type: 'render', estimated_usd: 0, admitted_at: now },
        ]),
      ),
      active_jobs: held.length,
      day: now.toDate().toISOString().slice(0, 10),
      spent_today_usd: 0,
      month: now.toDate().toISOString().slice(0, 7),
      spent_month_usd: 0,
      updated_at: now,
    });
  return uid;
}

const mib = (bytes: number) => round(bytes / MiB, 1);

export const reconcileMemory: Benchmark = {
  name: 'reconcile-memory',
  summary: 'heap of the usage reconciliation and listProjects at N projects of maximal size, masked vs whole',
  needs: 'harness',
  smoke: { projects: '3' },
  options: {
    projects: { description: 'projects of maximal size of the measured user', default: '100' },
  },
  async run(options) {
    const count = Math.max(1, Math.round(options.number('projects')));
    const uid = await seedUser('reconcile', count);
    // The warm-up user: the same code runs on it first, so module loading is not counted.
    const warm = await seedUser('warm', 1);
    const modes = [
      ['all-projects', 'reconciliation before: every project of the user, whole'],
      ['slot-whole', "reconciliation: the slots' projects, whole"],
      ['reconcile', "reconciliation as shipped: the slots' projects, field mask"],
      ['list-whole', 'listProjects before: a page of 50, whole'],
      ['list', 'listProjects as shipped: a page of 50, field mask'],
    ] as const;
    const results: Record<string, ReadResult> = {};
    for (const [mode] of modes) results[mode] = await readIn(mode, uid, warm);
    const r = (mode: (typeof modes)[number][0]) => results[mode]!;
    const ratio = (a: number, b: number) => round(a / Math.max(b, 1), 1);
    const reconcileRatio = ratio(r('all-projects').peakHeapGrowth, r('reconcile').peakHeapGrowth);
    const maskRatio = ratio(r('slot-whole').peakHeapGrowth, r('reconcile').peakHeapGrowth);
    const listRatio = ratio(r('list-whole').peakHeapGrowth, r('list').peakHeapGrowth);
    const pageSize = Math.min(50, count);
    const checks: Check[] = [
      {
        kind: 'correctness',
        name: 'every read saw what it should: all projects, the slot projects, a full page',
        ok:
          r('all-projects').docs === count &&
          r('slot-whole').docs === Math.min(SLOTS, count) &&
          r('list-whole').docs === Math.min(51, count) &&
          r('list').docs === pageSize,
        detail: modes.map(([m]) => `${m} ${r(m).docs}`).join(', '),
      },
      {
        kind: 'correctness',
        name: 'the reconciliation repaired nothing (every slot is a running job)',
        ok: r('reconcile').jobs === 0,
        detail: `${r('reconcile').jobs} slots freed or settled`,
      },
      {
        kind: 'target',
        name: `the reconciliation's peak heap growth within a quarter of the sweep's ${SWEEP_MEMORY_MIB} MiB`,
        ok: r('reconcile').peakHeapGrowth < (SWEEP_MEMORY_MIB / 4) * MiB,
        detail: `${mib(r('reconcile').peakHeapGrowth)} MiB (before: ${mib(r('all-projects').peakHeapGrowth)} MiB)`,
      },
    ];
    return {
      tables: [
        {
          title: `one user with ${count} projects of maximal size, ${Math.min(SLOTS, count)} slots; each read in its own process`,
          columns: ['read', 'docs', 'ms', 'peak heap growth MiB', 'retained MiB', 'peak RSS MiB'],
          rows: modes.map(([mode, label]) => [
            label,
            r(mode).docs,
            round(r(mode).ms),
            mib(r(mode).peakHeapGrowth),
            mib(r(mode).retainedHeapGrowth),
            mib(r(mode).peakRss),
          ]),
        },
      ],
      figures: {
        projects: count,
        heap_before_mib: mib(r('all-projects').peakHeapGrowth),
        heap_slots_whole_mib: mib(r('slot-whole').peakHeapGrowth),
        heap_reconcile_mib: mib(r('reconcile').peakHeapGrowth),
        reconcile_ratio: reconcileRatio,
        mask_ratio: maskRatio,
        list_whole_mib: mib(r('list-whole').peakHeapGrowth),
        list_mib: mib(r('list').peakHeapGrowth),
        list_ratio: listRatio,
      },
      checks,
    };
  },
};
