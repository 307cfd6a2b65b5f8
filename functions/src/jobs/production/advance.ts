// Carrying out the planner's decision (plan.ts): the production's next jobs take the user's free slots on
// the usage record (as many as fit, in the plan's order), are written into the project with the
// production's id in one conditional write, which re-plans on the fresh document and places only steps
// still wanted there, and are enqueued after that write under task id = job id. Slots taken for steps the
// write did not place are given back.
//
// It runs after every write that ended a job of the user (follow-ups.ts; so a slot freed in another project
// also lets a waiting production go on), after startProduction, retryProduction and scene edits, and on
// every sweep (sweep/productions.ts), which is what heals a crash at any point: it is idempotent, deciding
// from the document alone.
//
// The write that completes a job places the production's next steps itself (`prepareHandOff`, then
// `placeNext` inside that write, then `finishPlacement`): a job takes its slot on the usage record before it
// is written (start.ts), so the cap holds whatever crashes, and so the hand-off takes the next steps' slots
// before the ending write, counting the ending job's own as free. Until that write's settle the record holds
// both (stricter for anyone else, never looser); a crash in between leaves slots with no job, which the
// reconciliation frees, and jobs written but not enqueued, which the sweep enqueues.
import { randomUUID } from 'node:crypto';
import {
  isActiveProductionStatus,
  type ActiveJobDoc,
  type ProductionBlock,
  type ProductionDoc,
  type ProjectDoc,
} from '@reelforge/schema';
import { errorText, log } from '../../log.js';
import { projectsCol, mutateProject, readProject, unchanged } from '../../projects/store.js';
import { admitAsMany, releaseSlots, type PartialAdmission } from '../../projects/usage/admission.js';
import { currentLimits } from '../../projects/usage/record.js';
import { releaseHold } from '../../projects/usage/holds.js';
import { follow } from '../../projects/follow-ups.js';
import { LimitReached, PreconditionFailed } from '../../errors.js';
import { estimateJobCost } from '../estimate.js';
import { currentQueueShares } from '../queue-shares.js';
import { checkCanStart, enqueueOrFail } from '../start.js';
import { newJob } from '../state.js';
import { planProduction, type PlannedStep, type ProductionPlan } from './plan.js';

/** One step the advance asks slots for, with the job id it will have. */
export interface Candidate {
  step: PlannedStep;
  jobId: string;
  estimated: number;
}

export interface Advanced {
  /** The jobs this advance wrote and enqueued. */
  started: ActiveJobDoc[];
  status: ProductionDoc['status'] | null;
}

const NOTHING: Advanced = { started: [], status: null };

const sameStep = (a: PlannedStep, b: PlannedStep) =>
  a.type === b.type && a.sceneId === b.sceneId && a.options?.language === b.options?.language;

function priced(project: ProjectDoc, step: PlannedStep): number {
  const scene = step.sceneId ? project.scenes.find((s) => s.id === step.sceneId) : undefined;
  return estimateJobCost(step.type, {
    project,
    ...(scene ? { scene } : {}),
    ...(step.options ? { options: step.options } : {}),
  });
}

/** Slots for as many candidates as fit; the deployment's global ceiling refusing is waiting for budget. */
async function admitSteps(
  uid: string,
  projectId: string,
  productionId: string,
  candidates: Candidate[],
  freeing: readonly string[],
): Promise<PartialAdmission> {
  const requests = candidates.map((c) => ({
    job_id: c.jobId,
    project_id: projectId,
    type: c.step.type,
    estimated_usd: c.estimated,
    production_id: productionId,
  }));
  try {
    return await admitAsMany(uid, requests, currentLimits(), currentQueueShares(), freeing);
  } catch (err) {
    if (!(err instanceof LimitReached)) throw err;
    return { admitted: [], refusal: { kind: 'budget', message: err.message } };
  }
}

/**
 * The production's next steps, as `project` has them ready, with their slots taken: as many as the user's
 * limits allow, `freeing` counted as free (the jobs whose ending write will place these).
 */
