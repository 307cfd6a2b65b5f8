// Replicate's webhook endpoint. Accepts only correctly signed, fresh, not-yet-seen deliveries; records
// progress (throttled like every progress write) and, when the prediction is finished, enqueues the job's
// task again so it persists the output (or fails the job) under the same job-id guard as any delivery.
import { onRequest } from 'firebase-functions/v2/https';
import { drainFollowUps } from '../projects/follow-ups.js';
import { Timestamp } from 'firebase-admin/firestore';
import type { Request } from 'firebase-functions/v2/https';
import type { Response } from 'express';
import { IdSchema, type ProjectDoc } from '@reelforge/schema';
import { REGION, secrets } from '../config.js';
import { GRPC, NotFound, hasCode } from '../errors.js';
import { db } from '../firebase.js';
import { errorText, log } from '../log.js';
import { isTerminal, verifyReplicateWebhook, type PredictionState } from '../providers/index.js';
import { parseProject, projectRef } from '../projects/store.js';
import { enqueueJob, resumeTaskId } from '../jobs/queues.js';
import { findJob, isLiveJob, type JobLocation } from '../jobs/state.js';
import { progressDecision } from '../jobs/progress.js';
import { recordProgress } from '../jobs/progress-write.js';

// No size cap of our own. Every delivery Replicate makes carries the whole prediction, logs included, so a
// model that prints a lot (a token counter per step, a library warning per frame) sends bodies that grow to
// megabytes by completion; a cap refused exactly those completions, and the job then waited for the sweep.
// The bytes are already in memory when this code runs (the Functions Framework reads and parses up to 32 MiB
// before calling us: Cloud Run's request limit), so refusing them saved nothing, and verifying the
// signature over any size is one HMAC pass. Bodies above this are logged so a chatty model shows up.
const LARGE_BODY_BYTES = 1024 * 1024;
const DELIVERIES = 'webhook_deliveries';
/** Seen ids are kept past the signature's freshness window (5 min), after which a replay is refused as stale. */
const SEEN_TTL_MS = 24 * 60 * 60 * 1000;

type Outcome = { status: number; body: string };

/**
 * The endpoint is public: anyone can send it bodies up to the Framework's 32 MiB, and each is read and parsed
 * before its signature is checked. Parsing a 32 MiB body of small JSON values takes about 230 MiB
 * (measured with Node 20 by test/unit/webhook-sizing.test.ts, the 32 MiB buffer included), so an instance holds
 * `concurrency` of them in its `memory` with room for the runtime: at the default 80 x 256 MiB a few
 * unsigned large bodies exhausted an instance while real completions waited for the sweep. Deliveries are
 * short (a verify, a few writes), so more instances carry the throughput the lower concurrency gives up.
 */
export const WEBHOOK_SIZING = { memory: '2GiB', cpu: 1, concurrency: 4, maxInstances: 50 } as const;

export const replicateWebhook = onRequest(
  { region: REGION, secrets: [secrets.replicateWebhookSecret], ...WEBHOOK_SIZING },
  async (req, res) => {
    const outcome = await handleWebhook(req).catch((err: unknown): Outcome => {
      log.webhook('error', { error: errorText(err) });
      // A 5xx makes Replicate deliver again later.
      return { status: 500, body: 'error' };
    });
    // A webhook that ended a job lets its production go on before the answer.
    await drainFollowUps();
    (res as Response).status(outcome.status).send(outcome.body);
  },
);

export async function handleWebhook(req: Request): Promise<Outcome> {
  if (req.method !== 'POST') return { status: 405, body: 'method not allowed' };
  const raw = req.rawBody;
  if (!raw || raw.length === 0) return { status: 400, body: 'empty body' };
  const verified = verifyReplicateWebhook({
    headers: req.headers,
    rawBody: raw,
    secret: secrets.replicateWebhookSecret.value(),
  });
  if (!verified.ok) {
    if (verified.reason === 'weak-secret') {
      // Our configuration, not the sender, is wrong: say why, and answer 5xx so Replicate delivers again
      // once the secret is fixed.
      log.webhook('refused', { reason: verified.reason, detail: verified.detail });
      return { status: 500, body: 'webhook secret misconfigured' };
    }
    log.webhook('refused', { reason: verified.reason });
    return { status: verified.reason === 'malformed' ? 400 : 401, body: verified.reason };
  }
  if (raw.length > LARGE_BODY_BYTES)
    log.webhook('large', { bytes: raw.length, prediction: verified.state.id });
  const projectId = String(req.query.project_id ?? '');
  const jobId = String(req.query.job_id ?? '');
  if (!IdSchema.safeParse(projectId).success || !IdSchema.safeParse(jobId).success) {
    return { status: 400, body: 'missing job reference' };
  }

  // Replay guard: the first delivery of an id creates its marker; any later one finds it and stops here.
  const marker = db().collection(DELIVERIES).doc(verified.webhookId);
  try {
    await marker.create({
      received_at: Timestamp.now(),
      expire_at: Timestamp.fromMillis(Date.now() + SEEN_TTL_MS),
    });
  } catch (err) {
    if (hasCode(err, GRPC.ALREADY_EXISTS)) {
      log.webhook('replay', { webhook_id: verified.webhookId });
      return { status: 200, body: 'already seen' };
    }
    throw err;
  }

  try {
    await applyDelivery(projectId, jobId, verified.state);
  } catch (err) {
    // Let Replicate's retry of this same delivery through.
    await marker.delete().catch(() => undefined);
    throw err;
  }
  return { status: 200, body: 'ok' };
}

/** The job's own, still running prediction: anything else is late news about old work. */
function liveJobFor(project: ProjectDoc, jobId: string, predictionId: string): JobLocation | undefined {
  const loc = findJob(project, jobId);
  if (!isLiveJob(loc) || !(loc.job.provider_ref ?? '').split(',').includes(predictionId)) return undefined;
  return loc;
}

async function applyDelivery(projectId: string, jobId: string, state: PredictionState) {
  // A plain read first: most deliveries (logs lines) change nothing, and the project document is hot, so
  // only a delivery that will write goes through `mutateProject`.
  const snap = await projectRef(projectId).get();
  if (!snap.exists) return;
  const project = parseProject(projectId, snap.data());
  const loc = liveJobFor(project, jobId, state.id);
  if (!loc) return;

  if (isTerminal(state.status)) {
    // The task persists the output (or fails the job) under the same guards as every delivery. The task id
    // derives from the prediction, so Replicate redelivering this webhook cannot start a second task, and a
    // cancel knows the id to delete.
    await enqueueJob(projectId, loc.job, loc.scene?.id, resumeTaskId(jobId, state.id)).catch(
      (err: unknown) => {
        if ((err as { code?: string }).code === 'functions/task-already-exists') return;
        throw err;
      },
    );
    log.webhook('resumed', { project_id: projectId, job_id: jobId });
    return;
  }
  // The budget is checked on the plain read first (most reports are not worth a write), then again on the
  // fresh document inside the write.
  if (!progressDecision(loc.job, project, state.progress, Date.now()).write) return;
  await recordProgress(projectId, state.progress, (p) => liveJobFor(p, jobId, state.id)?.job).catch(
    (err: unknown) => {
      // The project was deleted meanwhile: nothing left to report progress to.
      if (!(err instanceof NotFound)) throw err;
    },
  );
}
