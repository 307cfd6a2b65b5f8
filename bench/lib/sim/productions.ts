// Many users' productions in simulated time, through the project's own decisions: the planner
// (jobs/production/plan.ts), the placing part of an advance or of a job's ending write (advance.ts
// `placeNext`: the hand-off), admission on each user's usage record (usage/admission.ts `admitPrefix`, with
// the queue shares of queue-shares.ts and the global ceiling's check), the production's hold (holds.ts
// `placeHold`), the settle of ended jobs (settle.ts `settleSlots`), the job state machine (state.ts: claim,
// complete, decideFailure) and the retry rules (retry.ts: failureKind and the queues' retry config), on
// documents held in memory. What the simulation supplies itself: the time things take (the providers'
// latency figures, the platform's overheads), the providers' rate limits, Cloud Tasks' dispatch
// (cloud-tasks.ts), and the count of Firestore writes.
//
// A job's task runs as runner.ts runs it: claim (a project write), the provider work, then one write that
// ends it. A completion takes the production's next steps' slots first (the ending job's own counted as
// free) and places them in that same write; then its settle on the usage record (one batch: the record and
// the ledger entry) and the follow-up advance, before the task answers. A Replicate job creates its
// prediction, records it with the lease released (a write) and answers; the prediction's webhook enqueues its
// resume on the same queue, which claims again (no attempt spent), reads the prediction and saves the output.
// A 429 is a retryable ProviderError: the job is requeued while attempts remain and the task fails, so Cloud
// Tasks retries it with its backoff; after the last attempt the job fails and blocks its step.
import { createRequire } from 'node:module';
import type * as ErrorsModule from '../../../functions/src/errors.js';
import type * as ProvidersModule from '../../../functions/src/providers/errors.js';
import { Timestamp } from 'firebase-admin/firestore';
import {
  SCENE_ASSET_FIELD,
  findJob,
  isActiveProductionStatus,
  SceneAssetTypeSchema,
  type ActiveJobDoc,
  type JobType,
  type ProjectDoc,
  type UsageDoc,
} from '@reelforge/schema';
import { LIMIT_DEFAULTS } from '../../../functions/src/config.js';
import { estimateJobCost } from '../../../functions/src/jobs/estimate.js';
import { adSeconds } from '../../../functions/src/jobs/handlers/music.js';
import {
  placeNext,
  type Candidate,
  type NextSteps,
  type Placed,
} from '../../../functions/src/jobs/production/advance.js';
import { newProduction, priceProduction } from '../../../functions/src/jobs/production/estimate.js';
import { planProduction } from '../../../functions/src/jobs/production/plan.js';
import { queueShare } from '../../../functions/src/jobs/queue-shares.js';
import {
  PERSIST_SECONDS,
  POOL_USE,
  RENDER_SECONDS_PER_FORMAT,
  type QueueSizing,
} from '../../../functions/src/jobs/queue-sizing.js';
import { JOB_LEASE_SECONDS, JOB_TYPES, LABEL } from '../../../functions/src/jobs/registry.js';
import { failureKind, taskRetryConfig } from '../../../functions/src/jobs/retry.js';
import { claimJob, completeJob, decideFailure } from '../../../functions/src/jobs/state.js';
import { newProject } from '../../../functions/src/projects/new-project.js';
import { insertScene, newScene } from '../../../functions/src/projects/scenes.js';
import { NO_CHANGE, emptyUsage, type Limits } from '../../../functions/src/projects/usage/record.js';
import {
  admissionRefusal,
  admitPrefix,
  type PartialAdmission,
} from '../../../functions/src/projects/usage/admission.js';
import { checkGlobalCeiling } from '../../../functions/src/projects/usage/global-ceiling.js';
import { placeHold } from '../../../functions/src/projects/usage/holds.js';
import { settleSlots } from '../../../functions/src/projects/usage/settle.js';
import type { QueueShares } from '../../../functions/src/projects/usage/fair-share.js';
import { isRetryableStatus } from '../../../functions/src/providers/errors.js';
import type { LatencyKind, RateLimit, RatePool } from '../../../functions/src/providers/capacity.js';
import { LatencyDraws, type Latencies } from '../../../scripts/standin/latency.js';
import { createProjectRequest, mood } from '../../../test/e2e/support/fixtures.js';
import { SimQueue, type TaskResult } from './cloud-tasks.js';
import { Simulator } from './events.js';
import { ProviderPool } from './providers.js';
import { WriteLog, rampAllowance } from './firestore.js';

