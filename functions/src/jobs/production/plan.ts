// The production planner: a pure function of the project document that answers what the production still
// has to make, what may start now, what is blocked and whether it is over (DESIGN.md "Productions"). It keeps
// no memory of its own: the document's assets say what exists, its jobs say what runs and what failed, so
// an edit that clears an asset, a deleted scene or a resumed production change the plan by themselves, and
// two runs on the same document always decide the same. advance.ts carries the decision out.
//
// The order: from the brief (when asked), moods, the first mood selected, the storyboard; then per scene
// composition, keyframe, video and, when the scene has a line, voiceover, one job per scene at a time; the
// music bed beside the scenes; the render last, on the storyboard as it is once everything else is done. A
// scene's own music is never made while the ad has a bed; the bed is made unless every scene already has its
// own music (then those are the ad's sound).
import {
  ASSETS_A_CLIP_REPLACES,
  LIMITS,
  SCENE_ASSET_FIELD,
  isUnfinished,
  sceneName,
  type ActiveJobDoc,
  type AspectRatio,
  type JobOptions,
  type JobType,
  type ProductionBlock,
  type ProductionDoc,
  type ProjectDoc,
  type SceneAssetType,
  type SceneDoc,
} from '@reelforge/schema';
import { STEP_NAMES } from '../registry.js';
import { localizationCurrent } from '../../projects/localizations.js';

/** A job the production wants: its type, its scene (scene jobs) and what it is asked for. */
export interface PlannedStep {
  type: JobType;
  sceneId?: string;
  options?: JobOptions;
}

export interface ProductionPlan {
  /** Steps that may start now, in the order they should take free slots. */
  ready: PlannedStep[];
  /** Every step not made yet, ready or not (the estimate prices these). */
  remaining: PlannedStep[];
  /** Select this mood before starting `ready` (from the brief: the first mood). */
  selectMoodId?: string;
  /** The production's jobs still queued or processing. */
  running: number;
  /** Jobs of the project still queued or processing that a person started (the plan waits for them). */
  others: number;
  blocked: ProductionBlock[];
  steps_done: number;
  steps_total: number;
  /** `completed` once the render of this production has finished; `failed` when blocked steps are all that is left. */
  outcome: 'going' | 'completed' | 'failed';
}

/** The id the plan gives the i-th scene a storyboard not yet drafted will have (estimate.ts prices it). */
export const futureSceneId = (index: number) => `future-scene-${index + 1}`;

/** A scene's steps in the order they run: the video animates the keyframe; the voice comes last. */
export const SCENE_STEPS = [
  'composition',
  'image',
  'video',
  'voiceover',
] as const satisfies readonly SceneAssetType[];

const has = (scene: SceneDoc, type: SceneAssetType) => Boolean(scene.assets[SCENE_ASSET_FIELD[type]]);
const hasLine = (scene: SceneDoc) => Boolean(scene.voiceover_text?.trim());

/** The steps a scene takes in this production. A scene with its own clip takes none of the steps that make a
 * video (composition, keyframe, video): its footage is used as it is, and no video model is called or paid. */
export function sceneSteps(scene: SceneDoc): SceneAssetType[] {
  const ownClip = Boolean(scene.assets.clip_path);
  return SCENE_STEPS.filter(
    (type) =>
      (type !== 'voiceover' || hasLine(scene)) &&
      !(ownClip && ASSETS_A_CLIP_REPLACES.includes(SCENE_ASSET_FIELD[type])),
  );
}

/** The ad gets a bed unless every scene already has its own music. */
export function wantsBed(project: ProjectDoc): boolean {
  return project.scenes.length === 0 || !project.scenes.every((s) => has(s, 'audio'));
}

/** When the jobs that count for this run of the production started: a resume forgives earlier failures. */
function since(production: ProductionDoc): number {
  return (production.resumed_at ?? production.started_at).toMillis();
}

/** The job, if it is this production's and ended without success in its current run. */
function failedHere(job: ActiveJobDoc | null | undefined, production: ProductionDoc, type: JobType) {
  if (!job || job.production_id !== production.production_id || job.type !== type) return undefined;
  if (job.status !== 'failed' && job.status !== 'canceled') return undefined;
  return job.started_at.toMillis() >= since(production) ? job : undefined;
}

