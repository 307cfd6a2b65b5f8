// Cancel does not escape the cap or the budget: a storyboard canceled during its language-model call has
// that call aborted (the stand-in sees its connection close long before it would have answered), its cost
// booked in the ledger and today's spend, and its slot held until the execution has stopped; so with a cap
// of one, start/cancel rounds never have two calls open at the provider.
// The starts run the callable in this process (limits/support.ts) with USER_MAX_ACTIVE_JOBS=1; the jobs
// run in the functions emulator as usual.
import type { HttpsError } from 'firebase-functions/v2/https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  E2E_SKIP_REASON,
  fileUser,
  clearFirestore,
  createProjectRequest,
  mood,
  patchProject,
  readProjectOrFail,
} from './support/index.js';
import { standin } from './pipeline/standin.js';
import { waitForJob } from './pipeline/jobs.js';
import { asUser, eventually, inProcessGeneration, ledgerOf, readUsageDoc } from './limits/support.js';
import { MAX_TOKENS, tokenCost } from '../../functions/src/providers/index.js';

/** Long enough that a call left to run is still open when the test looks, however slow the machine. */
const SLOW_MS = 15_000;
const MODEL = 'gpt-4.1-mini';

describe.skipIf(E2E_SKIP_REASON !== null)('cancel during a provider call', () => {
  const client = fileUser('cancel');
  let api: Awaited<ReturnType<typeof inProcessGeneration>>;
  /** What the first test booked, part of the second test's day. */
  let firstBooked = 0;

  beforeAll(async () => {
    await clearFirestore();
    await standin.clearFaults();
    await standin.configure({ slowMs: SLOW_MS });
    await standin.addFault({ target: 'openai', kind: 'storyboard', fault: 'slow' });
    api = await inProcessGeneration();
    process.env.USER_MAX_ACTIVE_JOBS = '1';
  });
  afterAll(async () => {
    delete process.env.USER_MAX_ACTIVE_JOBS;
    await standin.clearFaults();
    await standin.configure({ slowMs: 3000 });
  });

  async function projectWithMood(): Promise<string> {
    const { project } = await client.call('createProject', createProjectRequest());
    const moods = [mood({ name: 'Morning mist' })];
    await patchProject(project.id, (p) => {
      p.moods = moods;
    });
    await client.call('selectMood', { project_id: project.id, mood_id: moods[0]!.id });
    return project.id;
  }

  /** Starts a storyboard as the callable does; `null` when the cap refused it. */
  async function startStoryboard(projectId: string): Promise<string | null> {
    try {
      const { job_id } = (await api.generateStoryboard.run({
        data: { project_id: projectId },
        auth: await asUser(client),
      } as never)) as { job_id: string };
      return job_id;
    } catch (err) {
      if ((err as HttpsError).code !== 'resource-exhausted') throw err;
      expect((err as HttpsError).message).toMatch(/You have 1 jobs running and the limit is 1/);
      return null;
    }
  }

  const openCalls = async () => (await standin.stats()).openCompletions;

  it('aborts the call, books its cost and holds the slot until the execution stopped', async () => {
    const projectId = await projectWithMood();
    await standin.resetStats();
    const jobId = (await startStoryboard(projectId))!;
    await waitForJob(projectId, jobId, ['processing']);
    await eventually(openCalls, (n) => n === 1, 30_000);
    const canceledAt = Date.now();
    expect(await client.call('cancelJob', { project_id: projectId, job_id: jobId })).toMatchObject({
      status: 'canceled',
    });
    // The call is aborted within the execution's stop check, long before the stand-in would answer it.
    await eventually(openCalls, (n) => n === 0, SLOW_MS - 5_000);
    const abortedAfterMs = Date.now() - canceledAt;

    const usage = await eventually(
      () => readUsageDoc(client.uid),
      (u) => u!.active_jobs === 0,
    );
    const [entry] = await ledgerOf(projectId);
    expect(entry).toMatchObject({ job_id: jobId, status: 'canceled' });
    // The aborted call is booked at its ceiling: at least its max_completion_tokens of output.
    const outputCeiling = tokenCost(MODEL, { input_tokens: 0, output_tokens: MAX_TOKENS.storyboard });
    expect(entry!.actual_usd).toBeGreaterThan(outputCeiling);
    expect(usage!.spent_today_usd).toBeCloseTo(entry!.actual_usd, 6);
    expect(usage!.spent_month_usd).toBeCloseTo(entry!.actual_usd, 6);
    const summary = (await client.call('getUsage', {})).usage;
    expect(summary).toMatchObject({ active_jobs: 0, reserved_usd: 0 });
    expect(summary.spent_today_usd).toBeCloseTo(entry!.actual_usd, 6);
    expect((await readProjectOrFail(projectId)).active_job?.status).toBe('canceled');
    firstBooked = entry!.actual_usd;
    console.info(
      `cost booked for a canceled call: $${entry!.actual_usd} (estimate $${entry!.estimated_usd}); ` +
        `the call was closed ${abortedAfterMs} ms after the cancel`,
    );
  }, 90_000);

  it('with a cap of 1, five start/cancel rounds never have more than one call open at the provider', async () => {
    const projectId = await projectWithMood();
    await standin.resetStats();
    let refused = 0;
    const jobs: string[] = [];
    for (let round = 0; round < 5; round++) {
      let jobId: string | null = null;
      const deadline = Date.now() + 30_000;
      while (!(jobId = await startStoryboard(projectId))) {
        refused += 1;
        if (Date.now() > deadline) throw new Error(`round ${round}: the slot was never freed`);
        await new Promise((r) => setTimeout(r, 200));
      }
      jobs.push(jobId);
      await eventually(openCalls, (n) => n >= 1, 30_000);
      await client.call('cancelJob', { project_id: projectId, job_id: jobId });
    }
    // Never two at once: each canceled call was closed before the next start was admitted.
    expect((await standin.stats()).maxOpenCompletions).toBe(1);
    await eventually(openCalls, (n) => n === 0, SLOW_MS - 5_000);
    // The next start came while the canceled execution was still stopping: the cap held it back.
    expect(refused).toBeGreaterThan(0);

    const usage = await eventually(
      () => readUsageDoc(client.uid),
      (u) => u!.active_jobs === 0,
    );
    const ledger = await ledgerOf(projectId);
    expect(ledger.map((e) => e.job_id).sort()).toEqual([...jobs].sort());
    for (const e of ledger) {
      expect(e.status).toBe('canceled');
      expect(e.actual_usd).toBeGreaterThan(0);
    }
    const booked = ledger.reduce((sum, e) => sum + e.actual_usd, 0);
    // Today's spend is this test's five calls and the first test's one, nothing left out.
    expect(usage!.spent_today_usd).toBeCloseTo(firstBooked + booked, 6);
    console.info(`5 start/cancel rounds at a cap of 1: ${refused} starts refused while a call stopped`);
  }, 180_000);
});
