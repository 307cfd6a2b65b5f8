// Productions: one call takes the project to its finished ad with nobody watching (DESIGN.md
// "Productions"); cancel stops it and its jobs, retry resumes it from what exists, estimate prices the same
// plan without starting anything. The planner and what carries it out live in jobs/production/.
import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { isActiveProductionStatus, isUnfinished, jobsOf, type ProjectDoc } from '@reelforge/schema';
import { UNVERIFIED_MESSAGE, type Caller } from '../auth/paid-work.js';
import { PROVIDER_SECRETS, readProviderConfig } from '../config.js';
import { PreconditionFailed } from '../errors.js';
import { advanceProduction } from '../jobs/production/advance.js';
import { newProduction, priceProduction, type ProductionGoal } from '../jobs/production/estimate.js';
import { planProduction } from '../jobs/production/plan.js';
import { cancelJobState } from '../jobs/state.js';
import { stopJobWork } from '../jobs/stop.js';
import { mutateProject, readOwnedProject } from '../projects/store.js';
import { currentLimits, limitsFor, readUsage, remainingTodayUsd } from '../projects/usage/record.js';
import { holdForProduction, releaseHold } from '../projects/usage/holds.js';
import { callable } from './callable.js';

const RUNNING = 'A production of this project is already running; cancel it or wait for it to finish.';

function goalOf(req: ProductionGoal): ProductionGoal {
  return {
    ...(req.formats ? { formats: req.formats } : {}),
    ...(req.from_brief !== undefined ? { from_brief: req.from_brief } : {}),
    ...(req.scene_count !== undefined ? { scene_count: req.scene_count } : {}),
  };
}

/** The start checks a client can act on, before anything is priced or written. */
function checkCanProduce(project: ProjectDoc, goal: ProductionGoal): void {
  if (project.production && isActiveProductionStatus(project.production.status)) {
    throw new PreconditionFailed(RUNNING);
  }
  if (project.scenes.length === 0 && !goal.from_brief) {
    throw new PreconditionFailed(
      'The project has no storyboard yet; draft it first, or start the production with from_brief: true.',
    );
  }
}

/** Holds the plan's estimate of today's budget, or refuses naming the estimate and what is left. */
async function holdEstimate(caller: Caller, projectId: string, productionId: string, estimateUsd: number) {
  if (!caller.mayStartPaidWork) throw new PreconditionFailed(UNVERIFIED_MESSAGE);
  await holdForProduction(caller.uid, { productionId, projectId, estimateUsd }, currentLimits());
}

/** The production's write, with its hold given back if the write refuses. */
async function writeHeld(uid: string, productionId: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    await releaseHold(uid, productionId);
    throw err;
  }
}

export const estimateProduction = callable('estimateProduction', async (req, { uid }) => {
  const [project, usage] = await Promise.all([readOwnedProject(req.project_id, uid), readUsage(uid)]);
  const goal = goalOf(req);
  if (project.scenes.length === 0 && !goal.from_brief) checkCanProduce(project, goal);
  const priced = priceProduction(project, newProduction(project, goal, 'estimate', Timestamp.now()));
  return {
    ...priced,
    remaining_today_usd: remainingTodayUsd(usage, currentLimits()),
    daily_budget_usd: limitsFor(usage, currentLimits()).dailyBudgetUsd,
  };
});

export const startProduction = callable('startProduction', async (req, { uid, caller }) => {
  const seen = await readOwnedProject(req.project_id, uid);
  const goal = goalOf(req);
  checkCanProduce(seen, goal);
  const productionId = randomUUID();
  const { estimate_usd } = priceProduction(seen, newProduction(seen, goal, productionId, Timestamp.now()));
  await holdEstimate(caller, req.project_id, productionId, estimate_usd);
  await writeHeld(uid, productionId, () =>
    mutateProject(req.project_id, { uid }, (p, { now }) => {
      checkCanProduce(p, goal);
      const production = { ...newProduction(p, goal, productionId, now), estimate_usd };
      // Its steps from the first snapshot on (the advance right after keeps them current).
      const { steps_done, steps_total } = planProduction(p, production);
      p.production = { ...production, steps_done, steps_total };
      return productionId;
    }),
  );
  await advanceProduction(req.project_id);
  return { production_id: productionId, estimate_usd };
});

export const retryProduction = callable('retryProduction', async ({ project_id }, { uid, caller }) => {
  const seen = await readOwnedProject(project_id, uid);
  const production = seen.production;
  if (!production || (production.status !== 'failed' && production.status !== 'canceled')) {
    throw new PreconditionFailed(
      production
        ? `Only a failed or canceled production can be resumed; this one is ${production.status}.`
        : 'The project has no production to resume; start one.',
    );
  }
  // What is left to make, priced as a new run would see it: finished assets are kept, failures forgiven.
  const resumed = { ...production, status: 'running' as const, resumed_at: Timestamp.now(), blocked: [] };
  const { estimate_usd } = priceProduction(seen, resumed);
  await holdEstimate(caller, project_id, production.production_id, estimate_usd);
  await writeHeld(uid, production.production_id, () =>
    mutateProject(project_id, { uid }, (p, { now }) => {
      const current = p.production;
      if (
        !current ||
        current.production_id !== production.production_id ||
        isActiveProductionStatus(current.status)
      ) {
        throw new PreconditionFailed(RUNNING);
      }
      p.production = {
        ...current,
        status: 'running',
        resumed_at: now,
        finished_at: null,
        blocked: [],
        estimate_usd,
      };
      return true;
    }),
  );
  await advanceProduction(project_id);
  return { production_id: production.production_id, estimate_usd };
});

export const cancelProduction = callable(
  'cancelProduction',
  async ({ project_id }, { uid }) => {
    // The callback's result is what the write that won canceled: the production and its unfinished jobs.
    const { value: canceled } = await mutateProject(project_id, { uid }, (p, { now }) => {
      const production = p.production;
      if (!production || !isActiveProductionStatus(production.status)) {
        throw new PreconditionFailed('No production of this project is running.');
      }
      production.status = 'canceled';
      production.finished_at = now;
      const jobs = jobsOf(p).filter(
        (job) => isUnfinished(job) && job.production_id === production.production_id,
      );
      for (const job of jobs) cancelJobState(job, now);
      return { productionId: production.production_id, jobs: jobs.map((job) => ({ ...job })) };
    });
    // Their predictions are canceled and their tasks deleted, as cancelJob does for one job.
    const providers = readProviderConfig();
    await Promise.all([
      ...canceled.jobs.map((job) => stopJobWork(job, providers)),
      releaseHold(uid, canceled.productionId),
    ]);
    return { production_id: canceled.productionId, status: 'canceled' as const };
  },
  { secrets: PROVIDER_SECRETS },
);