// Under tsx, a module of the functions package (CommonJS) that this ES module imports is loaded once for the
// import and once more for the functions' own require()s of it: two copies of each class, and `instanceof`
// fails across them. The classes whose identity the functions check (retry.ts's `instanceof ProviderError`,
// the LimitReached the admission throws) are taken from the require() copy; vitest
// (the unit tests) loads every module once, so there they are imported.
type Errors = typeof ErrorsModule;
type Providers = typeof ProvidersModule;
const require = createRequire(import.meta.url);
const load = async <T>(path: string): Promise<T> =>
  process.env.VITEST ? ((await import(path)) as T) : (require(path) as T);
const { LimitReached } = await load<Errors>('../../../functions/src/errors.js');
const { ProviderError } = await load<Providers>('../../../functions/src/providers/errors.js');
type ProviderError = InstanceType<typeof ProviderError>;

/** Where the functions run: the time the platform itself takes around the providers' work. */
export interface Platform {
  name: string;
  /** From a task's dispatch to its handler running (Cloud Tasks to the function, an instance warm). */
  dispatchSeconds: number;
  /** Extra for a dispatch that needs a new instance (beyond the most that ran at once before). */
  coldStartSeconds: number;
  /** One Firestore read-check-write round trip. */
  writeSeconds: number;
  /** startProduction's own work before its first jobs are enqueued (auth, reads, the hold, the writes). */
  callableSeconds: number;
  /** From a prediction's end to its resume task enqueued (the webhook's delivery and its function). */
  webhookSeconds: number;
  /** Multiplies PERSIST_SECONDS and the render's time (a slower or faster machine). */
  workScale: number;
}

export interface SimConfig {
  users: number;
  /** Users start their productions spread evenly over this many seconds. */
  startWindowSeconds: number;
  scenes: number;
  /** Queue settings per job type (the registry's, or another table to compare). */
  queues: Readonly<Record<JobType, QueueSizing>>;
  /** Provider limits; null: none (the stand-in refuses nothing for rate). */
  limits: Record<RatePool, RateLimit> | null;
  latencies: Latencies;
  platform: Platform;
  /** The deployment's per-user limits and its global daily ceiling (USD). */
  userLimits: Limits;
  globalDailyBudgetUsd: number;
  seed: number;
  /** Simulated seconds after which the run stops (productions not finished by then count as not finished). */
  horizonSeconds: number;
}

export interface Limit {
  at: number;
  what: string;
}

export interface SimResult {
  users: number;
  completed: number;
  failed: number;
  unfinished: number;
  /** Seconds from startProduction to the production completed, per completed production. */
  timesToAd: number[];
  costPerAd: number[];
  provider: Record<string, { accepted: number; refused: number; firstRefusal?: number }>;
  /** Task deliveries retried by Cloud Tasks (429s and other retryable failures). */
  retries: number;
  jobsFailed: number;
  queues: Record<string, { dispatched: number; peakRunning: number; p95WaitS: number; maxWaitS: number }>;
  /** Every limit met, each the first time, in order. */
  limits: Limit[];
  peakProjectWrites1s: number;
  peakProjectWrites10s: number;
  peakDatabaseWrites1s: number;
  writesPerStep: number;
  /** When the database's writes first passed what the 500/50/5 ramp allows (a new database), if ever. */
  rampExceededAt?: number;
  events: number;
  simulatedSeconds: number;
  /** Why productions did not finish, counted by reason. */
  stuck: Record<string, number>;
}

