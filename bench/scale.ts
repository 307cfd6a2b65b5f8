// Benchmark 13, scale: 10 to 10,000 users each starting a production of six scenes from the brief within a
// minute, simulated (bench/lib/sim/) through the project's own planner, admission, queue settings and retry
// rules, with providers that refuse what their published limits refuse (functions/src/providers/capacity.ts).
// Figures per load: time from startProduction to the finished ad (p50/p95/p99), the first limit met, provider
// 429s and retries, peak writes per second on a project document and on the database, cost per ad; for the
// registry's settings (the sizing model's, functions/src/jobs/queue-sizing.ts) and for main's before them.
// A chart of time to ad against load goes to out/scale/time-to-ad.svg.
//
// Calibration (when the harness is up and not --smoke): a few productions from the brief on the emulators,
// the stand-in playing the providers' latencies scaled, one after another; the same scenario simulated with the
// emulator's platform times, the stand-in's latencies, no provider limits and the emulator's queue settings;
// both times printed, and the target is within 20%.
import { mkdirSync, writeFileSync } from 'node:fs';
import { isActiveProductionStatus, type JobType } from '@reelforge/schema';
import { LIMIT_DEFAULTS } from '../functions/src/config.js';
import {
  HEADROOM,
  QUEUE_SIZING,
  bindingLimit,
  productionsPerSecond,
  queueSizingFor,
  type QueueSizing,
} from '../functions/src/jobs/queue-sizing.js';
import { JOB_TYPES } from '../functions/src/jobs/registry.js';
import {
  OPENAI_TIER,
  providerLimits,
  TYPICAL_LATENCY,
  type OpenAiTier,
} from '../functions/src/providers/capacity.js';
import { loadBrief } from '../scripts/demo/args.js';
import { connectClient } from '../scripts/demo/client.js';
import { ledgerOf } from '../test/e2e/limits/support.js';
import type { Benchmark } from './lib/bench.js';
import { UsageError } from './lib/bench.js';
import { harnessMissing, withStandinConfig } from './lib/harness.js';
import type { Check, Table } from './lib/report.js';
import { DEPLOYED, EMULATOR } from './lib/sim/platforms.js';
import { simulate, type SimConfig, type SimResult } from './lib/sim/productions.js';
import { lineChart } from './lib/svg-chart.js';
import { percentile, round } from './lib/stats.js';
import { ProjectWatch } from './lib/watch.js';
import { scaled } from './production.js';

/**
 * main's queue settings before this benchmark (6493f6f): each handler's maxConcurrentDispatches, maxInstances
 * equal to it, and no maxDispatchesPerSecond, so Cloud Tasks' default of 500/s (the firebase-tools tasks
 * emulator's default too, lib/emulator/tasksEmulator.js).
 */
const BEFORE_CONCURRENCY: Record<JobType, number> = {
  moods: 10,
  storyboard: 10,
  render: 5,
  music: 10,
  composition: 20,
  image: 30,
  video: 20,
  audio: 20,
  voiceover: 20,
  scene_text: 20,
  translate: 10,
};
const BEFORE: Record<JobType, QueueSizing> = Object.fromEntries(
  JOB_TYPES.map((t) => [
    t,
    {
      maxDispatchesPerSecond: 500,
      maxConcurrentDispatches: BEFORE_CONCURRENCY[t],
      maxInstances: BEFORE_CONCURRENCY[t],
    },
  ]),
) as Record<JobType, QueueSizing>;

const userLimits = {
  maxActiveJobs: LIMIT_DEFAULTS.maxActiveJobs,
  maxProjects: LIMIT_DEFAULTS.maxProjects,
  dailyBudgetUsd: LIMIT_DEFAULTS.dailyBudgetUsd,
};

const minutes = (s: number) => round(s / 60, 1);

function pct(r: SimResult, p: number): number {
  return percentile(r.timesToAd, p);
}

function firstLimit(r: SimResult): string {
  const first = r.limits[0];
  return first ? `${first.what} @ ${round(first.at, 0)} s` : 'none';
}

