// Benchmark 12, production: what one `startProduction` call buys over the studio's client loop, on two
// identical projects with a drafted storyboard of six scenes, on the emulators (the functions emulator, as a
// deployment runs them: one task per job, follow-ups after each job's end) with the provider stand-in
// answering at the providers' shape of latency, scaled down. One run measures:
//  (a) `startProduction` on the first project: from the call to the production completed on a listener;
//  (b) the client loop of the studio before productions, on the second: the studio's own planning
//      (`planAutoAssets`, web/src/lib/jobs.ts) driven by a Node listener on the project document
//      (`rf.subscribeProject`, as the studio's tab listens), each step started with one `generateAll` per
//      asset type as its `useAutoAssets` hook did, then `generateMusic` and `renderProject` at the end: from
//      the first call to the render completed. That loop makes every scene's own music too (the studio's
//      "generate all" made every missing asset), and the bed only after the scenes;
//  (c) the critical path of (a) under the one-job-per-scene rule, from its own jobs' recorded times (the
//      ledger entries `ledger/{job_id}`: started_at = queued, ended_at = its ending write): the longest scene
//      chain (the sum of that scene's job durations) or the bed beside it, whichever is longer, plus the
//      render. (a) - (c) is what the production spends between its jobs.
// Targets, each failing the run when missed: (a) <= 1.1 x (c); (a) < (b); provider calls = steps (each step
// one call of its own, none repeated); project document writes in any 10 s window after the start <= 1.5/s.
import { randomUUID } from 'node:crypto';
import {
  SceneAssetTypeSchema,
  isActiveProductionStatus,
  isUnfinished,
  jobsOf,
  type JobType,
  type LedgerEntryDoc,
  type Project,
  type ProjectDoc,
} from '@reelforge/schema';
import { planAutoAssets } from '../web/src/lib/jobs.js';
import { loadBrief } from '../scripts/demo/args.js';
import { connectClient, type DemoClient } from '../scripts/demo/client.js';
import type { Latencies } from '../scripts/standin/latency.js';
import { TYPICAL_LATENCY } from '../functions/src/providers/capacity.js';
import { eventually, ledgerOf } from '../test/e2e/limits/support.js';
import { mood, patchProject } from '../test/e2e/support/index.js';
import type { Benchmark } from './lib/bench.js';
import { standin, withStandinConfig, type StandinStats } from './lib/harness.js';
import type { Check, Table } from './lib/report.js';
import { median, round } from './lib/stats.js';
import { ProjectWatch, type Write } from './lib/watch.js';

const TARGET_PATH_RATIO = 1.1;
const TARGET_PEAK_WRITES_PER_S = 1.5;
const WINDOW_MS = 10_000;
const PHASE_TIMEOUT_MS = 10 * 60_000;

/**
 * The providers' typical latencies (functions/src/providers/capacity.ts names them and their sources), run
 * scaled by `--scale` (default 0.25: a 5 s clip takes 12.5 s instead of 50 s), so the run takes minutes, not a
 * quarter hour; the emulators' own overhead per job (a few seconds to dispatch a task and start a worker) is not
 * scaled, which makes the measured ratios, if anything, harder to meet than at full scale.
 */
const TYPICAL: Required<Latencies> = TYPICAL_LATENCY;

export function scaled(scale: number): Latencies {
  return Object.fromEntries(
    Object.entries(TYPICAL).map(([kind, spec]) => [
      kind,
      {
        medianSeconds: spec.medianSeconds * scale,
        ...(spec.perOutputSecond === undefined ? {} : { perOutputSecond: spec.perOutputSecond * scale }),
        spread: spec.spread,
      },
    ]),
  );
}

/**
 * The provider calls each job type makes once (the handlers in functions/src/jobs/handlers/): composition one
 * chat completion; keyframe, clip, scene music and the bed one prediction each; a voiceover its speech and
 * the transcription that times its captions; the render none (our own ffmpeg).
 */