function failure(job: ActiveJobDoc): string {
  if (job.status === 'canceled') return `${STEP_NAMES[job.type]} was canceled.`;
  return job.error_message ?? `${STEP_NAMES[job.type]} failed.`;
}

/** The formats the production renders: asked for, or the project's own. */
export function productionFormats(project: ProjectDoc, formats?: readonly AspectRatio[]): AspectRatio[] {
  return formats?.length ? [...formats] : [project.settings.aspect_ratio];
}

export function planProduction(project: ProjectDoc, production: ProductionDoc): ProductionPlan {
  const plan: ProductionPlan = {
    ready: [],
    remaining: [],
    running: 0,
    others: 0,
    blocked: [],
    steps_done: 0,
    steps_total: 0,
    outcome: 'going',
  };
  const projectJob = project.active_job;
  const projectBusy = isUnfinished(projectJob);
  for (const loc of [projectJob, ...project.scenes.map((s) => s.active_job)]) {
    if (!isUnfinished(loc)) continue;
    if (loc.production_id === production.production_id) plan.running += 1;
    else plan.others += 1;
  }
  const renderStep: PlannedStep = { type: 'render', options: { formats: production.formats } };

  if (project.scenes.length === 0) {
    briefSteps(project, production, plan, projectBusy);
    plan.remaining.push(renderStep);
    plan.steps_total = plan.steps_done + plan.remaining.length;
    return settle(plan);
  }
  if (production.from_brief) plan.steps_done += 2; // the moods and the storyboard are behind it

  let scenesLeft = false;
  let sceneBlocked = false;
  let sceneBusy = false;
  for (const scene of project.scenes) {
    const steps = sceneSteps(scene);
    const missing = steps.filter((type) => !has(scene, type));
    plan.steps_done += steps.length - missing.length;
    if (isUnfinished(scene.active_job)) sceneBusy = true;
    const next = missing[0];
    if (!next) continue;
    scenesLeft = true;
    for (const type of missing) plan.remaining.push({ type, sceneId: scene.id });
    const failed = failedHere(scene.active_job, production, next);
    if (failed) {
      sceneBlocked = true;
      plan.blocked.push({
        scene_id: scene.id,
        step: next,
        reason: `${sceneName(scene)}: ${failure(failed)}`,
      });
      continue;
    }
    const projectHoldsScenes =
      projectBusy && (projectJob!.type === 'storyboard' || projectJob!.type === 'render');
    if (!isUnfinished(scene.active_job) && !projectHoldsScenes)
      plan.ready.push({ type: next, sceneId: scene.id });
  }

  // A bed or a translation of this production that failed holds the project's slot: no other project job
  // starts in its place, or the failure would be forgotten (the project keeps its last job only) and paid
  // for again. (A failed render is judged below: an edit since makes it stale.)
  const slotFailed =
    !!projectJob &&
    (projectJob.type === 'music' || projectJob.type === 'translate') &&
    !!failedHere(projectJob, production, projectJob.type);
  let bedLeft = false;
  if (wantsBed(project)) {
    if (project.assets.music_path) plan.steps_done += 1;
    else {
      bedLeft = true;
      plan.remaining.push({ type: 'music' });
      const failed = failedHere(projectJob, production, 'music');
      if (failed) plan.blocked.push({ step: 'music', reason: `The music bed: ${failure(failed)}` });
      else if (!projectBusy && !slotFailed) plan.ready.push({ type: 'music' });
    }
  }

  // Every other language of the ad: its translation and voiceovers, once the storyboard's lines are there
  // (again whenever a line, a scene's length or the call to action changed since).
  let translationsLeft = false;
  for (const language of project.settings.languages.slice(1)) {
    if (localizationCurrent(project, language)) {
      plan.steps_done += 1;
      continue;
    }
    translationsLeft = true;
    const step: PlannedStep = { type: 'translate', options: { language } };
    plan.remaining.push(step);
    const failed =
      projectJob?.options?.language === language
        ? failedHere(projectJob, production, 'translate')
        : undefined;
    if (failed) {
      plan.blocked.push({ step: 'translate', reason: `The ${language} translation: ${failure(failed)}` });
    } else if (!projectBusy && !slotFailed) plan.ready.push(step);
  }

  // An edit that cleared assets after (or while) the production rendered makes that render stale: the
  // scenes are made again and rendered again, and a render that failed on them blocks nothing.
  const restLeft = scenesLeft || bedLeft || translationsLeft;
  const ownRender =
    projectJob?.type === 'render' &&
    projectJob.production_id === production.production_id &&
    projectJob.started_at.toMillis() >= since(production);
  const rendered = ownRender && projectJob.status === 'completed' && !restLeft;
  if (rendered) {
    plan.steps_done += 1;
  } else {
    plan.remaining.push(renderStep);
    // A failed render is stale, too, when a scene's job ended after it (the edit it failed on was remade).
    const renderEnd = projectJob?.type === 'render' ? projectJob.last_update.toMillis() : 0;
    const remadeSince = project.scenes.some(
      (s) => !!s.active_job && s.active_job.last_update.toMillis() > renderEnd,
    );
    const failed = restLeft || remadeSince ? undefined : failedHere(projectJob, production, 'render');
    if (failed) plan.blocked.push({ step: 'render', reason: `The render: ${failure(failed)}` });
    else if (sceneBlocked || plan.blocked.some((b) => b.step === 'music' || b.step === 'translate')) {
      plan.blocked.push({ step: 'render', reason: 'The render waits for the blocked steps above.' });
    } else if (!restLeft && !sceneBusy && !projectBusy) {
      plan.ready.push(renderStep);
    }
  }
  plan.steps_total = plan.steps_done + plan.remaining.length;
  if (rendered) plan.outcome = 'completed';
  return settle(plan);
}

