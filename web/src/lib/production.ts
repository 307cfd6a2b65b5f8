// Reading the backend's production of the ad (`project.production`, DESIGN.md "Productions") the way the
// studio shows it, and what "Make the ad" asks for. The backend plans and runs it alone; the page only asks,
// shows what the listener delivers and offers cancel and resume.
import {
  isActiveProductionStatus,
  type AspectRatio,
  type Production,
  type ProductionBlock,
  type ProductionStatus,
  type Project,
  type StartProductionRequest,
} from '@reelforge/schema';
import type { Blocker } from './readiness.js';

/** The status in words: what a person reads beside the bar. */
export const PRODUCTION_STATUS_WORDS: Record<ProductionStatus, string> = {
  running: 'Running: the ad is being made',
  waiting: 'Waiting: nothing of it runs now (see why below)',
  completed: 'Completed: the ad is ready',
  failed: 'Failed: a step could not be made',
  canceled: 'Canceled',
};

/**
 * What "Make the ad" asks `estimateProduction` and then `startProduction` for: the ad in `formats` (the
 * render section's choice; left out when the studio has none, so the project's own format), and on a project
 * without scenes, from the brief with the "Number of scenes" the storyboard section shows.
 */
export function productionRequest(
  project: Pick<Project, 'id' | 'scenes'>,
  formats: readonly AspectRatio[] | undefined,
  sceneCount: number,
): StartProductionRequest {
  return {
    project_id: project.id,
    ...(formats ? { formats: [...formats] } : {}),
    ...(project.scenes.length === 0 ? { from_brief: true, scene_count: sceneCount } : {}),
  };
}

/** Why "Make the ad" cannot start now; the backend's own checks (api/production.ts) stay the authority. */
export function makeAdBlocker(
  project: Pick<Project, 'production'>,
  formats: readonly AspectRatio[] | undefined,
): Blocker {
  if (isActiveProductionStatus(project.production?.status)) {
    return 'The ad is being made; cancel it first to start again.';
  }
  if (formats && formats.length === 0) return 'Choose at least one format under "The ad".';
  return undefined;
}

/** Milliseconds from the production's start to its end, or to `now` while it has not ended. */
export function productionElapsedMs(
  production: Pick<Production, 'started_at' | 'finished_at'>,
  now: number,
): number {
  const start = Date.parse(production.started_at);
  const end = production.finished_at ? Date.parse(production.finished_at) : now;
  return Math.max(0, end - start);
}

/** "45 s", "3 min 05 s", "1 h 02 min": a duration as the panel shows it. */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** What a blocked step is about: "Scene 2", "A deleted scene" (the plan is recomputed from the document, so
 * this lasts only until the next write), or the project's own step ("Music bed", "Render", "Job slots"). */
export function blockedSubject(block: ProductionBlock, project: Pick<Project, 'scenes'>): string {
  if (block.scene_id) {
    const scene = project.scenes.find((s) => s.id === block.scene_id);
    return scene ? `Scene ${scene.scene_number} ${block.step}` : `A deleted scene's ${block.step}`;
  }
  return PROJECT_STEP_NAMES[block.step] ?? block.step;
}

const PROJECT_STEP_NAMES: Partial<Record<ProductionBlock['step'], string>> = {
  moods: 'Moods',
  storyboard: 'Storyboard',
  music: 'Music bed',
  render: 'Render',
  slots: 'Job slots',
  budget: 'Daily budget',
};