function firstRefusal(r: SimResult): string {
  const refusals = Object.entries(r.provider).filter(([, p]) => p.firstRefusal !== undefined);
  if (refusals.length === 0) return 'none';
  const [pool, p] = refusals.reduce((a, b) => (b[1].firstRefusal! < a[1].firstRefusal! ? b : a));
  return `${pool} @ ${round(p.firstRefusal!, 0)} s`;
}

function row(label: string, r: SimResult, wallMs: number) {
  const refused = Object.values(r.provider).reduce((sum, p) => sum + p.refused, 0);
  return [
    r.users,
    label,
    `${r.completed}/${r.failed}/${r.unfinished}`,
    minutes(pct(r, 50)),
    minutes(pct(r, 95)),
    minutes(pct(r, 99)),
    firstLimit(r),
    firstRefusal(r),
    refused,
    r.retries,
    r.jobsFailed,
    `${round(r.peakProjectWrites1s, 0)} / ${round(r.peakProjectWrites10s, 1)}`,
    round(r.peakDatabaseWrites1s, 0),
    r.rampExceededAt === undefined ? 'no' : `at ${r.rampExceededAt} s`,
    round(r.costPerAd.reduce((a, b) => a + b, 0) / Math.max(1, r.costPerAd.length), 3),
    Math.round(wallMs),
  ];
}

function run(config: SimConfig): { result: SimResult; wallMs: number } {
  const t0 = Date.now();
  const result = simulate(config);
  return { result, wallMs: Date.now() - t0 };
}

interface Calibration {
  measured: number[];
  simulated: number[];
  renderS: number;
}

/** A few productions from the brief on the emulators, one after another, against the same simulated. */
async function calibrate(runs: number, scale: number, seed: number): Promise<Calibration> {
  const client = await connectClient();
  const brief = await loadBrief({});
  const produce = async (label: string) => {
    const { project } = await client.call('createProject', { ...brief, name: `scale calibration ${label}` });
    const watch = await ProjectWatch.start(project.id);
    try {
      const t0 = Date.now();
      const { production_id } = await client.call('startProduction', {
        project_id: project.id,
        from_brief: true,
        scene_count: 6,
      });
      const done = await watch.waitFor(
        (p) =>
          p.production?.production_id === production_id && !isActiveProductionStatus(p.production.status),
        10 * 60_000,
        'the calibration production',
      );
      if (done.production?.status !== 'completed')
        throw new Error(
          `calibration production ${done.production?.status}: ${JSON.stringify(done.production?.blocked)}`,
        );
      const ledger = await ledgerOf(project.id);
      const render = ledger.find((e) => e.type === 'render');
      const renderS = render ? (render.ended_at.toMillis() - render.started_at.toMillis()) / 1000 : 0;
      return {
        seconds: (Date.now() - t0) / 1000,
        renderS,
        scenes: done.scenes.map((s) => s.duration_seconds),
      };
    } finally {
      watch.stop();
    }
  };
  try {
    // A warm-up production with quick predictions starts the functions emulator's workers for every type.
    await withStandinConfig({ predictionSeconds: 0.5 }, () => produce('warm-up'));
    const measured: { seconds: number; renderS: number }[] = [];
    for (let i = 0; i < runs; i++) {
      measured.push(await withStandinConfig({ latencies: scaled(scale) }, () => produce(`run ${i + 1}`)));
    }
    const renderS = measured.reduce((sum, m) => sum + m.renderS, 0) / measured.length;
    const simulated: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = simulate({
        users: 1,
        startWindowSeconds: 0,
        scenes: 6,
        queues: Object.fromEntries(
          JOB_TYPES.map((t) => [t, { ...QUEUE_SIZING[t], maxDispatchesPerSecond: 500 }]),
        ) as Record<JobType, QueueSizing>,
        limits: null,
        latencies: scaled(scale),
        // The render's own time as measured, expressed through the model's render constant.
        platform: { ...EMULATOR, workScale: renderS / 25 },
        userLimits,
        globalDailyBudgetUsd: LIMIT_DEFAULTS.globalDailyBudgetUsd,
        seed: seed + i,
        horizonSeconds: 3600,
      });
      simulated.push(r.timesToAd[0] ?? Number.NaN);
    }
    return { measured: measured.map((m) => m.seconds), simulated, renderS };
  } finally {
    await client.close();
  }
}

