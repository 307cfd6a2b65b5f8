// Benchmark 1, the hot project document: K scene jobs at once on one project. Every job writes its status
// changes into the one project document (DESIGN.md "Writes"), so the jobs contend for it. Three parts:
//  A. pipeline: real image jobs started through the callable, run by Cloud Tasks against the stand-in and
//     its webhooks, in the emulators, watched as a client watches them (a listener). K is capped at
//     LIMITS.MAX_SCENES: a project holds at most that many scenes, one job each; and at the per-user limit
//     of unfinished jobs (USER_MAX_ACTIVE_JOBS, 10 in the emulators), since one user starts them.
//  B. in-process: the same image jobs with the functions bundle running in this process (bench/lib/
//     in-process.ts: callable, tasks and webhooks), so that every write of `mutateProject` can be counted,
//     races lost and retried included (the functions emulator exposes none of that). Capped at the scene
//     limit only: the bundle runs with a per-user limit past K, since the document, not the user, is measured.
//  C. K writers on one document, for every K asked (past the scene limit too): each does a job's three
//     status changes (queued, processing, completed with its path), guarded by its job id and writing the
//     whole document back, first the way `mutateProject` writes (compare-and-set on the update time,
//     retried on a lost race), then as a plain read-modify-write, to show what the guard prevents.
//     `--modes` can add Firestore transactions (what `mutateProject` used before) for comparison.
import { randomUUID } from 'node:crypto';
import { Timestamp, type DocumentData } from 'firebase-admin/firestore';
import { LIMITS, isFinishedJobStatus, jobsOf, type ProjectDoc } from '@reelforge/schema';
import { retryWaitMs } from '../functions/src/projects/store.js';
import { TestClient, adminDb, listFiles } from '../test/e2e/support/index.js';
import type { Benchmark } from './lib/bench.js';
import { UsageError } from './lib/bench.js';
import { withStandinConfig } from './lib/harness.js';
import { LIMIT_DEFAULTS } from '../functions/src/config.js';
import { startInProcessFunctions, type InProcessFunctions } from './lib/in-process.js';
import type { Check, Table } from './lib/report.js';
import { seedProject } from './lib/seed.js';
import { percentile, round, sleep } from './lib/stats.js';
import { countWrites, retriesOf, writesDone, type WriteCounts } from './lib/writes.js';
import { ProjectWatch, type StatusSighting } from './lib/watch.js';
import { callerAuth } from './lib/caller.js';

/** Image jobs of a project: how many completed, failed, and completed without their path surviving. */
function outcome(project: ProjectDoc): { completed: number; failed: number; lost: number } {
  let completed = 0;
  let failed = 0;
  let lost = 0;
  for (const scene of project.scenes) {
    const job = scene.active_job;
    if (job?.status === 'failed') failed += 1;
    if (job?.status !== 'completed') continue;
    completed += 1;
    if (!scene.assets.thumbnail_path?.includes(job.job_id)) lost += 1;
  }
  return { completed, failed, lost };
}

const lagMs = (sightings: readonly StatusSighting[]) => sightings.map((s) => s.seenAt - s.changedAt);

interface JobsRow {
  k: number;
  completed: number;
  failed: number;
  /** Start calls refused, with the first error (or the first failed job's message). */
  refused: number;
  firstError: string | undefined;
  lost: number;
  files: number;
  lagP50: number;
  lagP95: number;
  jobP50: number;
  jobP95: number;
  wallS: number;
  /** In-process only: every write of the functions, counted. */
  counts?: WriteCounts;
  taskErrors?: number;
}

type Start = (projectId: string, sceneId: string) => Promise<string>;

/** Starts an image job on each of K scenes at once and watches them to the end. */
async function jobsRun(uid: string, k: number, start: Start, label: string): Promise<JobsRow> {
  const project = await seedProject({ uid, scenes: k, name: `hot-document ${label} K=${k}` });
  const watch = await ProjectWatch.start(project.id);
  try {
    const started = Date.now();
    const calls = await Promise.allSettled(project.scenes.map((scene) => start(project.id, scene.id)));
    const jobIds = calls.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
    const refusals = calls.flatMap((c) => (c.status === 'rejected' ? [String(c.reason)] : []));
    const final = await watch.waitFor(
      (p) =>
        jobIds.every((id) => jobsOf(p).some((job) => job.job_id === id && isFinishedJobStatus(job.status))),
      180_000,
      `${k} image jobs`,
    );
    const wallS = (Date.now() - started) / 1000;
    const { completed, failed, lost } = outcome(final);
    const sightings = watch.sightings.filter((s) => jobIds.includes(s.jobId));
    const lags = lagMs(sightings);
    const jobTimes = sightings.filter((s) => s.status === 'completed').map((s) => s.seenAt - s.startedAt);
    const failedJob = final.scenes.find((scene) => scene.active_job?.status === 'failed')?.active_job;
    return {
      k,
      completed,
      failed,
      refused: refusals.length,
      firstError: refusals[0] ?? failedJob?.error_message,
      lost,
      files: (await listFiles(`projects/${project.id}/scenes/`)).length,
      lagP50: percentile(lags, 50),
      lagP95: percentile(lags, 95),
      jobP50: percentile(jobTimes, 50),
      jobP95: percentile(jobTimes, 95),
      wallS,
    };
  } finally {
    watch.stop();
  }
}

