// The Replicate webhook endpoint refuses whatever is not a correctly signed, fresh, first delivery:
// unsigned, mis-signed (however large), tampered, stale, from the future, malformed, the wrong method, ids
// that are no ids, and replays (answered 200 "already seen", so Replicate stops retrying). None of them
// changes the project document or records a delivery. A correctly signed, fresh delivery is accepted, large
// or small, and records the progress it reports.
import { beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP_REASON, fileUser, adminDb, clearFirestore, readProjectOrFail } from './support/index.js';
import {
  deliver,
  newWebhookId,
  nowSeconds,
  progressBody,
  signedHeaders,
  verboseProgressBody,
  type Delivery,
} from './hardening/webhook.js';
import { progressDecision } from '../../functions/src/jobs/progress.js';
import { createVictim, snapshotProject, type VictimIds } from './hardening/victim.js';

const DELIVERIES = 'webhook_deliveries';
const deliveryCount = async () => (await adminDb().collection(DELIVERIES).count().get()).data().count;

const MIB = 1024 * 1024;
/** A different key in Replicate's format. */
const WRONG_SECRET = `whsec_${Buffer.from('not-the-reelforge-webhook-secret').toString('base64')}`;

describe.skipIf(E2E_SKIP_REASON !== null)(
  'webhook endpoint: only signed, fresh, first deliveries count',
  () => {
    const alice = fileUser('alice');
    let v: VictimIds;

    beforeAll(async () => {
      await clearFirestore();
      v = await createVictim(alice);
    });

    const progress = (percent: number) => progressBody(v.runningPrediction, percent);
    const to = (
      body: string | Buffer,
      headers: Record<string, string>,
      extra: Partial<Delivery> = {},
    ): Delivery => ({
      projectId: v.project,
      jobId: v.runningJob,
      body,
      headers,
      ...extra,
    });

    const refusals: { why: string; delivery: () => Delivery; status: number[] }[] = [
      {
        why: 'unsigned',
        delivery: () => to(progress(50), { 'content-type': 'application/json' }),
        status: [401],
      },
      {
        why: 'signed with another key',
        delivery: () => to(progress(50), signedHeaders(progress(50), { secret: WRONG_SECRET })),
        status: [401],
      },
      {
        why: 'body changed after signing',
        delivery: () => to(progress(60), signedHeaders(progress(50))),
        status: [401],
      },
      {
        why: 'signature of another delivery id',
        delivery: () => {
          const headers = signedHeaders(progress(50));
          return to(progress(50), { ...headers, 'webhook-id': newWebhookId() });
        },
        status: [401],
      },
      {
        why: 'stale (signed ten minutes ago)',
        delivery: () => to(progress(50), signedHeaders(progress(50), { timestamp: nowSeconds() - 600 })),
        status: [401],
      },
      {
        why: 'from the future (ten minutes ahead)',
        delivery: () => to(progress(50), signedHeaders(progress(50), { timestamp: nowSeconds() + 600 })),
        status: [401],
      },
      {
        why: 'a timestamp that is no number',
        delivery: () =>
          to(progress(50), { ...signedHeaders(progress(50)), 'webhook-timestamp': 'yesterday' }),
        status: [400, 401],
      },
      {
        why: 'signed but not JSON',
        delivery: () => to('this is not json', signedHeaders('this is not json')),
        status: [400],
      },
      {
        why: 'signed JSON without a prediction id',
        delivery: () => to('{"status":"processing"}', signedHeaders('{"status":"processing"}')),
        status: [400],
      },
      {
        // Size buys nothing: a big body is judged by its signature like any other.
        why: 'large (4 MiB of logs) and signed with another key',
        delivery: () => {
          const body = verboseProgressBody(v.runningPrediction, 90, 4 * MIB);
          return to(body, signedHeaders(body, { secret: WRONG_SECRET }));
        },
        status: [401],
      },
      {
        why: 'project and job ids that are no ids',
        delivery: () =>
          to(progress(50), signedHeaders(progress(50)), { projectId: '../projects/x', jobId: 'a b' }),
        status: [400],
      },
      {
        why: 'GET instead of POST',
        delivery: () => to('', signedHeaders(''), { method: 'GET' }),
        status: [405],
      },
    ];

    it.each(refusals)(
      'refuses a delivery that is $why, and nothing changes',
      async ({ delivery, status }) => {
        const [snapshot, recorded] = await Promise.all([snapshotProject(v.project), deliveryCount()]);
        const answer = await deliver(delivery());
        expect(status, `answered ${answer.status} ${answer.text}`).toContain(answer.status);
        expect(await snapshotProject(v.project)).toEqual(snapshot);
        expect(await deliveryCount()).toBe(recorded);
      },
    );

    it('news about another prediction is acknowledged and ignored', async () => {
      const snapshot = await snapshotProject(v.project);
      const body = progressBody('some-other-prediction', 80);
      const answer = await deliver(to(body, signedHeaders(body)));
      expect(answer.status).toBe(200);
      expect(await snapshotProject(v.project)).toEqual(snapshot);
    });

    it('accepts a correctly signed delivery once; its replay is answered "already seen" and changes nothing', async () => {
      const body = progress(50);
      const headers = signedHeaders(body);
      const accepted = await deliver(to(body, headers));
      expect(accepted).toEqual({ status: 200, text: 'ok' });
      const after = await readProjectOrFail(v.project);
      const job = after.scenes.find((s) => s.active_job?.job_id === v.runningJob)?.active_job;
      expect(job?.progress).toBe(50);

      const snapshot = await snapshotProject(v.project);
      const recorded = await deliveryCount();
      // The same delivery again, re-signed now as a retry would be, and byte for byte as first sent.
      const replay = await deliver(to(body, signedHeaders(body, { id: headers['webhook-id'] })));
      const verbatim = await deliver(to(body, headers));
      expect([replay.status, replay.text]).toEqual([200, 'already seen']);
      expect([verbatim.status, verbatim.text]).toEqual([200, 'already seen']);
      expect(await snapshotProject(v.project)).toEqual(snapshot);
      expect(await deliveryCount()).toBe(recorded);
    });

    it('accepts a correctly signed delivery of a model that logs a lot (2 MiB) and records its progress', async () => {
      // Every delivery carries the whole log so far; a cap on the body refused exactly these, completions
      // included. It is sent once the progress budget (the runner's own rule) lets a report through, so the
      // progress it reports is written.
      const running = await readProjectOrFail(v.project);
      const reporting = running.scenes.find((s) => s.active_job?.job_id === v.runningJob)!.active_job!;
      const decision = progressDecision(reporting, running, 80, Date.now());
      if (!decision.write) await new Promise((r) => setTimeout(r, decision.notBeforeMs - Date.now() + 50));
      const body = verboseProgressBody(v.runningPrediction, 80, 2 * MIB);
      const recorded = await deliveryCount();
      const answer = await deliver(to(body, signedHeaders(body)));
      expect(answer).toEqual({ status: 200, text: 'ok' });
      expect(await deliveryCount()).toBe(recorded + 1);
      const after = await readProjectOrFail(v.project);
      const job = after.scenes.find((s) => s.active_job?.job_id === v.runningJob)?.active_job;
      expect(job?.progress).toBe(80);
    });
  },
);