export const CALLS_PER_STEP: Partial<Record<JobType, number>> = {
  composition: 1,
  image: 1,
  video: 1,
  audio: 1,
  music: 1,
  voiceover: 2,
  render: 0,
};

export const providerCalls = (s: StandinStats) =>
  s.chatCompletions + s.speech + s.transcriptions + s.predictionsCreated;

/** A project drafted as the journey leaves it before any asset: brief, the first mood chosen, its storyboard. */
export async function draftedProject(client: DemoClient, scenes: number, label: string): Promise<ProjectDoc> {
  const request = await loadBrief({});
  const { project } = await client.call('createProject', { ...request, name: `production bench ${label}` });
  // The moods are written as their job would leave them (their images play no part here); the storyboard
  // is drafted by its job through the callable, so both projects get the stand-in's same six scenes.
  const moods = [mood({ name: 'Morning mist' }), mood({ name: 'Neon night' }), mood({ name: 'Warm dusk' })];
  await patchProject(project.id, (p) => {
    p.moods = moods;
  });
  await client.call('selectMood', { project_id: project.id, mood_id: moods[0]!.id });
  const watch = await ProjectWatch.start(project.id);
  try {
    const { job_id } = await client.call('generateStoryboard', {
      project_id: project.id,
      scene_count: scenes,
    });
    const done = await watch.waitFor(
      (p) => p.active_job?.job_id === job_id && !isUnfinished(p.active_job),
      120_000,
      'the storyboard',
    );
    if (done.active_job?.status !== 'completed') {
      throw new Error(
        `the storyboard job ${done.active_job?.status}: ${done.active_job?.error_message ?? ''}`,
      );
    }
    return done;
  } finally {
    watch.stop();
  }
}

/** The scenes as the stand-in drafted them, for the check that both phases start from the same storyboard. */
const storyboardOf = (p: ProjectDoc) =>
  JSON.stringify(p.scenes.map((s) => [s.title, s.duration_seconds, s.voiceover_text ?? '']));

/**
 * Every write of the project the listener saw from `since` to `until`, by its update time. Each snapshot with
 * a new update time is one write; writes a few ms apart can reach a listener as one snapshot, so this is a
 * lower bound. The Firestore emulator counts nothing per document that could be asked instead (its REST API
 * clears data and reports rules coverage only), and the functions emulator runs each request in a worker
 * process of its own, out of reach of bench/lib/writes.ts's in-process counter.
 */
function writesBetween(watch: ProjectWatch, since: number, until: number): Write[] {
  return watch.writes.filter((w) => w.updatedAt >= since && w.updatedAt <= until);
}

/** The most writes in any WINDOW_MS starting at a write, per second, and when that window starts. */
function peakRate(writes: readonly Write[]): { rate: number; at: number } {
  const times = writes.map((w) => w.updatedAt).sort((a, b) => a - b);
  let peak = 0;
  let at = times[0] ?? 0;
  let end = 0;
  for (let start = 0; start < times.length; start += 1) {
    while (end < times.length && times[end]! < times[start]! + WINDOW_MS) end += 1;
    if (end - start > peak) {
      peak = end - start;
      at = times[start]!;
    }
  }
  return { rate: peak / (WINDOW_MS / 1000), at };
}

function peakOf(writes: readonly Write[], t0: number) {
  const { rate, at } = peakRate(writes);
  return { t0, peak: rate, peakAtS: (at - t0) / 1000 };
}

/** Writes per second in consecutive WINDOW_MS windows from `since`. */
function windows(writes: readonly Write[], since: number): number[] {
  const out: number[] = [];
  for (const w of writes) {
    const i = Math.floor((w.updatedAt - since) / WINDOW_MS);
    while (out.length <= i) out.push(0);
    out[i]! += 1;
  }
  return out.map((n) => n / (WINDOW_MS / 1000));
}

