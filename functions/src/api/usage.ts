// Callables about limits and spend: start one step for many scenes at once, tell what a step would cost,
// and show the caller's usage (running jobs, limits, spend today and this month).
import { Timestamp } from 'firebase-admin/firestore';
import { isSceneJobType } from '@reelforge/schema';
import { estimateJobCost } from '../jobs/estimate.js';
import { startJobs, targetScenes } from '../jobs/start.js';
import { readOwnedProject } from '../projects/store.js';
import { currentLimits, readUsage, remainingTodayUsd, summarize } from '../projects/usage/record.js';
import { usd } from '../providers/prices.js';
import { PreconditionFailed } from '../errors.js';
import { callable } from './callable.js';

export const generateAll = callable(
  'generateAll',
  async ({ project_id, type, scene_ids }, { uid, caller }) => {
    const project = await readOwnedProject(project_id, uid);
    const scenes = targetScenes(project, scene_ids);
    if (scenes.length === 0)
      throw new PreconditionFailed('The project has no scenes yet; draft the storyboard first.');
    const jobs = await startJobs({ caller, projectId: project_id, type, sceneIds: scenes.map((s) => s.id) });
    return { jobs: jobs.map((job) => ({ scene_id: job.scene_id!, job_id: job.job_id })) };
  },
);

export const estimateCost = callable('estimateCost', async ({ project_id, type, scene_ids }, { uid }) => {
  const [project, usage] = await Promise.all([readOwnedProject(project_id, uid), readUsage(uid)]);
  const limits = currentLimits();
  const scenes = isSceneJobType(type) ? targetScenes(project, scene_ids) : [undefined];
  const jobs = scenes.map((scene) => ({
    ...(scene ? { scene_id: scene.id } : {}),
    estimated_usd: estimateJobCost(type, { project, ...(scene ? { scene } : {}) }),
  }));
  return {
    estimated_usd: usd(jobs.reduce((sum, job) => sum + job.estimated_usd, 0)),
    jobs,
    remaining_today_usd: remainingTodayUsd(usage, limits),
    daily_budget_usd: limits.dailyBudgetUsd,
  };
});

export const getUsage = callable('getUsage', async (_request, { uid }) => {
  const usage = await readUsage(uid);
  return { usage: summarize(usage, currentLimits(), Timestamp.now()) };
});
