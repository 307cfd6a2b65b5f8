// What a production will cost: the planner's remaining steps (plan.ts), each priced as its job would be
// admitted (estimate.ts). Before the storyboard exists, the scenes it will draft are priced as placeholders of
// the most expensive kind the storyboard may write: `scene_count` scenes sharing the target duration, each
// with a voiceover line of the longest length allowed, so the estimate errs high, never low.
import type { Timestamp } from 'firebase-admin/firestore';
import {
  LIMITS,
  type AspectRatio,
  type ProductionDoc,
  type ProjectDoc,
  type SceneDoc,
} from '@reelforge/schema';
import { usd } from '../../providers/prices.js';
import { estimateJobCost } from '../estimate.js';
import { futureSceneId, planProduction, productionFormats, type PlannedStep } from './plan.js';

export interface ProductionGoal {
  formats?: readonly AspectRatio[];
  from_brief?: boolean;
  scene_count?: number;
}

export interface PricedStep {
  type: PlannedStep['type'];
  scene_id?: string;
  estimated_usd: number;
}

/** A production as it would start now: running, nothing done, nothing blocked. */
export function newProduction(
  project: ProjectDoc,
  goal: ProductionGoal,
  productionId: string,
  now: Timestamp,
): ProductionDoc {
  return {
    production_id: productionId,
    status: 'running',
    started_at: now,
    resumed_at: null,
    finished_at: null,
    formats: productionFormats(project, goal.formats),
    from_brief: goal.from_brief ?? false,
    ...(goal.scene_count !== undefined ? { scene_count: goal.scene_count } : {}),
    estimate_usd: 0,
    spent_usd: 0,
    steps_done: 0,
    steps_total: 0,
    blocked: [],
  };
}

/** The scenes a storyboard of `count` scenes would have, for pricing only. */
function placeholderScenes(project: ProjectDoc, count: number): SceneDoc[] {
  const seconds = Math.min(
    LIMITS.SCENE_DURATION_MAX,
    Math.max(LIMITS.SCENE_DURATION_MIN, project.settings.target_duration_seconds / count),
  );
  return Array.from({ length: count }, (_, i) => ({
    id: futureSceneId(i),
    scene_number: i + 1,
    title: `Scene ${i + 1}`,
    description: 'To be drafted.',
    duration_seconds: seconds,
    voiceover_text: 'x'.repeat(LIMITS.VOICEOVER_TEXT_MAX),
    // Any drafted scene may show the product: with a product image, each keyframe is priced as the dearer
    // reference model, so the budget errs on the side of refusing.
    shows_product: true,
    assets: {},
    active_job: null,
    composition: null,
  }));
}

/** Every step the production has left, priced, and their sum. */
export function priceProduction(
  project: ProjectDoc,
  production: ProductionDoc,
): { estimate_usd: number; steps: PricedStep[] } {
  const plan = planProduction(project, production);
  const drafted =
    project.scenes.length > 0
      ? project
      : {
          ...project,
          scenes: placeholderScenes(project, production.scene_count ?? LIMITS.DEFAULT_SCENE_COUNT),
        };
  const steps = plan.remaining.map((step): PricedStep => {
    const scene = step.sceneId ? drafted.scenes.find((s) => s.id === step.sceneId) : undefined;
    const estimated_usd = estimateJobCost(step.type, {
      project: drafted,
      ...(scene ? { scene } : {}),
      ...(step.options ? { options: step.options } : {}),
    });
    // A future scene has no id a client could use yet.
    const real = step.sceneId && project.scenes.some((s) => s.id === step.sceneId);
    return { type: step.type, ...(real ? { scene_id: step.sceneId } : {}), estimated_usd };
  });
  return { estimate_usd: usd(steps.reduce((sum, s) => sum + s.estimated_usd, 0)), steps };
}