const EPOCH_MS = Date.UTC(2026, 11, 3, 9, 0, 0);
const stamp = (t: number) => Timestamp.fromMillis(EPOCH_MS + Math.round(t * 1000));

interface User {
  uid: string;
  project: ProjectDoc;
  usage: UsageDoc;
  productionId: string;
  startedAt: number;
  endedAt?: number;
  costUsd: number;
  steps: number;
}

/** Where each job's simulated state lives that the document does not hold. */
interface JobSide {
  user: User;
  /** When its prediction ends (a Replicate job that created one). */
  predictionEnds?: number;
  /** Predictions a moods job created so far (they are resumed by its next attempt). */
  created: number;
}

export function simulate(config: SimConfig): SimResult {
  const sim = new Simulator();
  const draws = new LatencyDraws(config.seed);
  const writes = new WriteLog();
  const limitsMet: Limit[] = [];
  const metLimit = (what: string) => {
    if (!limitsMet.some((l) => l.what === what)) limitsMet.push({ at: sim.now, what });
  };
  const pools = new Map<RatePool, ProviderPool>();
  if (config.limits)
    for (const [pool, limit] of Object.entries(config.limits))
      pools.set(pool as RatePool, new ProviderPool(pool as RatePool, limit));
  const queues = new Map<JobType, SimQueue>(
    JOB_TYPES.map((type) => [
      type,
      new SimQueue(sim, type, {
        ...config.queues[type],
        retry: taskRetryConfig(type),
      }),
    ]),
  );
  const shares = Object.fromEntries(
    JOB_TYPES.map((type) => [
      type,
      {
        max: queueShare(config.queues[type].maxConcurrentDispatches, LIMIT_DEFAULTS.queueShareDivisor),
        label: LABEL[type],
      },
    ]),
  ) as QueueShares;
  const side = new Map<string, JobSide>();
  let globalAdmittedUsd = 0;
  let jobCounter = 0;
  let jobsFailed = 0;
  let stepsEnded = 0;
  const instancesEver = new Map<JobType, number>();
  const running = new Map<JobType, number>();
  const users: User[] = [];

  const latency = (kind: LatencyKind, outputSeconds = 0) =>
    draws.seconds(config.latencies, kind, outputSeconds) ?? 0;

  /** A provider request at now: accepted, or a 429 (retryable, as classifyError makes it). */
  const ask = (pool: RatePool, tokens = 0): ProviderError | null => {
    const limiter = pools.get(pool);
    if (!limiter || limiter.request(sim.now, tokens)) return null;
    metLimit(`provider limit: ${pool} (${limitLabel(pool, config.limits)})`);
    return new ProviderError(pool.startsWith('openai') ? 'openai' : 'replicate', 'Request was throttled.', {
      retryable: isRetryableStatus(429),
      status: 429,
    });
  };

  // ---- writes, as the real code makes them
  const projectWrite = (u: User) => writes.write(`projects/${u.project.id}`, sim.now);
  const usageWrite = (u: User, alsoDocs = 0) => writes.write(`usage/${u.uid}`, sim.now, 1 + alsoDocs);

  // ---- the advance (advance.ts advanceProduction), decided on the in-memory documents
  /**
   * decideNext (advance.ts): the plan's ready steps, priced, with their slots taken on the user's record as
   * far as the limits allow (`freeing`: the jobs whose ending write will place them count as free).
   */
  const decideNext = (u: User, freeing: readonly string[]): NextSteps | null => {
    const p = u.project;
    const production = p.production;
    if (!production || !isActiveProductionStatus(production.status)) return null;
    const now = stamp(sim.now);
    const plan = planProduction(p, production);
    const candidates: Candidate[] = plan.ready.map((step) => {
      const scene = step.sceneId ? p.scenes.find((s) => s.id === step.sceneId) : undefined;
      return {
        step,
        jobId: `${u.uid}-job-${++jobCounter}`,
        estimated: estimateJobCost(step.type, {
          project: p,
          ...(scene ? { scene } : {}),
          ...(step.options ? { options: step.options } : {}),
        }),
      };
    });
    let admission: PartialAdmission = { admitted: [], refusal: null };
    if (candidates.length) {
      const requests = candidates.map((c) => ({
        job_id: c.jobId,
        project_id: p.id,
        type: c.step.type,
        estimated_usd: c.estimated,
        production_id: production.production_id,
      }));
      const estimate = requests.reduce((sum, r) => sum + r.estimated_usd, 0);
      try {
        checkGlobalCeiling(globalAdmittedUsd, estimate, config.globalDailyBudgetUsd);
        const decided = admitPrefix(u.usage, requests, config.userLimits, shares, now, freeing);
        if (decided === NO_CHANGE) {
          const refusal = admissionRefusal(u.usage, requests.slice(0, 1), config.userLimits, shares, freeing);
          admission = {
            admitted: [],
            refusal: refusal ?? { kind: 'slots', message: 'Your running jobs hold every slot.' },
          };
        } else {
          admission = decided;
          // The record and one shard of the global count, in one batch; the ceiling counts every candidate.
          usageWrite(u, estimate > 0 ? 1 : 0);
          globalAdmittedUsd += estimate;
        }
      } catch (err) {
        if (!(err instanceof LimitReached)) throw err;
        admission = { admitted: [], refusal: { kind: 'budget', message: err.message } };
        metLimit(`global daily ceiling ($${config.globalDailyBudgetUsd})`);
      }
      if (admission.refusal)
        metLimit(admission.refusal.kind === 'budget' ? 'daily budget' : `per-user cap or queue share`);
    }
    const admitted = candidates.filter((c) => admission.admitted.includes(c.jobId));
    return { uid: u.uid, productionId: production.production_id, plan, admitted, admission };
  };

  /** finishPlacement (advance.ts): unplaced slots back, the placed jobs enqueued, a finished hold released. */
  const finishPlacement = (u: User, next: NextSteps, decided: Placed) => {
    const placed = new Set(decided.placed.map((j) => j.job_id));
    const unplaced = next.admission.admitted.filter((id) => !placed.has(id));
    if (unplaced.length) {
      for (const id of unplaced) delete u.usage.active[id];
      usageWrite(u);
    }
    for (const job of decided.placed) {
      side.set(job.job_id, { user: u, created: 0 });
      queues.get(job.type)!.enqueue(taskFor(u, job.job_id, job.type), config.platform.writeSeconds);
    }
    if (decided.status === 'completed' || decided.status === 'failed') {
      if (u.usage.held) delete u.usage.held[next.productionId];
      usageWrite(u);
      u.endedAt = sim.now;
    }
  };

  /** advanceProduction: decide, then one conditional write that places (written only when it changed). */
  const advance = (u: User) => {
    const next = decideNext(u, []);
    if (!next) return;
    const { value, changed } = placeNext(u.project, next, stamp(sim.now));
    if (changed) projectWrite(u);
    finishPlacement(u, next, value);
  };

  // ---- a job's end: the ending write, its settle and the advance (follow-ups before the task answers)
  const ended = (u: User, job: ActiveJobDoc) => {
    stepsEnded += 1;
    if (job.status === 'failed') jobsFailed += 1;
    else u.costUsd += job.cost?.estimated_usd ?? 0;
    const stopped = settleSlots(u.usage, [{ job: { ...job }, ended_at: stamp(sim.now) }]);
    if (stopped !== NO_CHANGE) usageWrite(u, 1); // the record and the ledger entry
    advance(u);
  };

  /** What a job's completing write applies (each handler's `apply`, reduced to the paths it sets). */
  const applyResult = (u: User, job: ActiveJobDoc) => {
    const p = u.project;
    const scene = job.scene_id ? p.scenes.find((s) => s.id === job.scene_id) : undefined;
    const asset = SceneAssetTypeSchema.safeParse(job.type);
    if (scene && asset.success) scene.assets[SCENE_ASSET_FIELD[asset.data]] = `sim/${job.job_id}`;
    else if (scene)
      return; // a scene's text: its words change, no asset
    else if (job.type === 'music') p.assets.music_path = `sim/${job.job_id}`;
    else if (job.type === 'moods')
      p.moods = [mood({ name: 'Morning mist' }), mood({ name: 'Neon night' }), mood({ name: 'Warm dusk' })];
    else if (job.type === 'storyboard') {
      p.scenes = [];
      const count = (job.options?.scene_count as number | undefined) ?? config.scenes;
      for (let i = 0; i < count; i++) {
        const scene = newScene({
          title: `Scene ${i + 1}`,
          description: 'A runner at dawn.',
          duration_seconds: 30 / count,
        });
        scene.voiceover_text = 'Cold brew, ready when you are.';
        insertScene(p, scene);
      }
    } else if (job.type === 'render') p.assets.final_video_path = `sim/${job.job_id}`;
  };

  // ---- one task of a job: what runner.ts does with a delivery
  const taskFor = (u: User, jobId: string, type: JobType) => ({
    run(done: (r: TaskResult) => void) {
      const now = (running.get(type) ?? 0) + 1;
      running.set(type, now);
      const cold = now > (instancesEver.get(type) ?? 0);
      if (cold) instancesEver.set(type, now);
      const finish = (r: TaskResult) => {
        running.set(type, (running.get(type) ?? 1) - 1);
        done(r);
      };
      sim.after(config.platform.dispatchSeconds + (cold ? config.platform.coldStartSeconds : 0), () => {
        const loc = findJob(u.project, jobId);
        const claim = claimJob(loc, stamp(sim.now), JOB_LEASE_SECONDS[type]);
        if (!claim.claimed) return finish('ack');
        projectWrite(u);
        const job = claim.job;
        const s = side.get(jobId)!;
        const w = config.platform.writeSeconds;
        const fail = (err: ProviderError) => {
          const decision = decideFailure(job, failureKind(err), err.message, stamp(sim.now));
          projectWrite(u);
          if (decision.action === 'fail') {
            ended(u, job);
            return sim.after(w, () => finish('ack'));
          }
          // requeue: the task throws, Cloud Tasks retries it after its backoff.
          sim.after(w, () => finish('retry'));
        };
        const complete = () => {
          // completeOrDiscard (runner.ts): the hand-off's slots taken on the document as the end will leave
          // it, then one write that completes the job and places the production's next steps.
          completeJob(job, stamp(sim.now));
          applyResult(u, job);
          const handOff = decideNext(u, [jobId]);
          const placed = handOff ? placeNext(u.project, handOff, stamp(sim.now)).value : null;
          projectWrite(u);
          if (handOff && placed) finishPlacement(u, handOff, placed);
          ended(u, job);
          // The hand-off's read and admission, the ending write, the settle and the follow-up advance.
          sim.after(4 * w, () => finish('ack'));
        };
        const persistThenComplete = () =>
          sim.after(w + PERSIST_SECONDS[type] * config.platform.workScale, complete);
        const tokensOf = (t: JobType) => POOL_USE[t].find((p) => p.pool === 'openai_chat')?.tokens ?? 0;

        const chatThen = (then: () => void) =>
          sim.after(w, () => {
            const refused = ask('openai_chat', tokensOf(type));
            if (refused) return fail(refused);
            sim.after(latency('chat'), then);
          });

        switch (type) {
          case 'composition':
          case 'scene_text':
          case 'storyboard':
            return chatThen(persistThenComplete);
          case 'voiceover':
            return sim.after(w, () => {
              const refused = ask('openai_speech');
              if (refused) return fail(refused);
              sim.after(latency('speech'), () => {
                const refusedToo = ask('openai_transcription');
                if (refusedToo) return fail(refusedToo);
                sim.after(latency('transcription'), persistThenComplete);
              });
            });
          case 'render': {
            const formats = job.options?.formats?.length ?? 1;
            return sim.after(w + RENDER_SECONDS_PER_FORMAT * formats * config.platform.workScale, complete);
          }
          case 'moods': {
            // The answer, then one prediction per mood created one after another (each recorded), polled.
            const createNext = (endsAt: number) => {
              if (s.created >= 3) {
                return sim.at(endsAt, persistThenComplete);
              }
              const refused = ask('replicate_create');
              if (refused) return fail(refused);
              s.created += 1;
              projectWrite(u); // recordPrediction
              sim.after(w, () => createNext(Math.max(endsAt, sim.now + latency('image'))));
            };
            if (s.created > 0) return sim.after(w, () => createNext(sim.now));
            return chatThen(() => createNext(sim.now));
          }
          default: {
            // image, video, audio, music: one prediction, finished by its webhook's resume.
            if (job.provider_ref) {
              // A resume (or a retry after one): read the prediction, then save its output.
              return sim.after(w, () => {
                const refused = ask('replicate_other');
                if (refused) return fail(refused);
                const expired = s.predictionEnds !== undefined && sim.now - s.predictionEnds > 3600;
                if (expired) {
                  metLimit("Replicate's one-hour output expiry");
                  return fail(new ProviderError('replicate', 'output expired', { retryable: false }));
                }
                persistThenComplete();
              });
            }
            return sim.after(w, () => {
              const refused = ask('replicate_create');
              if (refused) return fail(refused);
              const kind: LatencyKind = type === 'image' ? 'image' : type === 'video' ? 'video' : 'audio';
              const scene = job.scene_id ? u.project.scenes.find((sc) => sc.id === job.scene_id) : undefined;
              const output =
                type === 'music'
                  ? adSeconds(u.project)
                  : type === 'image'
                    ? 0
                    : (scene?.duration_seconds ?? 5);
              s.predictionEnds = sim.now + latency(kind, output);
              // recordPrediction with the lease released: one write, and the task answers.
              job.provider_ref = `pred-${jobId}`;
              job.lease_until = null;
              projectWrite(u);
              sim.after(w, () => finish('ack'));
              sim.at(s.predictionEnds + config.platform.webhookSeconds, () => {
                queues.get(type)!.enqueue(taskFor(u, jobId, type));
              });
            });
          }
        }
      });
    },
  });

  // ---- the users: each creates a project from the brief and calls startProduction
  const limitsOk = config.userLimits;
  for (let i = 0; i < config.users; i++) {
    const startAt = config.users === 1 ? 0 : (i * config.startWindowSeconds) / config.users;
    sim.at(startAt, () => {
      const uid = `user-${i + 1}`;
      const now = stamp(sim.now);
      const project = newProject({ id: `p-${i + 1}`, uid, request: createProjectRequest(), now });
      const usage = emptyUsage(uid, now);
      const user: User = {
        uid,
        project,
        usage,
        productionId: `prod-${i + 1}`,
        startedAt: sim.now,
        costUsd: 0,
        steps: 0,
      };
      users.push(user);
      sim.after(config.platform.callableSeconds, () => {
        const t = stamp(sim.now);
        const goal = { from_brief: true, scene_count: config.scenes };
        const { estimate_usd } = priceProduction(project, newProduction(project, goal, user.productionId, t));
        try {
          placeHold(
            usage,
            { productionId: user.productionId, projectId: project.id, estimateUsd: estimate_usd },
            limitsOk,
            t,
          );
        } catch (err) {
          if (!(err instanceof LimitReached)) throw err;
          metLimit('per-user daily budget (the hold)');
          user.endedAt = sim.now;
          return;
        }
        usageWrite(user);
        const production = { ...newProduction(project, goal, user.productionId, t), estimate_usd };
        const { steps_done, steps_total } = planProduction(project, production);
        project.production = { ...production, steps_done, steps_total };
        projectWrite(user);
        advance(user);
      });
    });
  }

  const reached = sim.run(config.horizonSeconds);

  // ---- figures
  const done = users.filter((u) => u.project.production?.status === 'completed');
  const failed = users.filter((u) => u.project.production?.status === 'failed');
  const stuck: Record<string, number> = {};
  for (const u of users) {
    const status = u.project.production?.status;
    if (status === 'completed' || status === 'failed') continue;
    const why = u.project.production?.blocked.map((b) => b.step).join('+') || status || 'not started';
    stuck[why] = (stuck[why] ?? 0) + 1;
  }
  for (const [type, queue] of queues) {
    if (queue.stats.firstRateWait !== undefined && queue.stats.waits.some((w) => w > 1))
      limitsMet.push({
        at: queue.stats.firstRateWait,
        what: `queue rate: jobs-${type} (${config.queues[type].maxDispatchesPerSecond}/s)`,
      });
    if (queue.stats.firstConcurrencyWait !== undefined)
      limitsMet.push({
        at: queue.stats.firstConcurrencyWait,
        what: `queue concurrency: jobs-${type} (${queue.slots})`,
      });
  }
  let rampExceededAt: number | undefined;
  let peakDb = 0;
  for (const [second, n] of [...writes.perSecond].sort((a, b) => a[0] - b[0])) {
    peakDb = Math.max(peakDb, n);
    if (rampExceededAt === undefined && n > rampAllowance(second)) rampExceededAt = second;
  }
  if (rampExceededAt !== undefined) limitsMet.push({ at: rampExceededAt, what: 'Firestore 500/50/5 ramp' });
  limitsMet.sort((a, b) => a.at - b.at);
  const retries = [...queues.values()].reduce((sum, q) => sum + q.stats.retried, 0);
  return {
    users: config.users,
    completed: done.length,
    failed: failed.length,
    unfinished: users.length - done.length - failed.length + (config.users - users.length),
    timesToAd: done.map((u) => u.endedAt! - u.startedAt),
    costPerAd: done.map((u) => u.costUsd),
    provider: Object.fromEntries(
      [...pools].map(([k, p]) => [
        k,
        {
          accepted: p.accepted,
          refused: p.refused,
          ...(p.firstRefusal !== undefined ? { firstRefusal: p.firstRefusal } : {}),
        },
      ]),
    ),
    retries,
    jobsFailed,
    queues: Object.fromEntries(
      [...queues].map(([type, q]) => {
        const waits = [...q.stats.waits].sort((a, b) => a - b);
        return [
          type,
          {
            dispatched: q.stats.dispatched,
            peakRunning: q.stats.peakRunning,
            p95WaitS: waits[Math.floor(waits.length * 0.95)] ?? 0,
            maxWaitS: waits.at(-1) ?? 0,
          },
        ];
      }),
    ),
    limits: limitsMet,
    peakProjectWrites1s: writes.peakPerDoc(1),
    peakProjectWrites10s: writes.peakPerDoc(10),
    peakDatabaseWrites1s: peakDb,
    writesPerStep: stepsEnded ? writes.project / stepsEnded : 0,
    ...(rampExceededAt !== undefined ? { rampExceededAt } : {}),
    events: sim.executed,
    simulatedSeconds: reached,
    stuck,
  };
}

function limitLabel(pool: RatePool, limits: Record<RatePool, RateLimit> | null): string {
  const limit = limits?.[pool];
  if (!limit) return 'none';
  return `${limit.rpm} RPM${limit.tpm ? `, ${limit.tpm.toLocaleString('en-US')} TPM` : ''}`;
}
