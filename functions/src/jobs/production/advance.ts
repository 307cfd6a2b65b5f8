// Carrying out the planner's decision (plan.ts): the production's next jobs take the user's free slots on
// the usage record (as many as fit, in the plan's order), are written into the project with the
// production's id in one conditional write, which re-plans on the fresh document and places only steps
// still wanted there, and are enqueued after that write under task id = job id. Slots taken for steps the
// write did not place are given back.
//
// It runs after every write that ended a job of the user (follow-ups.ts; so a slot freed in another project
// also lets a waiting production go on), after startProduction, retryProduction and scene edits, and on
// every sweep (sweep/productions.ts), which is what heals a crash at any point: it is idempotent, deciding
// from the document alone. Why the next jobs are not written by the very write that ended the job before:
// a job takes its slot on the usage record before it is written (start.ts), so the cap holds whatever
// crashes; deciding them in the ending write would write jobs that hold no slot yet.
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
interface Candidate {
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

const sameStep = (a: PlannedStep, b: PlannedStep) => a.type === b.type && a.sceneId === b.sceneId;

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
): Promise<PartialAdmission> {
  const requests = candidates.map((c) => ({
    job_id: c.jobId,
    project_id: projectId,
    type: c.step.type,
    estimated_usd: c.estimated,
    production_id: productionId,
  }));
  try {
    return await admitAsMany(uid, requests, currentLimits(), currentQueueShares());
  } catch (err) {
    if (!(err instanceof LimitReached)) throw err;
    return { admitted: [], refusal: { kind: 'budget', message: err.message } };
  }
}

/** Lets the project's production go on from what its document holds now. */
export async function advanceProduction(projectId: string): Promise<Advanced> {
  const project = await readProject(projectId);
  const production = project?.production;
  if (!project || !production || !isActiveProductionStatus(production.status)) return NOTHING;
  const plan = planProduction(project, production);
  const candidates: Candidate[] = plan.ready.map((step) => ({
    step,
    jobId: randomUUID(),
    estimated: priced(project, step),
  }));
  const admission = await admitSteps(project.user_id, projectId, production.production_id, candidates);
  const admitted = candidates.filter((c) => admission.admitted.includes(c.jobId));
  let decided: { placed: ActiveJobDoc[]; status: ProductionDoc['status'] | null };
  try {
    ({ value: decided } = await mutateProject(projectId, { uid: null }, (p, { now }) =>
      placeSteps(p, production.production_id, plan, admitted, admission, now),
    ));
  } catch (err) {
    await releaseSlots(project.user_id, admission.admitted);
    throw err;
  }
  const placedIds = new Set(decided.placed.map((job) => job.job_id));
  const unplaced = admission.admitted.filter((id) => !placedIds.has(id));
  if (unplaced.length) await releaseSlots(project.user_id, unplaced);
  // A job whose enqueue fails is marked failed by enqueueOrFail: its end blocks its step, nothing waits.
  await Promise.all(decided.placed.map((job) => enqueueOrFail(projectId, job).catch(() => undefined)));
  // Over: what is left of its hold on today's budget goes back.
  if (decided.status === 'completed' || decided.status === 'failed') {
    await releaseHold(project.user_id, production.production_id);
  }
  if (decided.placed.length || decided.status !== production.status) {
    log.production('advanced', {
      project_id: projectId,
      production_id: production.production_id,
      started: decided.placed.map((job) => `${job.type}${job.scene_id ? `:${job.scene_id}` : ''}`),
      status: decided.status,
    });
  }
  return { started: decided.placed, status: decided.status };
}

/**
 * The write: re-plans on the document as it is now and places each admitted step the fresh plan still has
 * ready; then records the production's progress and state. Pure apart from its arguments.
 */
function placeSteps(
  p: ProjectDoc,
  productionId: string,
  seen: ProductionPlan,
  admitted: readonly Candidate[],
  admission: PartialAdmission,
  now: FirebaseFirestore.Timestamp,
) {
  const production = p.production;
  if (
    !production ||
    production.production_id !== productionId ||
    !isActiveProductionStatus(production.status)
  ) {
    return unchanged({ placed: [] as ActiveJobDoc[], status: production?.status ?? null });
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
      scene = checkCanStart(p, { type, ...(sceneId ? { sceneId } : {}) });
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
  const decided = { placed, status: production.status };
  return placed.length || JSON.stringify(production) !== before ? decided : unchanged(decided);
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