function chart(loads: number[], after: SimResult[], before: SimResult[]): string {
  const series = [
    { name: 'p50, model settings', values: after.map((r) => pct(r, 50) / 60) },
    { name: 'p95, model settings', values: after.map((r) => pct(r, 95) / 60) },
    { name: 'p99, model settings', values: after.map((r) => pct(r, 99) / 60) },
    {
      name: "p50, main's settings: of the ads that completed (from 100 users on, most fail: see the table)",
      values: before.map((r) => pct(r, 50) / 60),
    },
  ];
  return lineChart({
    title: 'Time from startProduction to the finished ad (simulated, 6 scenes from the brief)',
    xLabel: 'users starting within one minute',
    yLabel: 'minutes',
    x: loads,
    series,
  });
}

export const scale: Benchmark = {
  name: 'scale',
  summary:
    "10-10,000 users' productions simulated through the real planner, admission and queues; calibrated on the emulators",
  needs: 'none',
  smoke: { users: '10', calibrate: '0' },
  options: {
    users: {
      description: 'loads: users each starting a production within a minute',
      default: '10,100,1000,10000',
    },
    tier: { description: "OpenAI usage tier of the providers' limits (1 or 5)", default: '1' },
    burst: {
      description:
        "seconds of a provider's per-minute allowance one burst may take (unpublished; capacity.ts)",
      default: '10',
    },
    seed: { description: 'seed of the latency draws', default: '1' },
    calibrate: {
      description: 'productions run on the emulators for the calibration (0: none)',
      default: '2',
    },
    'calibration-scale': {
      description: "the stand-in's latencies as a fraction of the typical ones",
      default: '0.25',
    },
  },
  async run(options) {
    const loads = options.numbers('users');
    const tier = options.number('tier');
    if (tier !== 1 && tier !== 5) throw new UsageError('--tier must be 1 or 5');
    const seed = options.number('seed');
    const burst = options.number('burst');
    if (burst <= 0 || burst > 60) throw new UsageError('--burst must be a number of seconds from 0 to 60');
    const limits = Object.fromEntries(
      Object.entries(providerLimits(tier as OpenAiTier)).map(([pool, limit]) => [
        pool,
        { ...limit, burstSeconds: burst },
      ]),
    ) as ReturnType<typeof providerLimits>;
    // The registry's own table at the tier it is sized for; another tier's as the model would size it.
    const queues = tier === OPENAI_TIER ? QUEUE_SIZING : queueSizingFor(tier as OpenAiTier);
    const base = (users: number, q: Record<JobType, QueueSizing>, ceiling: number): SimConfig => ({
      users,
      startWindowSeconds: 60,
      scenes: 6,
      queues: q,
      limits,
      latencies: TYPICAL_LATENCY,
      platform: DEPLOYED,
      userLimits,
      globalDailyBudgetUsd: ceiling,
      seed,
      horizonSeconds: 4 * 86_400,
    });
    const rows: (string | number)[][] = [];
    const after: SimResult[] = [];
    const before: SimResult[] = [];
    const notes: string[] = [];
    let totalWall = 0;
    for (const users of loads) {
      // The registry's settings with the global ceiling raised to fit the load (an operator's launch setting).
      const a = run(base(users, queues, 1e9));
      const b = run(base(users, BEFORE, 1e9));
      const c = run(base(users, queues, LIMIT_DEFAULTS.globalDailyBudgetUsd));
      totalWall += a.wallMs + b.wallMs + c.wallMs;
      after.push(a.result);
      before.push(b.result);
      rows.push(row('model settings', a.result, a.wallMs));
      rows.push(row("main's settings", b.result, b.wallMs));
      rows.push(row(`model, $${LIMIT_DEFAULTS.globalDailyBudgetUsd} ceiling`, c.result, c.wallMs));
      notes.push(
        `${users} users, model settings: ${round(a.result.writesPerStep, 2)} project writes per step, ${a.result.events.toLocaleString('en-US')} events; limits in order: ${a.result.limits.map((l) => `${l.what} @ ${round(l.at, 0)} s`).join('; ') || 'none'}`,
        `${users} users, main's settings: ${Object.entries(b.result.provider)
          .map(([k, v]) => `${k} ${v.refused} refused`)
          .join(', ')}; not finished: ${JSON.stringify(b.result.stuck)}`,
      );
    }
    const tables: Table[] = [
      {
        title: `time to ad (min), ${loads.join('/')} users each starting a 6-scene production from the brief within a minute; OpenAI tier ${tier}, provider bursts of ${burst} s`,
        columns: [
          'users',
          'settings',
          'done/failed/unfinished',
          'p50',
          'p95',
          'p99',
          'first limit met',
          'first 429',
          '429s',
          'retries',
          'jobs failed',
          'peak w/s per project 1 s / 10 s',
          'peak db w/s',
          '500/50/5 passed',
          '$ per ad',
          'wall ms',
        ],
        rows,
      },
      {
        title: 'queue settings: the model (registry) against main',
        columns: [
          'queue',
          'dispatches/s',
          'concurrent',
          'instances',
          "main's concurrent (= instances), rate",
        ],
        rows: JOB_TYPES.map((t) => [
          `jobs-${t}`,
          queues[t].maxDispatchesPerSecond,
          queues[t].maxConcurrentDispatches,
          queues[t].maxInstances,
          `${BEFORE_CONCURRENCY[t]}, 500/s (default)`,
        ]),
      },
    ];
    mkdirSync('out/scale', { recursive: true });
    writeFileSync('out/scale/time-to-ad.svg', chart(loads, after, before));
    notes.push(
      'chart: out/scale/time-to-ad.svg',
      `the model's binding provider budget (queue-sizing.ts bindingLimit): ${bindingLimit(limits)}, ${round(productionsPerSecond(limits) * 60, 2)} productions a minute at ${HEADROOM * 100}% of it; the queues' rates enforce it, so their "queue rate" is the first limit met`,
    );

    const checks: Check[] = [
      {
        kind: 'correctness',
        name: 'with the model settings, no provider 429 at any load',
        ok: after.every((r) => Object.values(r.provider).every((p) => p.refused === 0)),
        detail: after
          .map((r) => `${r.users}: ${Object.values(r.provider).reduce((s, p) => s + p.refused, 0)}`)
          .join(', '),
      },
      {
        kind: 'correctness',
        name: 'with the model settings, every production completes',
        ok: after.every((r) => r.completed === r.users),
        detail: after.map((r) => `${r.users}: ${r.completed}`).join(', '),
      },
    ];
    const figures: Record<string, string | number> = { sim_wall_ms: totalWall };
    after.forEach((r) => {
      figures[`p50_min_${r.users}`] = minutes(pct(r, 50));
      figures[`p95_min_${r.users}`] = minutes(pct(r, 95));
    });

    const runs = options.number('calibrate');
    const missing = harnessMissing();
    if (runs > 0 && missing) notes.push(`calibration not run: ${missing}`);
    if (runs > 0 && !missing) {
      const cal = await calibrate(runs, options.number('calibration-scale'), seed);
      const measured = cal.measured.reduce((a, b) => a + b, 0) / cal.measured.length;
      const simulated = cal.simulated.reduce((a, b) => a + b, 0) / cal.simulated.length;
      const error = simulated / measured - 1;
      tables.push({
        title: `calibration: ${runs} production(s) from the brief on the emulators, stand-in latencies x${options.number('calibration-scale')}`,
        columns: ['run', 'measured s', 'simulated s'],
        rows: cal.measured.map((m, i) => [i + 1, round(m, 1), round(cal.simulated[i]!, 1)]),
      });
      notes.push(
        `calibration: the render's measured time (${round(cal.renderS, 1)} s, its ledger entry) is the one input taken from the run.`,
      );
      checks.push({
        kind: 'target',
        name: "simulated time to ad within 20% of the emulators'",
        ok: Math.abs(error) <= 0.2,
        detail: `${round(simulated, 1)} s simulated vs ${round(measured, 1)} s measured (${round(error * 100, 1)}%)`,
      });
      figures.calibration_measured_s = round(measured, 1);
      figures.calibration_simulated_s = round(simulated, 1);
    }
    return { tables, figures, checks, notes };
  },
};