interface Phase {
  name: string;
  wallMs: number;
  ledger: LedgerEntryDoc[];
  calls: number;
  expectedCalls: number;
  /** Job types with no known provider-call count (the check fails naming them). */
  unknownTypes: string[];
  /** When the run started (its first call). */
  t0: number;
  writes: Write[];
  kinds: WriteKinds;
  peak: number;
  /** Seconds from the start to the busiest window's first write. */
  peakAtS: number;
  /** Per job type: seconds from the job's creation (queued) to its claim (processing), as the listener saw. */
  dispatch: Map<string, number[]>;
  problem?: string;
}

type WriteKinds = Record<'status' | 'production' | 'progress' | 'other', number>;

/**
 * What each write changed, against the write before it: a job's status (or a new job), else the production's
 * own record (its steps, spend, state), else only a job's progress, else bookkeeping (a prediction id, a
 * lease taken or released).
 */
function classify(watch: ProjectWatch, writes: readonly Write[]): WriteKinds {
  const kinds: WriteKinds = { status: 0, production: 0, progress: 0, other: 0 };
  let previous = watch.writes[watch.writes.indexOf(writes[0]!) - 1]?.project;
  for (const { project } of writes) {
    const before = new Map(previous ? jobsOf(previous).map((j) => [j.job_id, j]) : []);
    const jobs = jobsOf(project);
    if (jobs.some((j) => before.get(j.job_id)?.status !== j.status)) kinds.status += 1;
    else if (JSON.stringify(project.production) !== JSON.stringify(previous?.production))
      kinds.production += 1;
    else if (jobs.some((j) => before.get(j.job_id)?.progress !== j.progress)) kinds.progress += 1;
    else kinds.other += 1;
    previous = project;
  }
  return kinds;
}

/** Queued to processing, per job type, from the listener's first sightings of each status. */
function dispatchTimes(watch: ProjectWatch, since: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const types = new Map<string, string>();
  for (const w of watch.writes) for (const j of jobsOf(w.project)) types.set(j.job_id, j.type);
  for (const s of watch.sightings) {
    if (s.status !== 'processing' || s.startedAt < since) continue;
    const type = types.get(s.jobId) ?? '?';
    out.set(type, [...(out.get(type) ?? []), (s.changedAt - s.startedAt) / 1000]);
  }
  return out;
}

function expectedCallsOf(ledger: readonly LedgerEntryDoc[]) {
  let expected = 0;
  const unknown = new Set<string>();
  for (const entry of ledger) {
    const calls = CALLS_PER_STEP[entry.type];
    if (calls === undefined) unknown.add(entry.type);
    else expected += calls;
  }
  return { expected, unknownTypes: [...unknown] };
}

/** (a): one call, then only the listener until the production has ended. */
async function productionPhase(client: DemoClient, project: ProjectDoc): Promise<Phase> {
  const watch = await ProjectWatch.start(project.id);
  try {
    const before = await standin.stats();
    const t0 = Date.now();
    const { production_id } = await client.call('startProduction', { project_id: project.id });
    const done = await watch.waitFor(
      (p) => p.production?.production_id === production_id && !isActiveProductionStatus(p.production.status),
      PHASE_TIMEOUT_MS,
      'the production to end',
    );
    const wallMs = Date.now() - t0;
    const calls = providerCalls(await standin.stats()) - providerCalls(before);
    const production = done.production!;
    const ledger = await eventually(
      async () => (await ledgerOf(project.id)).filter((e) => e.production_id === production_id),
      (entries) => entries.length >= production.steps_done,
    );
    const endWrite = watch.writes.find((w) => w.project.production?.status === production.status);
    const writes = writesBetween(watch, t0, endWrite?.updatedAt ?? Date.now());
    const { expected, unknownTypes } = expectedCallsOf(ledger);
    return {
      name: '(a) startProduction',
      wallMs,
      ledger,
      calls,
      expectedCalls: expected,
      unknownTypes,
      writes,
      kinds: classify(watch, writes),
      ...peakOf(writes, t0),
      dispatch: dispatchTimes(watch, t0),
      ...(production.status === 'completed'
        ? {}
        : {
            problem: `the production ${production.status}: ${production.blocked.map((b) => `${b.step}: ${b.reason}`).join('; ')}`,
          }),
    };
  } finally {
    watch.stop();
  }
}

