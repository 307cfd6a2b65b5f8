// Task endpoints: payloads delivered to the job queues through the tasks emulator (firebase-admin's
// TaskQueue, as the functions enqueue) that no enqueuer of ours would produce, malformed or naming jobs they
// cannot act on, are acknowledged (one execution each, no retry) and change nothing in the project.
import { randomUUID } from 'node:crypto';
import { getApps } from 'firebase-admin/app';
import { getFunctions } from 'firebase-admin/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP_REASON, fileUser, adminDb, clearFirestore } from './support/index.js';
import { functionsLog } from './hardening/functions-log.js';
import { createVictim, snapshotProject, type ProjectSnapshot, type VictimIds } from './hardening/victim.js';
import { sleep } from './pipeline/jobs.js';

type Body = Record<string, unknown>;

function queue(functionName: string) {
  adminDb(); // the tests' admin app exists from here on
  const app = getApps().find((a) => a.name === 'reelforge-tests')!;
  return getFunctions(app).taskQueue<Body>(`locations/us-central1/functions/${functionName}`);
}

/** The reason the log gives for skipping `jobId`'s delivery (the runner's job_skipped event), if any. */
function skipReason(log: string, jobId: string): string | undefined {
  const line = log
    .split('\n')
    .find((l) => l.includes('"event":"job_skipped"') && l.includes(`"job_id":"${jobId}"`));
  return line ? /"reason":"([^"]*)"/.exec(line)?.[1] : undefined;
}

const finished = (log: string, fn: string) => log.split(`Finished "us-central1-${fn}"`).length - 1;

/**
 * Enqueues every body on its function's queue, all at once, and waits until the functions emulator has run
 * each of them once; returns the part of the functions log written meanwhile.
 */
async function deliverAll(deliveries: { fn: string; body: Body }[]): Promise<string> {
  const start = functionsLog().length;
  const logged = start > 0;
  await Promise.all(
    deliveries.map(({ fn, body }) => queue(fn).enqueue(body, { id: `hardening-${randomUUID()}` })),
  );
  const expected = new Map<string, number>();
  for (const { fn } of deliveries) expected.set(fn, (expected.get(fn) ?? 0) + 1);
  const done = () => [...expected].every(([fn, n]) => finished(functionsLog().slice(start), fn) >= n);
  // Without a log to read (emulators started by hand), the deliveries get a fixed 8 s.
  const deadline = Date.now() + (logged ? 30_000 : 8_000);
  while (Date.now() < deadline && !(logged && done())) await sleep(250);
  // No wait for retries: a delivery the endpoint failed would come back only after the queue's backoff
  // (seconds), so a short wait shows nothing; the cases below count each skip's reason exactly instead.
  return functionsLog().slice(start);
}

describe.skipIf(E2E_SKIP_REASON !== null)('task endpoints acknowledge deliveries they cannot act on', () => {
  const alice = fileUser('alice');
  let v: VictimIds;

  beforeAll(async () => {
    await clearFirestore();
    v = await createVictim(alice);
  });

  const missing = `missing-${randomUUID()}`;
  const gone = `gone-${randomUUID()}`;
  let malformed: Body[];
  let log: string;
  let before: ProjectSnapshot;

  beforeAll(async () => {
    const base = { project_id: v.project, job_id: v.runningJob, type: 'image', scene_id: v.scenes[1] };
    const { type: _type, ...withoutType } = base;
    const { scene_id: _scene, ...withoutScene } = base;
    malformed = [
      {},
      withoutType,
      withoutScene,
      { ...base, type: 'render' },
      { ...base, type: 'teleport' },
      { ...base, extra: true },
      { ...base, project_id: '../projects/x' },
      { ...base, job_id: 'a b' },
      { ...base, attempt_hint: -1 },
      { data: base },
      { project_id: [v.project], job_id: { $ne: null }, type: 'image', scene_id: v.scenes[1] },
    ];
    before = await snapshotProject(v.project);
    log = await deliverAll([
      ...malformed.map((body) => ({ fn: 'jobs-image', body })),
      // Well formed, naming a job that is not there, a project that is not there, a finished job.
      {
        fn: 'jobs-image',
        body: { project_id: v.project, job_id: missing, type: 'image', scene_id: v.scenes[1] },
      },
      {
        fn: 'jobs-image',
        body: { project_id: `deleted-${randomUUID()}`, job_id: gone, type: 'image', scene_id: v.scenes[1] },
      },
      {
        fn: 'jobs-video',
        body: { project_id: v.project, job_id: v.completedJob, type: 'video', scene_id: v.scenes[0] },
      },
      // The running job is an image job: a composition task naming it must not claim it, let alone complete
      // it with a composition.
      {
        fn: 'jobs-composition',
        body: { project_id: v.project, job_id: v.runningJob, type: 'composition', scene_id: v.scenes[1] },
      },
    ]);
  });

  it('nothing of the project changed: document and files', async () => {
    expect(await snapshotProject(v.project)).toEqual(before);
  });

  it('malformed payloads were acknowledged as malformed, each once', () => {
    if (!log) return; // no functions log to read (emulators started by hand): the snapshot check stands
    expect(log.split('"reason":"malformed payload"').length - 1).toBe(malformed.length);
  });

  it('payloads naming missing, deleted or finished jobs were skipped as such', () => {
    if (!log) return;
    expect(skipReason(log, missing)).toBe('missing');
    expect(skipReason(log, gone)).toBe('project deleted');
    expect(skipReason(log, v.completedJob)).toBe('finished');
  });

  it('no delivery claimed a job', () => {
    if (!log) return;
    expect(log).not.toContain('"event":"job_claimed"');
  });
});
