// Benchmark 2, writes per job: how many times one long job writes the project document, from `queued` to
// `completed`, while its progress moves every 100 ms. The throttle (functions/src/jobs/progress.ts) must keep
// it at most 12 whatever the duration. Three rows:
//  - webhook, functions emulator: a real image job through the emulators; the stand-in sends its webhooks,
//    and this benchmark adds a signed `logs` webhook every 100 ms with the progress moving (a model that
//    reports that often, with no throttling on the provider's side). Counted by a snapshot listener, one
//    distinct update time per write: what a client sees. Writes a few ms apart can reach a listener as one
//    snapshot, so this count is a lower bound.
//  - webhook, in-process: the same job with the functions bundle running in this process (bench/lib/
//    in-process.ts: webhooks and task deliveries included), the same 100 ms progress stream. Every write of
//    the project by the functions is counted (bench/lib/writes.ts): the exact figure.
//  - polling, in-process: webhooks off, the task polls the stand-in every 100 ms (the path where no webhook
//    can reach the functions); exact count likewise.
import { findJob, isFinishedJobStatus, type ActiveJobDoc, type ProjectDoc } from '@reelforge/schema';
import { TestClient } from '../test/e2e/support/index.js';
import { deliver, progressBody, signedHeaders } from '../test/e2e/hardening/webhook.js';
import type { Benchmark } from './lib/bench.js';
import { loadBundle, POLLING } from './lib/bundle.js';
import { startInProcessFunctions } from './lib/in-process.js';
import { countWrites } from './lib/writes.js';
import { standin, withStandinConfig } from './lib/harness.js';
import type { Check } from './lib/report.js';
import { seedProject } from './lib/seed.js';
import { round, sleep } from './lib/stats.js';
import { ProjectWatch } from './lib/watch.js';

const TARGET_WRITES = 12;
const CADENCE_MS = 100;

interface WriteKinds {
  total: number;
  status: number;
  progress: number;
  other: number;
  /** One token per write: the status it set, the progress it wrote, or `·` for bookkeeping. */
  sequence: string[];
}

/** Classifies each write of the watched project that touched `jobId`'s job, from its creation to its end. */
function classify(watch: ProjectWatch, jobId: string, includeFirst: boolean): WriteKinds {
  const kinds: WriteKinds = { total: 0, status: 0, progress: 0, other: 0, sequence: [] };
  let previous: ActiveJobDoc | undefined;
  watch.writes.forEach((write, index) => {
    const job = jobOf(write.project, jobId);
    if (!job) return;
    if (!previous) {
      // The write that created the job (the start callable's), unless it was there before we listened.
      if (index > 0 || includeFirst) {
        kinds.total += 1;
        kinds.status += 1;
        kinds.sequence.push(job.status);
      }
    } else if (job.status !== previous.status) {
      kinds.total += 1;
      kinds.status += 1;
      kinds.sequence.push(job.status);
    } else if (job.progress !== previous.progress) {
      kinds.total += 1;
      kinds.progress += 1;
      kinds.sequence.push(String(job.progress));
    } else if (!isFinishedJobStatus(previous.status)) {
      kinds.total += 1;
      kinds.other += 1;
      kinds.sequence.push('·');
    }
    previous = job;
  });
  return kinds;
}

const jobOf = (p: ProjectDoc, jobId: string) => findJob(p, jobId)?.job;

interface PathRow {
  path: string;
  /** Writes seen by the listener, classified. */
  kinds: WriteKinds;
  /** Writes of the project by the functions, plus the start write; undefined where not countable. */
  exact: number | undefined;
  status: string;
  progressReports: number;
  seconds: number;
}

/** Progress every 100 ms until the job ends, moving evenly from 0 to 99 over the generation time. */
export async function progressStream(
  watch: ProjectWatch,
  projectId: string,
  jobId: string,
  seconds: number,
  endpoint?: string,
): Promise<number> {
  const withRef = await watch.waitFor((p) => !!jobOf(p, jobId)?.provider_ref, 60_000, 'the prediction id');
  const predictionId = jobOf(withRef, jobId)!.provider_ref!;
  let reports = 0;
  const generationStart = Date.now();
  while (!isFinishedJobStatus(jobOf(watch.latest!, jobId)!.status)) {
    const tick = Date.now();
    const percent = Math.min(99, ((tick - generationStart) / (seconds * 1000)) * 100);
    const body = progressBody(predictionId, percent);
    const answer = await deliver({ projectId, jobId, body, headers: signedHeaders(body) }, endpoint);
    if (answer.status !== 200)
      throw new Error(`the webhook refused a progress delivery: ${answer.status} ${answer.text}`);
    reports += 1;
    if (Date.now() - generationStart > (seconds + 90) * 1000) throw new Error('the job did not finish');
    await sleep(Math.max(0, CADENCE_MS - (Date.now() - tick)));
  }
  return reports;
}

