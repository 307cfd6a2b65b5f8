// Benchmark 5, throughput: many projects generating at once. P projects x S scenes, each project its own
// user (seeded straight into Firestore with their scene texts, so no language-model step runs first), then
// every scene's image job started at the same moment, twice: first as S racing `generateSceneAsset` calls per
// project (how clients started a step before `generateAll`), then on fresh projects as one `generateAll` call
// per project. Figures: wall time from the first call to the last completion (seen by listeners) as a ratio
// to the stand-in's simulated generation time, no failure, and the start calls' p95 of both ways.
//
// The functions run in this process (bench/lib/in-process.ts: the bundle's callable, task and webhook
// handlers; Firestore, Storage and the stand-in are the real emulators). The functions emulator cannot carry
// this load here: it starts one worker process per concurrent request of a function, and 120 jobs with their
// webhooks made it start 240 Node processes on this 2-CPU machine (load average 69) before it was stopped.
// One process handling every request concurrently is what a Cloud Functions v2 instance does (concurrency 80).
import { randomUUID } from 'node:crypto';
import { isFinishedJobStatus, jobsOf, type ProjectDoc } from '@reelforge/schema';
import { listFiles } from '../test/e2e/support/index.js';
import type { Benchmark } from './lib/bench.js';
import { standin, withStandinConfig } from './lib/harness.js';
import { startInProcessFunctions, type InProcessFunctions } from './lib/in-process.js';
import { countWrites, retriesOf, writesDone } from './lib/writes.js';
import type { Check } from './lib/report.js';
import { seedProject } from './lib/seed.js';
import { percentile, round } from './lib/stats.js';
import { ProjectWatch } from './lib/watch.js';
import { callerAuth } from './lib/caller.js';

const TARGET_RATIO = 1.3;

export const throughput: Benchmark = {
  name: 'throughput',
  summary:
    'P projects x S scenes of image jobs at once: wall time vs simulated generation time (target <= 1.3)',
  needs: 'harness',
  smoke: { projects: '2', scenes: '2', 'prediction-seconds': '1' },
  options: {
    projects: { description: 'projects', default: '20' },
    scenes: { description: 'scenes per project (one image job each)', default: '6' },
    'prediction-seconds': { description: "the stand-in's simulated generation time", default: '20' },
  },
  async run(options) {
    const projectCount = Math.round(options.number('projects'));
    const sceneCount = Math.round(options.number('scenes'));
    const predictionSeconds = options.number('prediction-seconds');
    const jobs = projectCount * sceneCount;
    const host = await startInProcessFunctions();
    const counter = countWrites();
    try {
      return await withStandinConfig({ predictionSeconds }, async () => {
        const racing = await runPhase(host, counter, 'racing', projectCount, sceneCount, predictionSeconds);
        const all = await runPhase(host, counter, 'generateAll', projectCount, sceneCount, predictionSeconds);
        const callRatio = all.callP95 / racing.callP95;
        const checks: Check[] = [racing, all].map((phase) => ({
          kind: 'correctness',
          name: `${phase.mode}: zero failures, every job completed with its file, one prediction each`,
          ok:
            phase.failures === 0 &&
            phase.completed === jobs &&
            phase.files === jobs &&
            phase.predictions === jobs &&
            host.taskErrors.length === 0,
          detail:
            `${phase.completed}/${jobs} completed, ${phase.refused} calls refused, ${phase.failedJobs} jobs failed, ` +
            `${phase.files} files, ${phase.predictions} predictions, ${host.taskErrors.length} task errors` +
            (phase.firstProblem ? ` (first: ${phase.firstProblem})` : ''),
        }));
        checks.push(
          {
            kind: 'target',
            name: `generateAll: wall time at most ${TARGET_RATIO}x the generation time`,
            ok: all.ratio <= TARGET_RATIO,
            detail: `${round(all.ratio, 2)} (${round(all.wallS, 1)} s for ${predictionSeconds} s of generation; overhead ${round(all.wallS - predictionSeconds, 1)} s)`,
          },
          {
            kind: 'target',
            name: "generateAll: start-call p95 below the racing calls' p95",
            ok: callRatio < 1,
            detail: `${round(callRatio, 2)} (${round(all.callP95)} ms vs ${round(racing.callP95)} ms)`,
          },
        );
        const row = (phase: Phase) => [
          phase.mode === 'racing' ? `${sceneCount} racing calls per project` : 'one generateAll per project',
          phase.calls,
          phase.completed,
          phase.failures,
          round(phase.callP50),
          round(phase.callP95),
          round(phase.allQueuedS, 1),
          round(phase.firstS, 1),
          round(phase.wallS, 1),
          round(phase.ratio, 2),
          phase.writes,
          phase.retries,
        ];
        return {
          tables: [
            {
              title: `${projectCount} projects (one user each) x ${sceneCount} scenes = ${jobs} image jobs started at once, generation ${predictionSeconds} s`,
              columns: [
                'started by',
                'calls',
                'completed',
                'failures',
                'call p50 ms',
                'call p95 ms',
                'all queued s',
                'first done s',
                'last done s',
                'ratio',
                'writes',
                'races lost (retried)',
              ],
              rows: [row(racing), row(all)],
            },
          ],
          figures: {
            jobs,
            completed: all.completed,
            failures: racing.failures + all.failures,
            generation_s: predictionSeconds,
            wall_s: round(all.wallS, 1),
            ratio: round(all.ratio, 2),
            racing_call_p95_ms: round(racing.callP95),
            generate_all_call_p95_ms: round(all.callP95),
            call_p95_ratio: round(callRatio, 2),
            racing_writes: racing.writes,
            generate_all_writes: all.writes,
            racing_retries: racing.retries,
            generate_all_retries: all.retries,
          },
          checks,
          notes: [
            'functions in-process (callable, tasks and webhooks of functions/lib); see the comment at the top of bench/throughput.ts.',
            'one user per project: a user may run USER_MAX_ACTIVE_JOBS (10) jobs at once.',
            ...(host.taskErrors[0] ? [`first task error: ${host.taskErrors[0]}`] : []),
          ],
        };
      });
    } finally {
      await host.close();
    }
  },
};

