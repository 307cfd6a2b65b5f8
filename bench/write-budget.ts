// Benchmark 6, the project document's write budget: 20 scenes' jobs on one project at once, each generating
// for 60 s with its progress reported every 100 ms (a signed `logs` webhook per job per 100 ms, as in
// writes-per-job), the functions in-process (bench/lib/in-process.ts) so that every write of the project
// document is counted and timed (bench/lib/writes.ts). Firestore sustains about one write per second per
// document; the figures are the write rate on the project (peak 10 s window, mean), writes per job, lost
// compare-and-set races per write, and how long a status change takes to reach a client's listener.
//
// Today's code against the new, in one run: the first phase runs the functions bundle of another revision
// (`--baseline`, default main; built by bench/lib/baseline.ts from `git archive`, not kept selectable in the
// functions), the second this checkout's functions/lib. Same stand-in, same emulators, one after the other,
// each phase in a process of its own (bench/children/write-budget-phase.ts).
import { join } from 'node:path';
import { ROOT } from '../scripts/harness/env.js';
import { TestClient } from '../test/e2e/support/index.js';
import { functionsEnv } from '../test/e2e/pipeline/in-process.js';
import type { Benchmark } from './lib/bench.js';
import { buildBaseline } from './lib/baseline.js';
import { runNodeJson } from './lib/children.js';
import { withStandinConfig } from './lib/harness.js';
import type { Check } from './lib/report.js';
import { round } from './lib/stats.js';
import type { PhaseRow } from './children/write-budget-phase.js';

const CADENCE_MS = 100;
const TARGETS = { peakWritesPerSecond: 1.5, lostRacesPerWrite: 0.5, statusP95Ms: 2_000 };

const CHILD = join(ROOT, 'bench', 'children', 'write-budget-phase.ts');

const runPhase = (label: string, uid: string, scenes: number, seconds: number, bundlePath?: string) =>
  runNodeJson<PhaseRow>([CHILD, label, bundlePath ?? '-', uid, String(scenes), String(seconds)], {
    nodeArgs: ['--import', 'tsx'],
    env: functionsEnv(),
    timeoutMs: (seconds + 300) * 1000,
  });

export const writeBudget: Benchmark = {
  name: 'write-budget',
  summary:
    "20 scenes' jobs on one project, progress every 100 ms: project writes/s, writes per job, lost races, status lag (old vs new)",
  needs: 'harness',
  smoke: { scenes: '12', seconds: '2', baseline: 'none' },
  options: {
    scenes: { description: 'jobs at once on the project (one per scene)', default: '20' },
    seconds: { description: "each job's generation time on the stand-in", default: '60' },
    baseline: {
      description: 'the revision whose functions run first, for comparison ("none" to skip)',
      default: 'main',
    },
  },
  async run(options) {
    const scenes = options.number('scenes');
    const seconds = options.number('seconds');
    const baselineRef = options.string('baseline');
    const baseline = baselineRef === 'none' ? undefined : await buildBaseline(baselineRef);
    const client = await TestClient.signUp('bench-write-budget');
    try {
      const rows = await withStandinConfig(
        { predictionSeconds: seconds, logsWebhookIntervalMs: CADENCE_MS },
        async () => {
          const done: PhaseRow[] = [];
          if (baseline) {
            const label = `before (${baseline.ref} ${baseline.commit.slice(0, 7)})`;
            done.push(await runPhase(label, client.uid, scenes, seconds, baseline.bundlePath));
          }
          done.push(await runPhase('after (this checkout)', client.uid, scenes, seconds));
          return done;
        },
      );
      const after = rows.at(-1)!;
      const before = rows.length > 1 ? rows[0] : undefined;
      const perWrite = (r: PhaseRow) => r.lostRaces / Math.max(1, r.written);
      const checks: Check[] = rows.flatMap((r) => [
        {
          kind: 'correctness' as const,
          name: `${r.label}: every job completed, none lost its result`,
          ok: r.completed === r.jobs && r.lost === 0,
          detail: `${r.completed}/${r.jobs} completed, ${r.lost} lost, ${r.taskErrors} task errors`,
        },
      ]);
      checks.push(
        {
          kind: 'target',
          name: `peak 10 s window after the start burst <= ${TARGETS.peakWritesPerSecond} writes/s`,
          ok: after.peakAfterStart <= TARGETS.peakWritesPerSecond,
          detail: `${round(after.peakAfterStart, 2)} writes/s`,
        },
        {
          kind: 'target',
          name: `lost races per write < ${TARGETS.lostRacesPerWrite}`,
          ok: perWrite(after) < TARGETS.lostRacesPerWrite,
          detail: `${round(perWrite(after), 2)} (${after.lostRaces} in ${after.written} writes)`,
        },
        {
          kind: 'target',
          name: `status change -> listener p95 < ${TARGETS.statusP95Ms} ms`,
          ok: after.lagP95 < TARGETS.statusP95Ms,
          detail: `${round(after.lagP95)} ms`,
        },
      );
      return {
        tables: [
          {
            title: `${scenes} image jobs on one project, ${seconds} s of generation each, progress every ${CADENCE_MS} ms per job`,
            columns: [
              'code',
              'completed',
              'writes',
              'writes/job',
              'peak 10 s w/s (all)',
              'peak after start',
              'mean w/s',
              'lost races / write',
              'status lag p50 / p95 / max ms',
              'start burst s',
              'wall s',
            ],
            rows: rows.map((r) => [
              r.label,
              `${r.completed}/${r.jobs}`,
              r.writes,
              round(r.writes / r.jobs, 2),
              round(r.peakAll, 2),
              round(r.peakAfterStart, 2),
              round(r.mean, 2),
              `${round(perWrite(r), 2)} (${r.lostRaces}/${r.written})`,
              `${round(r.lagP50)} / ${round(r.lagP95)} / ${round(r.lagMax)}`,
              round(r.startBurstS, 1),
              round(r.wallS, 1),
            ]),
          },
        ],
        figures: {
          scenes,
          generation_s: seconds,
          ...(before && {
            before_writes_per_job: round(before.writes / before.jobs, 2),
            before_peak_after_start: round(before.peakAfterStart, 2),
            before_mean: round(before.mean, 2),
            before_lost_per_write: round(perWrite(before), 2),
            before_status_p95_ms: round(before.lagP95),
          }),
          writes_per_job: round(after.writes / after.jobs, 2),
          peak_after_start: round(after.peakAfterStart, 2),
          mean: round(after.mean, 2),
          lost_per_write: round(perWrite(after), 2),
          status_p95_ms: round(after.lagP95),
        },
        checks,
        notes: [
          ...rows.map(
            (r) =>
              `${r.label}: writes/s per consecutive 10 s window from the first write: ${r.windows.map((w) => round(w, 1)).join(' ')}; ${r.progressReports} progress webhooks delivered`,
          ),
          'writes: every successful write of the project document by the functions, the start calls included; lost races: compare-and-set writes refused because another write came first.',
          'the start burst ends when every job has its prediction recorded (seen by the listener); "peak after start" considers only windows that begin after it.',
          'status lag: for each job status (queued, processing, completed), the time from the job\u2019s last_update in the write that set it to the listener seeing it.',
        ],
      };
    } finally {
      await client.close();
    }
  },
};