const viaEmulator =
  (client: TestClient): Start =>
  async (projectId, sceneId) =>
    (await client.call('generateSceneAsset', { project_id: projectId, scene_id: sceneId, type: 'image' }))
      .job_id;

const inProcess =
  (host: InProcessFunctions, uid: string): Start =>
  async (projectId, sceneId) => {
    const answer = (await host.bundle.generateSceneAsset.run({
      data: { project_id: projectId, scene_id: sceneId, type: 'image' },
      auth: await callerAuth(uid),
    })) as { job_id: string };
    return answer.job_id;
  };

async function inProcessRun(host: InProcessFunctions, uid: string, k: number): Promise<JobsRow> {
  const counter = countWrites();
  const errorsBefore = host.taskErrors.length;
  const counts = counter.reset();
  const row = await jobsRun(uid, k, inProcess(host, uid), 'in-process');
  counter.reset();
  return { ...row, counts, taskErrors: host.taskErrors.length - errorsBefore };
}

// Part C: writers on one plain document (not a project: K may exceed the scene limit).

type Mode = 'cas' | 'transaction' | 'naive';
const MODES: readonly Mode[] = ['cas', 'transaction', 'naive'];
const MODE_LABEL: Record<Mode, string> = {
  cas: 'compare-and-set',
  transaction: 'transaction',
  naive: 'naive',
};

/** As in functions/src/projects/store.ts: attempts, and the jittered wait before attempt n+1 (its own). */
const CAS_ATTEMPTS = 40;
const casWaitMs = (attempt: number) => retryWaitMs(attempt);

interface SlotScene {
  id: string;
  job_id: string | null;
  status: 'idle' | 'queued' | 'processing' | 'completed';
  path: string | null;
  last_update: Timestamp;
}

interface SlotDoc {
  scenes: SlotScene[];
  updated_at: Timestamp;
  stats: { active_jobs: number };
}

interface WritersRow {
  k: number;
  mode: Mode;
  writes: number;
  /** Writers that finished without an error yet whose completed state is not in the document. */
  lost: number;
  /** Writers that gave up: a write of theirs failed for good (the error reached them; nothing was lost). */
  gaveUp: number;
  firstError: string | undefined;
  counts: WriteCounts;
  /** Per status change: ms from its first read to its successful write. */
  stepMs: number[];
  wallS: number;
}

