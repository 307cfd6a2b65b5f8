// Benchmark 5, throughput: many projects generating at once. P projects x S scenes (seeded straight into
// Firestore with their scene texts, so no language-model step runs first), then every scene's image job
// started through the `generateSceneAsset` callable at the same moment. Figure: wall time from the first
// call to the last completion (seen by listeners) as a ratio to the stand-in's simulated generation time,
// and no failure.
//
// The functions run in this process (bench/lib/in-process.ts: the bundle's callable, task and webhook
// handlers; Firestore, Storage and the stand-in are the real emulators). The functions emulator cannot carry
// this load here: it starts one worker process per concurrent request of a function, and 120 jobs with their
// webhooks made it start 240 Node processes on this 2-CPU machine (load average 69) before it was stopped.
// One process handling every request concurrently is what a Cloud Functions v2 instance does (concurrency 80).
import { randomUUID } from 'node:crypto';
import type { ProjectDoc } from '@reelforge/schema';
import { listFiles } from '../test/e2e/support/index.js';
import type { Benchmark } from './lib/bench.js';
import { standin, withStandinConfig } from './lib/harness.js';
import { startInProcessFunctions } from './lib/in-process.js';
import { countWrites, retriesOf, writesDone } from './lib/writes.js';
import type { Check } from './lib/report.js';
import { seedProject } from './lib/seed.js';
import { percentile, round } from './lib/stats.js';
import { ProjectWatch, isFinished, jobsOf } from './lib/watch.js';

const TARGET_RATIO = 1.3;

export const throughput: Benchmark = {
  name: 'throughput',
  summary:
    'P projects x S scenes of image jobs at once: wall time vs simulated generation time (target <= 1.3)',
  needs: 'harness',
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
    const uid = `bench-throughput-${randomUUID()}`;
    const watches: ProjectWatch[] = [];
    const host = await startInProcessFunctions();
    const counter = countWrites();
    try {
      return await withStandinConfig({ predictionSeconds }, async () => {
        const projects: ProjectDoc[] = await Promise.all(
          Array.from({ length: projectCount }, (_, i) =>
            seedProject({ uid, scenes: sceneCount, name: `throughput ${i + 1}` }),
          ),
        );
        watches.push(...(await Promise.all(projects.map((p) => ProjectWatch.start(p.id)))));
        const before = await standin.stats();

        const writes = counter.reset();
        const started = Date.now();
        const callTimes: number[] = [];
        const calls = await Promise.allSettled(
          projects.flatMap((project) =>
            project.scenes.map(async (scene) => {
              const t = Date.now();
              const answer = (await host.bundle.generateSceneAsset.run({
                data: { project_id: project.id, scene_id: scene.id, type: 'image' },
                auth: { uid, token: {} },
              })) as { job_id: string };
              callTimes.push(Date.now() - t);
              return answer.job_id;
            }),
          ),
        );
        const allQueuedS = (Date.now() - started) / 1000;
        const jobIds = new Set(calls.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : [])));
        const refused = calls.filter((c): c is PromiseRejectedResult => c.status === 'rejected');

        const timeoutMs = (predictionSeconds * 4 + 180) * 1000;
        const finals = await Promise.all(
          watches.map((w) =>
            w.waitFor(
              (p) =>
                jobsOf(p)
                  .filter((j) => jobIds.has(j.job_id))
                  .every(isFinished) && jobsOf(p).some((j) => jobIds.has(j.job_id)),
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
        const firstS = Math.min(...completions) / 1000;
        const ratio = wallS / predictionSeconds;
        const files = (await Promise.all(projects.map((p) => listFiles(`projects/${p.id}/scenes/`)))).flat()
          .length;
        const after = await standin.stats();
        const predictions = after.predictionsCreated - before.predictionsCreated;
        counter.reset();

        const failures = refused.length + failedJobs.length;
        const checks: Check[] = [
          {
            kind: 'correctness',
            name: 'zero failures: every job completed with its file, one prediction each',
            ok:
              failures === 0 &&
              completed === jobs &&
              files === jobs &&
              predictions === jobs &&
              host.taskErrors.length === 0,
            detail:
              `${completed}/${jobs} completed, ${refused.length} calls refused, ${failedJobs.length} jobs failed, ` +
              `${files} files, ${predictions} predictions, ${host.taskErrors.length} task errors` +
              (refused[0] ? ` (first refusal: ${String(refused[0].reason)})` : '') +
              (failedJobs[0]
                ? ` (first failure: ${failedJobs[0].error_message ?? failedJobs[0].status})`
                : ''),
          },
          {
            kind: 'target',
            name: `wall time at most ${TARGET_RATIO}x the generation time`,
            ok: ratio <= TARGET_RATIO,
            detail: `${round(ratio, 2)} (${round(wallS, 1)} s for ${predictionSeconds} s of generation; overhead ${round(wallS - predictionSeconds, 1)} s)`,
          },
        ];
        return {
          tables: [
            {
              title: `${projectCount} projects x ${sceneCount} scenes = ${jobs} image jobs started at once, generation ${predictionSeconds} s`,
              columns: [
                'jobs',
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
              rows: [
                [
                  jobs,
                  completed,
                  failures,
                  round(percentile(callTimes, 50)),
                  round(percentile(callTimes, 95)),
                  round(allQueuedS, 1),
                  round(firstS, 1),
                  round(wallS, 1),
                  round(ratio, 2),
                  writesDone(writes),
                  retriesOf(writes),
                ],
              ],
            },
          ],
          figures: {
            jobs,
            completed,
            failures,
            generation_s: predictionSeconds,
            wall_s: round(wallS, 1),
            ratio: round(ratio, 2),
            call_p95_ms: round(percentile(callTimes, 95)),
            writes: writesDone(writes),
            retries: retriesOf(writes),
          },
          checks,
          notes: [
            'functions in-process (callable, tasks and webhooks of functions/lib); see the comment at the top of bench/throughput.ts.',
            ...(host.taskErrors[0] ? [`first task error: ${host.taskErrors[0]}`] : []),
          ],
        };
      });
    } finally {
      for (const w of watches) w.stop();
      await host.close();
    }
  },
};
