// Child process of the write-budget benchmark: one phase, 20 image jobs on one project with the functions
// bundle at the given path running in this process (bench/lib/in-process.ts), every project write counted and
// timed. A process per phase: two bundles in one process would share firebase-admin's Firestore instance,
// whose settings the second cannot set; and each phase then starts as fresh as a new instance does.
//   write-budget-phase.ts <label> <bundle path or "-" for this checkout's> <uid> <scenes> <seconds>
// Prints one JSON line (PhaseRow).
import { isFinishedJobStatus, jobsOf, type ProjectDoc } from '@reelforge/schema';
import { LIMIT_DEFAULTS } from '../../functions/src/config.js';
import { startInProcessFunctions } from '../lib/in-process.js';
import { seedProject } from '../lib/seed.js';
import { percentile, sleep } from '../lib/stats.js';
import { countWrites } from '../lib/writes.js';
import { ProjectWatch } from '../lib/watch.js';
import { progressStream } from '../writes-per-job.js';
import { callerAuth } from '../lib/caller.js';

const WINDOW_MS = 10_000;

export interface PhaseRow {
  label: string;
  jobs: number;
  completed: number;
  /** Completed jobs whose keyframe path is not their own: an update lost. */
  lost: number;
  writes: number;
  /** Highest count of project writes in any 10 s window, per second: over the whole run, and after the start. */
  peakAll: number;
  peakAfterStart: number;
  mean: number;
  lostRaces: number;
  written: number;
  lagP50: number;
  lagP95: number;
  lagMax: number;
  /** Seconds from the first start call until every job had its prediction (the start burst). */
  startBurstS: number;
  wallS: number;
  progressReports: number;
  taskErrors: number;
  /** Writes per second in consecutive 10 s windows from the first write: the shape of the run. */
  windows: number[];
}

/** The most writes in any window of `WINDOW_MS` that starts at a write at or after `from`, per second. */
function peakRate(times: readonly number[], from: number): number {
  let peak = 0;
  for (const start of times) {
    if (start < from) continue;
    const inWindow = times.filter((t) => t >= start && t < start + WINDOW_MS).length;
    peak = Math.max(peak, inWindow);
  }
  return peak / (WINDOW_MS / 1000);
}

const ownPathKept = (project: ProjectDoc) =>
  project.scenes.filter(
    (s) => s.active_job?.status === 'completed' && !s.assets.thumbnail_path?.includes(s.active_job.job_id),
  ).length;

export async function runPhase(
  label: string,
  uid: string,
  scenes: number,
  seconds: number,
  bundlePath: string | undefined,
): Promise<PhaseRow> {
  // The per-user cap on unfinished jobs (USER_MAX_ACTIVE_JOBS, 10 by default) landed after this benchmark
  // and would refuse every start past the tenth with resource-exhausted; this measures one project's
  // document, not admission, so the benchmark's user may hold one job per scene, as an operator would allow.
  const host = await startInProcessFunctions(
    // Likewise the per-user share of the image queue (a third of its 30 dispatches): off for this user.
    {
      USER_MAX_ACTIVE_JOBS: String(Math.max(scenes, LIMIT_DEFAULTS.maxActiveJobs)),
      USER_QUEUE_SHARE_DIVISOR: '1',
    },
    bundlePath,
  );
  const counter = countWrites();
  const project = await seedProject({ uid: uid, scenes, name: `write-budget ${label}` });
  const path = `projects/${project.id}`;
  const watch = await ProjectWatch.start(project.id);
  const errorsBefore = host.taskErrors.length;
  try {
    const counts = counter.reset();
    const started = Date.now();
    const jobIds = await Promise.all(
      project.scenes.map(async (scene) => {
        const answer = (await host.bundle.generateSceneAsset.run({
          data: { project_id: project.id, scene_id: scene.id, type: 'image' },
          auth: await callerAuth(uid),
        })) as { job_id: string };
        return answer.job_id;
      }),
    );
    const handedOver = watch
      .waitFor(
        (p) =>
          jobIds.every((id) =>
            jobsOf(p).some((j) => j.job_id === id && (j.provider_ref || isFinishedJobStatus(j.status))),
          ),
        120_000,
        'every prediction to start',
      )
      .then(() => Date.now());
    const reports = await Promise.all(
      jobIds.map((id) => progressStream(watch, project.id, id, seconds, host.webhookUrl)),
    );
    const final = await watch.waitFor(
      (p) => jobIds.every((id) => jobsOf(p).some((j) => j.job_id === id && isFinishedJobStatus(j.status))),
      (seconds + 120) * 1000,
      'every job to finish',
    );
    const burstEnd = await handedOver;
    const wallS = (Date.now() - started) / 1000;
    await sleep(1_500); // a late write after the last completion counts too
    const times = [...(counts.writeTimes.get(path) ?? [])].sort((a, b) => a - b);
    const first = times[0] ?? started;
    const last = times.at(-1) ?? started;
    const windows: number[] = [];
    for (let start = first; start <= last; start += WINDOW_MS) {
      windows.push(times.filter((t) => t >= start && t < start + WINDOW_MS).length / (WINDOW_MS / 1000));
    }
    const lags = watch.sightings.filter((s) => jobIds.includes(s.jobId)).map((s) => s.seenAt - s.changedAt);
    return {
      label,
      jobs: jobIds.length,
      completed: jobsOf(final).filter((j) => jobIds.includes(j.job_id) && j.status === 'completed').length,
      lost: ownPathKept(final),
      writes: times.length,
      peakAll: peakRate(times, 0),
      peakAfterStart: peakRate(times, burstEnd),
      mean: times.length / Math.max(1, (last - first) / 1000),
      lostRaces: counts.conditional.conflicts,
      written: counts.conditional.written,
      lagP50: percentile(lags, 50),
      lagP95: percentile(lags, 95),
      lagMax: percentile(lags, 100),
      startBurstS: (burstEnd - started) / 1000,
      wallS,
      progressReports: reports.reduce((a, b) => a + b, 0),
      taskErrors: host.taskErrors.length - errorsBefore,
      windows,
    };
  } finally {
    watch.stop();
    await host.close();
  }
}

const [label, bundle, uid, scenes, seconds] = process.argv.slice(2);
if (!label || !bundle || !uid || !scenes || !seconds) {
  process.stderr.write('usage: write-budget-phase.ts <label> <bundle|-> <uid> <scenes> <seconds>\n');
  process.exit(2);
}
const row = await runPhase(label, uid, Number(scenes), Number(seconds), bundle === '-' ? undefined : bundle);
process.stdout.write(`\n${JSON.stringify(row)}\n`);
process.exit(0);
