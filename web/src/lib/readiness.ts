// Whether a project-level step can start now, and if not, why: the reason is shown beside its disabled
// button (and named by aria-describedby), so a person learns what to do first instead of clicking and
// reading a refusal. The rules mirror the backend's own checks before it starts a job (functions/src/jobs/
// start.ts `checkCanStart`), which stay the authority: a rule here only decides what the page offers.
import { isUnfinished, sceneVideoPath, type Project } from '@reelforge/schema';
import { jobLabel, projectJobBusy } from './jobs.js';

/** Undefined when the step can start; otherwise what stands in the way, as a sentence. */
export type Blocker = string | undefined;

/** The one busy rule of every project step (jobs.ts `projectJobBusy`), worded. */
function projectJobRunning(project: Project): Blocker {
  const job = project.active_job;
  return job && projectJobBusy(project)
    ? `Wait for the ${jobLabel(job).toLowerCase()} job to end.`
    : undefined;
}

function busyScenes(project: Project): number[] {
  return project.scenes
    .filter((s) => isUnfinished(s.active_job))
    .map((s) => s.scene_number)
    .sort((a, b) => a - b);
}

function scenesList(numbers: readonly number[]): string {
  return `${numbers.length === 1 ? 'scene' : 'scenes'} ${numbers.join(', ')}`;
}

/** Moods need only the brief; like every project job, they wait for the one running. */
export function moodsBlocker(project: Project): Blocker {
  return projectJobRunning(project);
}

/** Drafting needs a chosen mood, no other project job, and no scene job (a draft replaces every scene). */
export function storyboardBlocker(project: Project): Blocker {
  if (!project.storyboard.selected_mood) return 'Choose a mood first: the storyboard is drafted from it.';
  const running = projectJobRunning(project);
  if (running) return running;
  const busy = busyScenes(project);
  if (busy.length) return `Drafting replaces every scene; wait for ${scenesList(busy)} to finish.`;
  return undefined;
}

/** The bed is made as long as the ad when it is generated, so it waits for the storyboard's scenes. */
export function musicBlocker(project: Project): Blocker {
  if (project.scenes.length === 0) return 'Draft the storyboard first: the bed is made as long as the ad.';
  return projectJobRunning(project);
}

/** The render needs every scene's video clip, no scene job still changing them, and no other project job. */
export function renderBlocker(project: Project): Blocker {
  if (project.scenes.length === 0) return 'Draft the storyboard first.';
  const running = projectJobRunning(project);
  if (running) return running;
  const missing = project.scenes
    .filter((s) => !sceneVideoPath(s))
    .map((s) => s.scene_number)
    .sort((a, b) => a - b);
  if (missing.length) return `Every scene needs its video clip first; missing: ${scenesList(missing)}.`;
  const busy = busyScenes(project);
  if (busy.length) return `Wait for ${scenesList(busy)} to finish.`;
  return undefined;
}