interface Phase {
  mode: 'racing' | 'generateAll';
  calls: number;
  completed: number;
  failures: number;
  refused: number;
  failedJobs: number;
  firstProblem?: string;
  files: number;
  predictions: number;
  callP50: number;
  callP95: number;
  allQueuedS: number;
  firstS: number;
  wallS: number;
  ratio: number;
  writes: number | string;
  retries: number | string;
}

async function runPhase(
  host: InProcessFunctions,
  counter: ReturnType<typeof countWrites>,
  mode: Phase['mode'],
  projectCount: number,
  sceneCount: number,
  predictionSeconds: number,
): Promise<Phase> {
  const watches: ProjectWatch[] = [];
  try {
    const projects: ProjectDoc[] = await Promise.all(
      Array.from({ length: projectCount }, (_, i) =>
        seedProject({
          uid: `bench-throughput-${randomUUID()}`,
          scenes: sceneCount,
          name: `throughput ${mode} ${i + 1}`,
        }),
      ),
    );
    watches.push(...(await Promise.all(projects.map((p) => ProjectWatch.start(p.id)))));
    const before = await standin.stats();

    const writes = counter.reset();
    const started = Date.now();
    const callTimes: number[] = [];
    const timed = async <T>(call: () => Promise<T>): Promise<T> => {
      const t = Date.now();
      const answer = await call();
      callTimes.push(Date.now() - t);
      return answer;
    };
    const auth = (project: ProjectDoc) => callerAuth(project.user_id);
    const calls = await Promise.allSettled(
      mode === 'racing'
        ? projects.flatMap((project) =>
            project.scenes.map((scene) =>
              timed(async () => {
                const answer = (await host.bundle.generateSceneAsset.run({
                  data: { project_id: project.id, scene_id: scene.id, type: 'image' },
                  auth: await auth(project),
                })) as { job_id: string };
                return [answer.job_id];
              }),
            ),
          )
        : projects.map((project) =>
            timed(async () => {
              const answer = (await host.bundle.generateAll.run({
                data: { project_id: project.id, type: 'image' },
                auth: await auth(project),
              })) as { jobs: { job_id: string }[] };
              return answer.jobs.map((j) => j.job_id);
            }),
          ),
    );
    const allQueuedS = (Date.now() - started) / 1000;
    const jobIds = new Set(calls.flatMap((c) => (c.status === 'fulfilled' ? c.value : [])));
    const refused = calls.filter((c): c is PromiseRejectedResult => c.status === 'rejected');

    const timeoutMs = (predictionSeconds * 4 + 180) * 1000;
    const finals = await Promise.all(
      watches.map((w) =>
        w.waitFor(
          (p) =>
            jobsOf(p)
              .filter((j) => jobIds.has(j.job_id))
              .every((j) => isFinishedJobStatus(j.status)) && jobsOf(p).some((j) => jobIds.has(j.job_id)),
          timeoutMs,
          'its image jobs',
        ),
      ),
    );
    const finished = finals.flatMap((p) => jobsOf(p).filter((j) => jobIds.has(j.job_id)));
    const completed = finished.filter((j) => j.status === 'completed').length;
    const failedJobs = finished.filter((j) => j.status !== 'completed');
    const completions = watches.flatMap((w) =>
      w.sightings
        .filter((s) => s.status === 'completed' && jobIds.has(s.jobId))
        .map((s) => s.seenAt - started),
    );
    const wallS = Math.max(...completions) / 1000;
    const files = (await Promise.all(projects.map((p) => listFiles(`projects/${p.id}/scenes/`)))).flat()
      .length;
    const after = await standin.stats();
    counter.reset();
    const firstProblem = refused[0]
      ? `refusal: ${String(refused[0].reason)}`
      : failedJobs[0]
        ? `failure: ${failedJobs[0].error_message ?? failedJobs[0].status}`
        : undefined;
    return {
      mode,
      calls: calls.length,
      completed,
      failures: refused.length + failedJobs.length,
      refused: refused.length,
      failedJobs: failedJobs.length,
      ...(firstProblem ? { firstProblem } : {}),
      files,
      predictions: after.predictionsCreated - before.predictionsCreated,
      callP50: percentile(callTimes, 50),
      callP95: percentile(callTimes, 95),
      allQueuedS,
      firstS: Math.min(...completions) / 1000,
      wallS,
      ratio: wallS / predictionSeconds,
      writes: writesDone(writes),
      retries: retriesOf(writes),
    };
  } finally {
    for (const w of watches) w.stop();
  }
}