/** Before the storyboard exists: moods, then the first mood selected, then the storyboard. */
function briefSteps(
  project: ProjectDoc,
  production: ProductionDoc,
  plan: ProductionPlan,
  projectBusy: boolean,
) {
  const count = production.scene_count ?? LIMITS.DEFAULT_SCENE_COUNT;
  const storyboard: PlannedStep = {
    type: 'storyboard',
    ...(production.scene_count ? { options: { scene_count: production.scene_count } } : {}),
  };
  // The scenes the storyboard will write, as steps of scenes named `futureSceneId(i)` (each with a line,
  // so a voiceover): only for the estimate, never ready.
  const futureScenes = Array.from({ length: count }, (_, i) =>
    SCENE_STEPS.map((type) => ({ type, sceneId: futureSceneId(i) })),
  );
  if (!production.from_brief) {
    plan.blocked.push({
      step: 'storyboard',
      reason: 'The project has no storyboard yet; draft it first, or start the production from the brief.',
    });
    return;
  }
  const hasMoods = project.moods.length > 0;
  if (hasMoods) plan.steps_done += 1;
  else plan.remaining.push({ type: 'moods' });
  plan.remaining.push(
    storyboard,
    ...futureScenes.flat(),
    { type: 'music' },
    ...project.settings.languages
      .slice(1)
      .map((language): PlannedStep => ({ type: 'translate', options: { language } })),
  );
  const failedMoods = failedHere(project.active_job, production, 'moods');
  const failedBoard = failedHere(project.active_job, production, 'storyboard');
  if (failedMoods && !hasMoods) {
    plan.blocked.push({ step: 'moods', reason: `The moods: ${failure(failedMoods)}` });
  } else if (failedBoard) {
    plan.blocked.push({ step: 'storyboard', reason: `The storyboard: ${failure(failedBoard)}` });
  } else if (!projectBusy) {
    if (!hasMoods) plan.ready.push({ type: 'moods' });
    else {
      if (!project.storyboard.selected_mood) plan.selectMoodId = project.moods[0]!.id;
      plan.ready.push(storyboard);
    }
  }
}

/** Over when nothing runs and nothing can start: completed after its render, failed with steps blocked. */
function settle(plan: ProductionPlan): ProductionPlan {
  const idle = plan.running === 0 && plan.others === 0 && plan.ready.length === 0;
  if (plan.outcome === 'going' && idle) plan.outcome = 'failed';
  return plan;
}