async function writersRun(k: number, mode: Mode, generationMs: number): Promise<WritersRow> {
  const db = adminDb();
  const ref = db.collection('bench_hot_document').doc();
  const now = Timestamp.now();
  const initial: SlotDoc = {
    scenes: Array.from({ length: k }, (_, i) => ({
      id: `scene-${i}`,
      job_id: null,
      status: 'idle',
      path: null,
      last_update: now,
    })),
    updated_at: now,
    stats: { active_jobs: 0 },
  };
  await ref.set(initial);
  const counter = countWrites();
  const stepMs: number[] = [];
  let writes = 0;

  /** Applies `change` to scene i of `doc` in memory; false when its guard says there is nothing to do. */
  const apply = (doc: SlotDoc, i: number, change: (scene: SlotScene) => boolean): boolean => {
    const scene = doc.scenes[i];
    if (!scene || !change(scene)) return false;
    const at = Timestamp.now();
    scene.last_update = at;
    doc.updated_at = at;
    doc.stats = {
      active_jobs: doc.scenes.filter((s) => s.status === 'queued' || s.status === 'processing').length,
    };
    return true;
  };

  const step = async (i: number, change: (scene: SlotScene) => boolean) => {
    const started = Date.now();
    let wrote = false;
    if (mode === 'transaction') {
      wrote = await db.runTransaction(async (tx) => {
        const doc = (await tx.get(ref)).data() as SlotDoc;
        const changed = apply(doc, i, change);
        if (changed) tx.set(ref, doc);
        return changed;
      });
    } else if (mode === 'cas') {
      for (let attempt = 1; ; attempt++) {
        const snap = await ref.get();
        const doc = snap.data() as SlotDoc;
        if (!apply(doc, i, change)) break;
        try {
          await ref.update(doc as unknown as DocumentData, { lastUpdateTime: snap.updateTime! });
          wrote = true;
          break;
        } catch (err) {
          if ((err as { code?: unknown }).code !== 9 || attempt >= CAS_ATTEMPTS) throw err;
          await sleep(casWaitMs(attempt));
        }
      }
    } else {
      const doc = (await ref.get()).data() as SlotDoc;
      wrote = apply(doc, i, change);
      if (wrote) await ref.set(doc);
    }
    if (wrote) {
      writes += 1;
      stepMs.push(Date.now() - started);
    }
  };

  const writer = async (i: number) => {
    const jobId = randomUUID();
    await step(i, (s) => {
      s.job_id = jobId;
      s.status = 'queued';
      return true;
    });
    await sleep(Math.random() * 300); // task dispatch
    await step(i, (s) => s.job_id === jobId && s.status === 'queued' && ((s.status = 'processing'), true));
    await sleep(generationMs);
    await step(
      i,
      (s) =>
        s.job_id === jobId &&
        s.status === 'processing' &&
        ((s.status = 'completed'), (s.path = `projects/p/scenes/${s.id}/image-${jobId}.png`), true),
    );
    return jobId;
  };

  const counts = counter.reset();
  const started = Date.now();
  const results = await Promise.allSettled(Array.from({ length: k }, (_, i) => writer(i)));
  const wallS = (Date.now() - started) / 1000;
  counter.reset();
  const final = (await ref.get()).data() as SlotDoc;
  const jobIds = results.map((r) => (r.status === 'fulfilled' ? r.value : null));
  // Each scene has one writer only: a writer whose guard found its scene changed lost an earlier write.
  const survived = final.scenes.filter(
    (s, i) => s.status === 'completed' && jobIds[i] && s.path?.includes(jobIds[i]),
  ).length;
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
  await ref.delete();
  return {
    k,
    mode,
    writes,
    lost: k - survived - failures.length,
    gaveUp: failures.length,
    firstError: failures[0],
    counts,
    stepMs,
    wallS,
  };
}

export const hotDocument: Benchmark = {
  name: 'hot-document',
  summary: 'K scene jobs at once on one project: lost updates, failed writes, retries, status-change times',
  needs: 'harness',
  smoke: { k: '3', 'prediction-seconds': '0.2', modes: 'cas' },
  options: {
    k: { description: 'jobs at once per run (comma-separated)', default: '6,24,50' },
    'prediction-seconds': { description: "the stand-in's generation time per job", default: '0.5' },
    modes: { description: 'part C write modes, of cas,transaction,naive', default: 'cas,naive' },
  },
  async run(options) {
    const ks = options.numbers('k');
    const predictionSeconds = options.number('prediction-seconds');
    const modes = options.string('modes').split(',') as Mode[];
    const unknown = modes.filter((m) => !MODES.includes(m));
    if (unknown.length > 0)
      throw new UsageError(`--modes: unknown ${unknown.join(', ')} (of ${MODES.join(', ')})`);
    // A project holds at most MAX_SCENES scenes and each scene one job at a time.
    const projectKs = [...new Set(ks.map((k) => Math.min(k, LIMITS.MAX_SCENES)))];
    const client = await TestClient.signUp('bench-hot');
    try {
      return await withStandinConfig({ predictionSeconds }, async () => {
        // Warm-up (not reported): the first call of each function starts its emulator worker.
        await jobsRun(client.uid, 1, viaEmulator(client), 'warm-up');
        const pipeline: JobsRow[] = [];
        for (const k of new Set(projectKs.map((k) => Math.min(k, LIMIT_DEFAULTS.maxActiveJobs))))
          pipeline.push(await jobsRun(client.uid, k, viaEmulator(client), 'pipeline'));

        const host = await startInProcessFunctions({ USER_MAX_ACTIVE_JOBS: String(LIMITS.MAX_SCENES) });
        const inProcessRows: JobsRow[] = [];
        try {
          const uid = `bench-hot-${randomUUID()}`;
          for (const k of projectKs) inProcessRows.push(await inProcessRun(host, uid, k));
        } finally {
          await host.close();
        }

        const writers: WritersRow[] = [];
        for (const k of ks)
          for (const mode of modes) writers.push(await writersRun(k, mode, predictionSeconds * 1000));
        return report(pipeline, inProcessRows, writers, predictionSeconds);
      });
    } finally {
      await client.close();
    }
  },
};

