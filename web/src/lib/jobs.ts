// Reading jobs off the live project: which are running and what to call them; and the client-side "generate
// all" planner the studio ran in the tab before productions (the backend's startProduction) replaced it, kept
// because bench/production.ts drives that loop from Node as the baseline a production is measured against.
import {
  SCENE_ASSET_FIELD,
  SceneAssetTypeSchema,
  isUnfinished,
  type ActiveJob,
  type Project,
  type Scene,
  type SceneAssetType,
} from '@reelforge/schema';

/**
 * Whether the project is busy for every project-level step (moods, storyboard, music bed, render): the
 * backend runs one project job at a time and refuses a second while one is unfinished, whatever its type,
 * so each step's button follows this one rule rather than looking only at its own type.
 */
export function projectJobBusy(project: Pick<Project, 'active_job'>): boolean {
  return isUnfinished(project.active_job);
}

/** What a person calls a job: "Moods", "Render", "Scene 2 image". */
export function jobLabel(job: ActiveJob, scene?: Scene): string {
  const type = job.type.replace(/_/g, ' ');
  return scene ? `Scene ${scene.scene_number} ${type}` : type.charAt(0).toUpperCase() + type.slice(1);
}

/** The scene's assets it does not have yet, in pipeline order (video animates the keyframe, so the order
 * composition, image, video, audio also meets every prerequisite). A voiceover is made only for a scene
 * with a line to speak. */
export function missingAssets(scene: Scene): SceneAssetType[] {
  return SceneAssetTypeSchema.options.filter(
    (type) =>
      !scene.assets[SCENE_ASSET_FIELD[type]] && (type !== 'voiceover' || !!scene.voiceover_text?.trim()),
  );
}

/** The scene's first missing asset: the one the client loop (planAutoAssets) starts next. */
export function nextMissingAsset(scene: Scene): SceneAssetType | undefined {
  return missingAssets(scene)[0];
}

/** Scene ids grouped by asset type, in pipeline order of the types and the given order of the scenes: one
 * `generateAll` (or `estimateCost`) call per group, as the client loop makes them. */
export function byAssetType(
  entries: readonly { sceneId: string; type: SceneAssetType }[],
): [SceneAssetType, string[]][] {
  return SceneAssetTypeSchema.options.flatMap((type) => {
    const sceneIds = entries.filter((e) => e.type === type).map((e) => e.sceneId);
    return sceneIds.length ? [[type, sceneIds] as [SceneAssetType, string[]]] : [];
  });
}

/** Every asset the client loop would make for these scenes, one entry per job: what its estimate
 * (`estimateCost` per group of byAssetType) prices. */
export function plannedJobs(
  project: Project,
  sceneIds: readonly string[],
): { sceneId: string; type: SceneAssetType }[] {
  return sceneIds.flatMap((sceneId) => {
    const scene = project.scenes.find((s) => s.id === sceneId);
    return scene ? missingAssets(scene).map((type) => ({ sceneId, type })) : [];
  });
}

/** Scenes the loop completes, each with the id of the job it had when asked (an old failure there
 * must not stop the new run). */
export type AutoScenes = ReadonlyMap<string, string | undefined>;

export interface AutoPlan {
  start: { sceneId: string; type: SceneAssetType }[];
  /** Scenes to stop completing: all assets there, the scene is gone, or its job failed or was canceled. */
  finished: string[];
}

/**
 * One round of the client loop, "today's generate all" before productions: for every scene being completed
 * that is idle, its next missing asset, started with one `generateAll` per asset type (byAssetType) each time
 * the project's listener shows a step done. One job per scene at a time (the backend refuses a second one on
 * a busy scene); scenes run side by side. The studio no longer runs it ("Make the ad" asks the backend for a
 * production); the production benchmark (bench/production.ts) uses it as the baseline, so it stays exported
 * and tested (web/test/jobs.test.ts).
 */
export function planAutoAssets(project: Project, auto: AutoScenes, pending: ReadonlySet<string>): AutoPlan {
  const plan: AutoPlan = { start: [], finished: [] };
  for (const [sceneId, jobAtStart] of auto) {
    const scene = project.scenes.find((s) => s.id === sceneId);
    if (!scene) {
      plan.finished.push(sceneId);
      continue;
    }
    if (pending.has(sceneId) || isUnfinished(scene.active_job)) continue;
    const job = scene.active_job;
    if (job && job.job_id !== jobAtStart && (job.status === 'failed' || job.status === 'canceled')) {
      plan.finished.push(sceneId);
      continue;
    }
    const type = nextMissingAsset(scene);
    if (type) plan.start.push({ sceneId, type });
    else plan.finished.push(sceneId);
  }
  return plan;
}