async function decideNext(
  projectId: string,
  project: ProjectDoc,
  production: ProductionDoc,
  freeing: readonly string[] = [],
): Promise<NextSteps> {
  const plan = planProduction(project, production);
  const candidates: Candidate[] = plan.ready.map((step) => ({
    step,
    jobId: randomUUID(),
    estimated: priced(project, step),
  }));
  const admission = await admitSteps(
    project.user_id,
    projectId,
    production.production_id,
    candidates,
    freeing,
  );
  const admitted = candidates.filter((c) => admission.admitted.includes(c.jobId));
  return { uid: project.user_id, productionId: production.production_id, plan, admitted, admission };
}

/** What an advance or a job's ending write places: the plan it saw and the steps that hold slots. */
export interface NextSteps {
  uid: string;
  productionId: string;
  plan: ProductionPlan;
  admitted: Candidate[];
  admission: PartialAdmission;
}

/** What the write that carried out `NextSteps` decided (placeNext). */
export interface Placed {
  placed: ActiveJobDoc[];
  status: ProductionDoc['status'] | null;
}

/** Lets the project's production go on from what its document holds now. */
export async function advanceProduction(projectId: string): Promise<Advanced> {
  const project = await readProject(projectId);
  const production = project?.production;
  if (!project || !production || !isActiveProductionStatus(production.status)) return NOTHING;
  const next = await decideNext(projectId, project, production);
  let decided: Placed;
  try {
    ({ value: decided } = await mutateProject(projectId, { uid: null }, (p, { now }) => {
      const { value, changed } = placeNext(p, next, now);
      return changed ? value : unchanged(value);
    }));
  } catch (err) {
    await releaseSlots(next.uid, next.admission.admitted);
    throw err;
  }
  await finishPlacement(projectId, next, decided, production.status);
  return { started: decided.placed, status: decided.status };
}

/**
 * Before the write that completes `jobId` (jobs/runner.ts): the production's next steps as the document will
 * be once `end` (that completion, applied to a copy) is in it, with their slots taken, the ending job's own
 * counted as free. That write then places them (`placeNext`) in the same conditional write that ends the
 * job, so a production's step costs one project write instead of two; the follow-up advance after it finds
 * nothing left to write unless a slot freed meanwhile. Null when the project has no production going on.
 */
export async function prepareHandOff(
  projectId: string,
  jobId: string,
  end: (copy: ProjectDoc) => void,
): Promise<NextSteps | null> {
  const copy = await readProject(projectId);
  const production = copy?.production;
  if (!copy || !production || !isActiveProductionStatus(production.status)) return null;
  end(copy);
  return decideNext(projectId, copy, production, [jobId]);
}

/** The ending write did not happen (its job was not this execution's any more): its slots go back. */
export async function dropHandOff(next: NextSteps | null): Promise<void> {
  if (next?.admission.admitted.length) await releaseSlots(next.uid, next.admission.admitted);
}

/**
 * After the write that placed `decided`: slots taken for steps it did not place go back, the placed jobs'
 * tasks are enqueued (task id = job id; a crash before this is healed by the sweep), and a production that
 * is over gives back what is left of its hold on today's budget.
 */
export async function finishPlacement(
  projectId: string,
  next: NextSteps,
  decided: Placed,
  statusBefore: ProductionDoc['status'] | null,
): Promise<void> {
  const placedIds = new Set(decided.placed.map((job) => job.job_id));
  const unplaced = next.admission.admitted.filter((id) => !placedIds.has(id));
  if (unplaced.length) await releaseSlots(next.uid, unplaced);
  // A job whose enqueue fails is marked failed by enqueueOrFail: its end blocks its step, nothing waits.
  await Promise.all(decided.placed.map((job) => enqueueOrFail(projectId, job).catch(() => undefined)));
  if (decided.status === 'completed' || decided.status === 'failed') {
    await releaseHold(next.uid, next.productionId);
  }
  if (decided.placed.length || decided.status !== statusBefore) {
    log.production('advanced', {
      project_id: projectId,
      production_id: next.productionId,
      started: decided.placed.map((job) => `${job.type}${job.scene_id ? `:${job.scene_id}` : ''}`),
      status: decided.status,
    });
  }
}