/** The scenes of a round grouped by asset type, in pipeline order: one `generateAll` per group, as the tab made. */
function oneCallPerType(start: ReturnType<typeof planAutoAssets>['start']) {
  return SceneAssetTypeSchema.options.flatMap((type) => {
    const sceneIds = start.filter((e) => e.type === type).map((e) => e.sceneId);
    return sceneIds.length ? [[type, sceneIds] as const] : [];
  });
}

/**
 * (b): the studio's "generate all" as its tab ran it (web/src/lib/useAutoAssets.ts before productions), with
 * the same planning function, then the bed and the render. Resolves when the render has completed.
 */
function clientLoop(client: DemoClient, project: ProjectDoc): Promise<{ renderedAt: number }> {
  const { rf } = client;
  const projectId = project.id;
  return new Promise((resolve, reject) => {
    // Scenes being completed, each with the job it had when the loop started (an old failure must not stop it).
    const auto = new Map<string, string | undefined>(project.scenes.map((s) => [s.id, s.active_job?.job_id]));
    // Scenes whose job has been asked for but not yet seen on the listener (null until the call answers).
    const pending = new Map<string, string | null>();
    let stage: 'scenes' | 'music' | 'render' | 'done' = 'scenes';
    let projectJob: string | null = null;
    let latest: Project | undefined;
    let stop: () => void = () => undefined;
    const fail = (err: unknown) => {
      if (stage === 'done') return;
      stage = 'done';
      stop();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    const startProjectJob = (next: 'music' | 'render') => {
      stage = next;
      projectJob = null;
      const call =
        next === 'music'
          ? rf.generateMusic({ project_id: projectId })
          : rf.renderProject({ project_id: projectId, formats: [project.settings.aspect_ratio] });
      call.then(({ job_id }) => {
        projectJob = job_id;
        // The listener may have shown the job's end before the call answered.
        if (latest) step(latest);
      }, fail);
    };

    const step = (p: Project) => {
      try {
        onProject(p);
      } catch (err) {
        fail(err);
      }
    };
    const onProject = (p: Project) => {
      if (stage === 'scenes') {
        const failed = p.scenes.find(
          (s) => s.active_job && (s.active_job.status === 'failed' || s.active_job.status === 'canceled'),
        );
        if (failed)
          throw new Error(
            `scene ${failed.scene_number} ${failed.active_job!.type} ${failed.active_job!.status}`,
          );
        for (const [sceneId, jobId] of pending) {
          const scene = p.scenes.find((s) => s.id === sceneId);
          if (!scene || (jobId && scene.active_job?.job_id === jobId)) pending.delete(sceneId);
        }
        const plan = planAutoAssets(p, auto, new Set(pending.keys()));
        for (const id of plan.finished) auto.delete(id);
        for (const [type, sceneIds] of oneCallPerType(plan.start)) {
          for (const id of sceneIds) pending.set(id, null);
          rf.generateAll({ project_id: projectId, type, scene_ids: sceneIds }).then((res) => {
            for (const { scene_id, job_id } of res.jobs) pending.set(scene_id, job_id);
          }, fail);
        }
        if (auto.size === 0 && pending.size === 0) startProjectJob('music');
        return;
      }
      const job = p.active_job;
      if (!projectJob || job?.job_id !== projectJob || isUnfinished(job)) return;
      if (job.status !== 'completed')
        throw new Error(`the ${job.type} job ${job.status}: ${job.error_message ?? ''}`);
      if (stage === 'music') startProjectJob('render');
      else if (stage === 'render') {
        stage = 'done';
        stop();
        resolve({ renderedAt: Date.now() });
      }
    };
    stop = rf.subscribeProject(
      projectId,
      ({ project: p }) => {
        latest = p;
        step(p);
      },
      fail,
    );
  });
}

async function clientLoopPhase(client: DemoClient, project: ProjectDoc): Promise<Phase> {
  const watch = await ProjectWatch.start(project.id);
  try {
    const before = await standin.stats();
    const t0 = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const { renderedAt } = await Promise.race([
      clientLoop(client, project),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the client loop did not finish')), PHASE_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    const wallMs = renderedAt - t0;
    const calls = providerCalls(await standin.stats()) - providerCalls(before);
    const renderEnd = watch.writes.find(
      (w) => w.project.active_job?.type === 'render' && w.project.active_job.status === 'completed',
    );
    // One ledger entry per job of the loop: every scene's five assets (four without a line), the bed and the
    // render; the storyboard's entry is the drafting's.
    const jobs = project.scenes.reduce((n, s) => n + (s.voiceover_text?.trim() ? 5 : 4), 0) + 2;
    const ledger = await eventually(
      () => ledgerOf(project.id),
      (entries) => entries.filter((e) => e.type !== 'storyboard').length >= jobs,
    );
    const own = ledger.filter((e) => e.type !== 'storyboard');
    const writes = writesBetween(watch, t0, renderEnd?.updatedAt ?? renderedAt);
    const { expected, unknownTypes } = expectedCallsOf(own);
    return {
      name: '(b) client loop',
      wallMs,
      ledger: own,
      calls,
      expectedCalls: expected,
      unknownTypes,
      writes,
      kinds: classify(watch, writes),
      ...peakOf(writes, t0),
      dispatch: dispatchTimes(watch, t0),
    };
  } finally {
    watch.stop();
  }
}

const seconds = (e: LedgerEntryDoc) => (e.ended_at.toMillis() - e.started_at.toMillis()) / 1000;

/** (c) from (a)'s ledger: the longest scene chain, the bed beside it, the render after both. */
function criticalPath(ledger: readonly LedgerEntryDoc[], scenes: ProjectDoc['scenes']) {
  const chains = scenes.map((scene) => {
    const jobs = ledger.filter((e) => e.scene_id === scene.id);
    return { number: scene.scene_number, jobs: jobs.length, s: jobs.reduce((sum, e) => sum + seconds(e), 0) };
  });
  const longest = chains.reduce((a, b) => (b.s > a.s ? b : a), chains[0]!);
  const bed = ledger.filter((e) => e.type === 'music').reduce((sum, e) => sum + seconds(e), 0);
  const render = ledger.filter((e) => e.type === 'render').reduce((sum, e) => sum + seconds(e), 0);
  return { chains, longest, bed, render, total: Math.max(longest.s, bed) + render };
}

function byType(ledger: readonly LedgerEntryDoc[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of ledger) out.set(e.type, [...(out.get(e.type) ?? []), seconds(e)]);
  return out;
}

export const production: Benchmark = {
  name: 'production',
  summary:
    'one startProduction vs the studio client loop on 6 drafted scenes: time vs critical path, provider calls, writes',
  needs: 'harness',
  smoke: {
    unsmokable:
      "a production and a client loop of six scenes at the providers' scaled latencies take about three minutes",
  },
  strictTargets: true,
  options: {
    scenes: { description: 'scenes the storyboard is drafted with', default: '6' },
    scale: {
      description: "the stand-in's latencies as a fraction of the providers' typical ones",
      default: '0.25',
    },
  },
  async run(options) {
    const sceneCount = Math.round(options.number('scenes'));
    const scale = options.number('scale');
    const client = await connectClient();
    try {
      // Drafted with the stand-in's defaults (the drafting is not measured), side by side.
      const [first, second, spare] = await Promise.all(
        ['a', 'b', 'warm-up'].map((label) =>
          draftedProject(client, sceneCount, `${label} ${randomUUID().slice(0, 8)}`),
        ),
      );
      // The functions emulator starts a worker process per function and concurrent request, and keeps it
      // for the next: whichever run came first paid those starts alone (measured: (a) first waited 7-13 s
      // from queued to processing per job, (b) after it under 1 s). A client loop on a third project, with
      // quick predictions, starts them for every job type the runs use, a scene's worth at once.
      const warmUp = Date.now();
      await withStandinConfig({ predictionSeconds: 0.5 }, () => clientLoop(client, spare!));
      const warmUpS = (Date.now() - warmUp) / 1000;
      const latencies = scaled(scale);
      // Setting the latencies restarts their draws from the seed, so each phase draws the same sequence.
      const a = await withStandinConfig({ latencies }, () => productionPhase(client, first!));
      const b = await withStandinConfig({ latencies }, () => clientLoopPhase(client, second!));
      const path = criticalPath(a.ledger, first!.scenes);
      const aS = a.wallMs / 1000;
      const bS = b.wallMs / 1000;
      const ratio = aS / path.total;
      const stepsA = a.ledger.length;

      const checks: Check[] = [
        {
          kind: 'correctness',
          name: 'both projects start from the same drafted storyboard',
          ok: storyboardOf(first!) === storyboardOf(second!) && first!.scenes.length === sceneCount,
          detail: `${first!.scenes.length} and ${second!.scenes.length} scenes${storyboardOf(first!) === storyboardOf(second!) ? ', identical' : ', different'}`,
        },
        {
          kind: 'correctness',
          name: '(a) the production completed, every step completed once',
          ok: !a.problem && a.ledger.every((e) => e.status === 'completed'),
          detail:
            a.problem ??
            `${stepsA} steps, ${a.ledger.filter((e) => e.status === 'completed').length} completed`,
        },
        {
          kind: 'correctness',
          name: '(a) provider calls = steps (each step its own calls, none repeated)',
          ok: a.calls === a.expectedCalls && a.unknownTypes.length === 0,
          detail:
            `${a.calls} calls (chat + speech + transcriptions + predictions) for ${stepsA} steps that make ${a.expectedCalls}` +
            (a.unknownTypes.length ? `; no call count known for ${a.unknownTypes.join(', ')}` : ''),
        },
        {
          kind: 'target',
          name: `(a) at most ${TARGET_PATH_RATIO} x (c), the critical path of its own jobs`,
          ok: ratio <= TARGET_PATH_RATIO,
          detail: `${round(aS, 1)} s vs ${round(path.total, 1)} s: ${round(ratio, 3)}x (${round(aS - path.total, 1)} s between jobs)`,
        },
        {
          kind: 'target',
          name: '(a) faster than (b), the client loop',
          ok: aS < bS,
          detail: `${round(aS, 1)} s vs ${round(bS, 1)} s (${round(bS / aS, 2)}x)`,
        },
        {
          kind: 'target',
          name: `(a) project writes in any 10 s window after the start at most ${TARGET_PEAK_WRITES_PER_S}/s`,
          ok: a.peak <= TARGET_PEAK_WRITES_PER_S,
          detail:
            `peak ${round(a.peak, 1)} writes/s in the 10 s from ${round(a.peakAtS, 1)} s; ${a.writes.length} writes in ` +
            `${round(aS, 1)} s (listener count: a lower bound)`,
        },
      ];

      const phaseRow = (p: Phase, steps: number) => [
        p.name,
        round(p.wallMs / 1000, 1),
        steps,
        p.calls,
        p.expectedCalls,
        p.writes.length,
        round(p.writes.length / steps, 1),
        round(p.peak, 1),
        round(p.writes.length / (p.wallMs / 1000), 2),
      ];
      const typesA = byType(a.ledger);
      const typesB = byType(b.ledger);
      const types = [...new Set([...typesA.keys(), ...typesB.keys()])];
      const tables: Table[] = [
        {
          title: `${sceneCount} drafted scenes, provider latencies x${scale}`,
          columns: [
            'run',
            'wall s',
            'steps',
            'provider calls',
            'calls the steps make',
            'project writes',
            'writes/step',
            'peak 10 s w/s',
            'mean w/s',
          ],
          rows: [phaseRow(a, stepsA), phaseRow(b, b.ledger.length)],
        },
        {
          title: "(c) the critical path of (a), from its jobs' ledger times (queued to ended)",
          columns: ['part', 'jobs', 's'],
          rows: [
            ...path.chains.map((c) => [
              `scene ${c.number} chain${c === path.longest ? ' (longest)' : ''}`,
              c.jobs,
              round(c.s, 1),
            ]),
            ['music bed (beside the scenes)', 1, round(path.bed, 1)],
            ['render (after both)', 1, round(path.render, 1)],
            ['(c) = max(longest chain, bed) + render', '', round(path.total, 1)],
            ['(a) measured', '', round(aS, 1)],
          ],
        },
        {
          title:
            'job time by type, median s (ledger: queued to ended; of which queued to processing, as the listener saw)',
          columns: ['type', '(a) jobs', '(a) s', '(a) queued s', '(b) jobs', '(b) s', '(b) queued s'],
          rows: types.map((t) => [
            t,
            typesA.get(t)?.length ?? 0,
            round(median(typesA.get(t) ?? []), 1),
            round(median(a.dispatch.get(t) ?? []), 1),
            typesB.get(t)?.length ?? 0,
            round(median(typesB.get(t) ?? []), 1),
            round(median(b.dispatch.get(t) ?? []), 1),
          ]),
        },
        {
          title: 'project writes by what they changed (each against the write before it)',
          columns: ['run', 'job status', 'production record', 'progress only', 'other'],
          rows: [a, b].map((p) => [
            p.name,
            p.kinds.status,
            p.kinds.production,
            p.kinds.progress,
            p.kinds.other,
          ]),
        },
        {
          title: `stand-in latencies: the providers' typical figures x${scale}, log-normal spread`,
          columns: ['kind', 'typical median s', '+ per output s', 'spread', 'run median s'],
          rows: Object.entries(TYPICAL).map(([kind, spec]) => [
            kind,
            spec.medianSeconds,
            spec.perOutputSecond ?? '',
            spec.spread,
            round(spec.medianSeconds * scale, 2),
          ]),
        },
      ];
      return {
        tables,
        figures: {
          scenes: sceneCount,
          scale,
          production_s: round(aS, 1),
          critical_path_s: round(path.total, 1),
          path_ratio: round(ratio, 3),
          client_loop_s: round(bS, 1),
          speedup: round(bS / aS, 2),
          steps: stepsA,
          provider_calls: a.calls,
          expected_calls: a.expectedCalls,
          writes: a.writes.length,
          peak_writes_per_s: round(a.peak, 1),
          loop_writes: b.writes.length,
          loop_peak_writes_per_s: round(b.peak, 1),
        },
        checks,
        notes: [
          'functions emulator: each job a task on its queue, each request its own worker process (so no two jobs share a write).',
          `a warm-up client loop on a third project (${round(warmUpS, 1)} s, 0.5 s predictions) started the emulator's workers for every job type first.`,
          `(b) makes ${b.ledger.length} jobs to (a)'s ${stepsA}: the studio's "generate all" made each scene's own music too, and its bed only after the scenes.`,
          'writes are counted by a listener (one per new update time); snapshots a few ms apart can coalesce, so counts are lower bounds.',
          ...[a, b].map(
            (p) =>
              `${p.name}: writes/s in consecutive 10 s windows from the start: ${windows(p.writes, p.t0).join(', ')}`,
          ),
        ],
      };
    } finally {
      await client.close();
    }
  },
};