function report(
  pipeline: JobsRow[],
  inProcessRows: JobsRow[],
  writers: WritersRow[],
  predictionSeconds: number,
) {
  const jobsColumns = [
    'K',
    'completed',
    'refused',
    'failed',
    'lost',
    'files',
    'change→seen p50 ms',
    'p95 ms',
    'job p50 s',
    'job p95 s',
    'wall s',
  ];
  const jobsCells = (r: JobsRow) => [
    r.k,
    r.completed,
    r.refused,
    r.failed,
    r.lost,
    r.files,
    round(r.lagP50),
    round(r.lagP95),
    round(r.jobP50 / 1000, 1),
    round(r.jobP95 / 1000, 1),
    round(r.wallS, 1),
  ];
  const tables: Table[] = [
    {
      title: `A. pipeline: image jobs via callable + Cloud Tasks + stand-in webhooks in the emulators (generation ${predictionSeconds} s)`,
      columns: jobsColumns,
      rows: pipeline.map(jobsCells),
    },
    {
      title:
        'B. in-process: the same jobs with functions/lib in this process, every write of mutateProject counted',
      columns: [...jobsColumns, 'writes', 'races lost (retried)', 'task errors'],
      rows: inProcessRows.map((r) => [
        ...jobsCells(r),
        r.counts ? writesDone(r.counts) : '-',
        r.counts ? retriesOf(r.counts) : '-',
        r.taskErrors ?? '-',
      ]),
    },
    {
      title: 'C. K writers x 3 status changes on one document',
      columns: [
        'K',
        'mode',
        'writes',
        'lost',
        'gave up',
        'retries',
        'change p50 ms',
        'change p95 ms',
        'wall s',
      ],
      rows: writers.map((r) => [
        r.k,
        MODE_LABEL[r.mode],
        r.writes,
        r.lost,
        r.gaveUp,
        r.mode === 'naive' ? '-' : retriesOf(r.counts),
        round(percentile(r.stepMs, 50)),
        round(percentile(r.stepMs, 95)),
        round(r.wallS, 1),
      ]),
    },
  ];

  const checks: Check[] = [];
  const jobsCheck = (label: string, r: JobsRow) =>
    checks.push({
      kind: 'correctness',
      name: `${label} K=${r.k}: every job completed, no lost update`,
      ok: r.completed === r.k && r.lost === 0 && r.files === r.k && (r.taskErrors ?? 0) === 0,
      detail:
        `${r.completed}/${r.k} completed, ${r.refused} start calls refused, ${r.failed} failed, ${r.lost} lost, ` +
        `${r.files} files${r.taskErrors ? `, ${r.taskErrors} task errors` : ''}` +
        (r.firstError ? ` (first error: ${r.firstError})` : ''),
    });
  for (const r of pipeline) jobsCheck('pipeline', r);
  for (const r of inProcessRows) jobsCheck('in-process', r);
  for (const r of writers.filter((x) => x.mode !== 'naive')) {
    checks.push({
      kind: 'correctness',
      name: `${MODE_LABEL[r.mode]} K=${r.k}: no write failed, no update lost`,
      ok: r.gaveUp === 0 && r.lost === 0,
      detail:
        `${r.lost} lost, ${r.gaveUp} of ${r.k} writers gave up, ${retriesOf(r.counts)} retries` +
        (r.firstError ? ` (first error: ${r.firstError})` : ''),
    });
  }
  const naiveLost = writers.filter((r) => r.mode === 'naive').map((r) => `K=${r.k}: ${r.lost}/${r.k}`);

  const figures: Record<string, string | number> = {};
  for (const r of pipeline) {
    figures[`pipeline_k${r.k}_completed`] = r.completed;
    figures[`pipeline_k${r.k}_lost`] = r.lost;
    figures[`pipeline_k${r.k}_seen_p95_ms`] = round(r.lagP95);
    figures[`pipeline_k${r.k}_wall_s`] = round(r.wallS, 1);
  }
  for (const r of inProcessRows) {
    figures[`inprocess_k${r.k}_completed`] = r.completed;
    figures[`inprocess_k${r.k}_lost`] = r.lost;
    if (r.counts) figures[`inprocess_k${r.k}_retries`] = retriesOf(r.counts);
  }
  for (const r of writers) {
    const prefix = `${r.mode}_k${r.k}`;
    figures[`${prefix}_lost`] = r.lost;
    if (r.mode !== 'naive') {
      figures[`${prefix}_gave_up`] = r.gaveUp;
      figures[`${prefix}_retries`] = retriesOf(r.counts);
      figures[`${prefix}_p95_ms`] = round(percentile(r.stepMs, 95));
    }
  }
  return {
    tables,
    figures,
    checks,
    notes: [
      `K is capped at ${LIMITS.MAX_SCENES} in A and B: a project holds at most ${LIMITS.MAX_SCENES} scenes, one job each.`,
      "change→seen: from the write that set a status (the job's last_update) to the listener delivering it.",
      `C, compare-and-set as in functions/src/projects/store.ts: update with a lastUpdateTime precondition, a lost race retried after a jittered wait growing with the races lost in a row, at most ${CAS_ATTEMPTS} attempts.`,
      `naive read-modify-write lost: ${naiveLost.join(', ') || 'not run'}.`,
    ],
  };
}