/**
 * The placing part of a write (an advance's own, or a job's ending write): re-plans on the document as it is
 * now and places each admitted step the fresh plan still has ready; then records the production's progress
 * and state. Pure apart from its arguments; `changed` says whether it changed the document.
 */
export function placeNext(
  p: ProjectDoc,
  next: NextSteps,
  now: FirebaseFirestore.Timestamp,
): { value: Placed; changed: boolean } {
  const { productionId, plan: seen, admitted, admission } = next;
  const production = p.production;
  if (
    !production ||
    production.production_id !== productionId ||
    !isActiveProductionStatus(production.status)
  ) {
    return { value: { placed: [], status: production?.status ?? null }, changed: false };
  }
  const before = JSON.stringify(production);
  if (seen.selectMoodId && !p.storyboard.selected_mood) {
    const mood = p.moods.find((m) => m.id === seen.selectMoodId);
    if (mood) p.storyboard.selected_mood = mood;
  }
  const fresh = planProduction(p, production);
  const placed: ActiveJobDoc[] = [];
  for (const candidate of admitted) {
    if (!fresh.ready.some((step) => sameStep(step, candidate.step))) continue;
    const { type, sceneId, options } = candidate.step;
    let scene;
    try {
      scene = checkCanStart(p, { type, ...(sceneId ? { sceneId } : {}), ...(options ? { options } : {}) });
    } catch (err) {
      if (err instanceof PreconditionFailed) continue;
      throw err;
    }
    const job = newJob(type, now, scene?.id, candidate.jobId);
    job.cost = { estimated_usd: candidate.estimated };
    job.production_id = productionId;
    if (options && Object.keys(options).length) job.options = options;
    if (scene) scene.active_job = job;
    else p.active_job = job;
    placed.push({ ...job });
  }
  const after = planProduction(p, production);
  const waitingFor: ProductionBlock[] =
    admission.refusal && after.ready.length > 0
      ? [{ step: admission.refusal.kind, reason: admission.refusal.message }]
      : [];
  production.blocked = [...after.blocked, ...waitingFor];
  production.steps_done = after.steps_done;
  production.steps_total = after.steps_total;
  if (after.outcome === 'completed' || after.outcome === 'failed') {
    production.status = after.outcome;
    production.finished_at = now;
    if (after.outcome === 'failed' && production.blocked.length === 0) {
      production.blocked = [{ step: 'render', reason: 'Nothing is left that the production can start.' }];
    }
  } else {
    production.status = after.running > 0 ? 'running' : 'waiting';
  }
  return {
    value: { placed, status: production.status },
    changed: placed.length > 0 || JSON.stringify(production) !== before,
  };
}

/** After a write ended jobs of `uid`: this project's production, then the user's waiting ones, go on. */
export async function continueProductions(event: {
  uid: string;
  projectId: string;
  project: ProjectDoc | null;
}): Promise<void> {
  if (event.project?.production && isActiveProductionStatus(event.project.production.status)) {
    await advanceProduction(event.projectId);
  }
  // A slot freed here may be what another project's production waits for.
  const waiting = await projectsCol()
    .where('user_id', '==', event.uid)
    .where('production.status', '==', 'waiting')
    .limit(WAKE_AT_ONCE)
    .get();
  for (const doc of waiting.docs) {
    if (doc.id === event.projectId) continue;
    await advanceProduction(doc.id).catch((err: unknown) =>
      log.warn('a waiting production could not go on; the sweep will', {
        project_id: doc.id,
        error: errorText(err),
      }),
    );
  }
}

/** Waiting productions of one user woken per job end; the sweep reaches any beyond. */
const WAKE_AT_ONCE = 10;

/**
 * After a write that changed what the production has to make (a scene edited, added or deleted): let it go on
 * from the new storyboard. A follow-up, so the edit's answer waits for it but never fails because of it.
 */
export function nudgeProduction(projectId: string, project: ProjectDoc): void {
  if (!project.production || !isActiveProductionStatus(project.production.status)) return;
  follow('continuing a production after an edit', async () => {
    await advanceProduction(projectId);
  });
}