async function emulatorWebhookPath(client: TestClient, seconds: number): Promise<PathRow> {
  const project = await seedProject({ uid: client.uid, scenes: 1, name: 'writes-per-job webhook' });
  const scene = project.scenes[0]!;
  const watch = await ProjectWatch.start(project.id);
  try {
    const started = Date.now();
    const { job_id } = await client.call('generateSceneAsset', {
      project_id: project.id,
      scene_id: scene.id,
      type: 'image',
    });
    const reports = await progressStream(watch, project.id, job_id, seconds);
    await sleep(1_000); // a late write after completion would count too
    return {
      path: 'webhook, functions emulator (listener)',
      kinds: classify(watch, job_id, false),
      exact: undefined,
      status: jobOf(watch.latest!, job_id)!.status,
      progressReports: reports,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    watch.stop();
  }
}

/** Runs one image job with the functions in this process; `endpoint` set = webhooks, else polling. */
async function inProcessPath(
  client: TestClient,
  seconds: number,
  run: (data: unknown) => Promise<void>,
  endpoint: string | undefined,
): Promise<PathRow> {
  const counter = countWrites();
  const project = await seedProject({
    uid: client.uid,
    scenes: 1,
    queued: 'image',
    name: 'writes-per-job in-process',
  });
  const scene = project.scenes[0]!;
  const jobId = scene.active_job!.job_id;
  const watch = await ProjectWatch.start(project.id);
  try {
    const counts = counter.current;
    const before = counts.writes.get(`projects/${project.id}`) ?? 0;
    const started = Date.now();
    const task = run({ project_id: project.id, job_id: jobId, type: 'image', scene_id: scene.id });
    const reports = endpoint
      ? await progressStream(watch, project.id, jobId, seconds, endpoint)
      : Math.round((seconds * 1000) / CADENCE_MS);
    await task;
    await watch.waitFor(
      (p) => isFinishedJobStatus(jobOf(p, jobId)!.status),
      (seconds + 90) * 1000,
      'the job to finish',
    );
    await sleep(1_000);
    // +1: the seeded document stands for the start callable's write.
    const exact = (counts.writes.get(`projects/${project.id}`) ?? 0) - before + 1;
    return {
      path: endpoint ? 'webhook, in-process (exact)' : 'polling, in-process (exact)',
      kinds: classify(watch, jobId, true),
      exact,
      status: jobOf(watch.latest!, jobId)?.status ?? 'missing',
      progressReports: reports,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    watch.stop();
  }
}

export const writesPerJob: Benchmark = {
  name: 'writes-per-job',
  summary: 'project-document writes of one long job with progress every 100 ms (target <= 12)',
  needs: 'harness',
  smoke: { seconds: '2' },
  options: {
    seconds: { description: "the stand-in's generation time (README figures: 120)", default: '30' },
  },
  async run(options) {
    const seconds = options.number('seconds');
    const client = await TestClient.signUp('bench-writes');
    try {
      const rows = await withStandinConfig(
        { predictionSeconds: seconds, logsWebhookIntervalMs: CADENCE_MS },
        async () => {
          const before = await standin.stats();
          // Phase 1: the emulator job and the in-process webhook job side by side.
          const host = await startInProcessFunctions();
          let emulator: PathRow;
          let webhook: PathRow;
          try {
            [emulator, webhook] = await Promise.all([
              emulatorWebhookPath(client, seconds),
              inProcessPath(client, seconds, (data) => host.bundle.jobs.image.run({ data }), host.webhookUrl),
            ]);
          } finally {
            await host.close();
          }
          // Phase 2: polling (webhooks off for the whole process, hence after).
          const bundle = loadBundle(POLLING(CADENCE_MS));
          const polling = await inProcessPath(
            client,
            seconds,
            (data) => bundle.jobs.image.run({ data }),
            undefined,
          );
          const after = await standin.stats();
          return { emulator, webhook, polling, standinWebhooks: after.webhooksSent - before.webhooksSent };
        },
      );
      const all = [rows.emulator, rows.webhook, rows.polling];
      const counted = (r: PathRow) => r.exact ?? r.kinds.total;
      const checks: Check[] = all.flatMap((r) => [
        {
          kind: 'correctness' as const,
          name: `${r.path}: the job completed`,
          ok: r.status === 'completed',
          detail: r.status,
        },
        {
          kind: 'target' as const,
          name: `${r.path}: at most ${TARGET_WRITES} writes per job`,
          ok: counted(r) <= TARGET_WRITES,
          detail: `${counted(r)} writes${r.exact === undefined ? ' (listener: a lower bound)' : ''}, ${
            counted(r) > TARGET_WRITES ? `${counted(r) - TARGET_WRITES} over` : 'within target'
          }`,
        },
      ]);
      return {
        tables: [
          {
            title: `one image job, ${seconds} s of generation, progress every ${CADENCE_MS} ms`,
            columns: [
              'path',
              'writes',
              'seen by listener',
              'status',
              'progress',
              'other',
              'progress reports',
              'job s',
            ],
            rows: all.map((r) => [
              r.path,
              r.exact ?? '-',
              r.kinds.total,
              r.kinds.status,
              r.kinds.progress,
              r.kinds.other,
              r.progressReports,
              round(r.seconds, 1),
            ]),
          },
        ],
        figures: {
          generation_s: seconds,
          webhook_writes: counted(rows.webhook),
          polling_writes: counted(rows.polling),
          emulator_writes_seen: rows.emulator.kinds.total,
          webhook_progress_writes: rows.webhook.kinds.progress,
          polling_progress_writes: rows.polling.kinds.progress,
          target: TARGET_WRITES,
        },
        checks,
        notes: [
          ...all.map((r) => `${r.path}, writes seen in order: ${r.kinds.sequence.join(' ')}`),
          'status/progress/other classify the writes the listener saw.',
          `the stand-in itself sent ${rows.standinWebhooks} webhooks (start, logs every ${CADENCE_MS} ms at most, completed); ` +
            `its logs advance 10 times per prediction, the benchmark's own deliveries every ${CADENCE_MS} ms.`,
          '"other" = bookkeeping writes that change neither status nor progress (e.g. recording the prediction id, taking or releasing the lease).',
        ],
      };
    } finally {
      await client.close();
    }
  },
};
