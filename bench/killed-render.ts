// Benchmark: a render whose worker is killed mid-run (the task of its format, jobs/parts.ts) (out of memory, its timeout, the instance reclaimed).
// Cloud Tasks sees the delivery fail and retries it with the queue's backoff; each retry meets the dead
// execution's live claim and is handed back (JobBusy, no attempt spent) until the claim's heartbeat has been
// silent HEARTBEAT_LOST_SECONDS, when the next delivery takes the job over as killed and renders again.
// Measured end to end on the emulators: the render runs in the functions emulator's worker, which this
// benchmark kills (SIGKILL, found by its FUNCTION_TARGET), and the tasks emulator retries it with Cloud
// Tasks' own backoff formula and the render queue's retry config. Before #11 the retries met a 30-minute
// lease and were acknowledged, so only the stale sweep recovered the job: 20-25 minutes.
import { readdirSync, readFileSync } from 'node:fs';
import { HEARTBEAT_LOST_SECONDS } from '../functions/src/jobs/state.js';
import { JOB_STALE_MINUTES } from '@reelforge/schema';
import { TestClient, readProjectOrFail } from '../test/e2e/support/index.js';
import {
  expectCompleted,
  projectWithStoryboard,
  runSceneJob,
  waitForJob,
} from '../test/e2e/pipeline/jobs.js';
import type { Benchmark } from './lib/bench.js';
import type { Check } from './lib/report.js';
import { round, sleep } from './lib/stats.js';

/** The functions emulator's workers running a function, by the entry point it gives them. */
function workersOf(entryPoint: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (env.includes(`FUNCTION_TARGET=${entryPoint}`)) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

const minutes = (ms: number) => round(ms / 60_000, 2);

export const killedRender: Benchmark = {
  name: 'killed-render',
  summary: 'a render killed mid-run: minutes until Cloud Tasks has it rendering again, and until it is done',
  needs: 'harness',
  smoke: {
    unsmokable:
      "the tasks emulator's own retry backoff takes the killed render over after about 3.5 minutes; no option shortens it",
  },
  options: {
    'timeout-minutes': {
      description: 'give up waiting for the retried render after this long',
      default: '12',
    },
  },
  async run(options) {
    const client = await TestClient.signUp(`killed-render-${Date.now()}`);
    try {
      const project = await projectWithStoryboard(client, 1);
      const scene = project.scenes[0]!;
      for (const type of ['composition', 'image', 'video', 'audio', 'voiceover'] as const) {
        await runSceneJob(client, project.id, scene.id, type);
      }
      const { job_id } = await client.call('renderProject', { project_id: project.id });
      // The render's one format is its own task (jobs/parts.ts): claimed by its first execution, which is
      // rendering now.
      const format = project.settings.aspect_ratio;
      const partOf = async () => {
        const job = (await readProjectOrFail(project.id)).active_job;
        return job?.job_id === job_id ? job.parts?.[format] : undefined;
      };
      await waitForJob(project.id, job_id, ['processing'], 120_000);
      const claimedBy = Date.now() + 120_000;
      while ((await partOf())?.status !== 'processing' && Date.now() < claimedBy) await sleep(200);
      await sleep(1_000);
      const victims = workersOf('jobs.render');
      if (victims.length === 0) throw new Error('no functions-emulator worker runs jobs.render');
      for (const pid of victims) process.kill(pid, 'SIGKILL');
      const killedAt = Date.now();

      // Watch until a second execution holds it, then until it ends.
      const deadline = killedAt + options.number('timeout-minutes') * 60_000;
      let retakenAt: number | undefined;
      while (Date.now() < deadline && retakenAt === undefined) {
        if (((await partOf())?.attempt ?? 0) >= 2) retakenAt = Date.now();
        else await sleep(500);
      }
      if (retakenAt === undefined) throw new Error('the killed render was not taken over in time');
      const { job } = await expectCompleted(project.id, job_id, Math.max(60_000, deadline - Date.now()));
      const doneAt = Date.now();

      const checks: Check[] = [
        {
          kind: 'correctness',
          name: "the killed render completes on its format's second attempt",
          ok: job.parts?.[format]?.attempt === 2 && job.status === 'completed',
          detail: `format attempt ${job.parts?.[format]?.attempt}, job attempt ${job.attempt}, ${job.status}`,
        },
        {
          kind: 'target',
          name: `retried well before the sweep would have (its stale limit, ${JOB_STALE_MINUTES.render} min)`,
          ok: retakenAt - killedAt < JOB_STALE_MINUTES.render * 60_000,
          detail: `${minutes(retakenAt - killedAt)} min`,
        },
      ];
      return {
        tables: [
          {
            title: 'A render killed mid-run',
            columns: ['event', 'minutes after the kill'],
            rows: [
              ['taken over by a retried delivery (attempt 2)', minutes(retakenAt - killedAt)],
              ['render completed', minutes(doneAt - killedAt)],
            ],
          },
        ],
        figures: {
          retried_min: minutes(retakenAt - killedAt),
          completed_min: minutes(doneAt - killedAt),
          heartbeat_lost_s: HEARTBEAT_LOST_SECONDS,
          sweep_would_min: JOB_STALE_MINUTES.render,
        },
        checks,
      };
    } finally {
      await client.close();
    }
  },
};
