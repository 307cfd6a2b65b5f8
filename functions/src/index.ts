// The deployed surface: exports, and the one wiring below them (a job's end continues its production).
// Each trigger lives in the folder of its concern.
import { whenJobsEnd } from './projects/follow-ups.js';
import { continueProductions } from './jobs/production/advance.js';

// Client API: projects, moods, scenes, asset URLs, sign-in exchange.
export { createProject, listProjects, getProject, updateProject, deleteProject } from './api/projects.js';
export { selectMood } from './api/moods.js';
export { addScene, updateScene, deleteScene, reorderScenes } from './api/scenes.js';
export { getAssetUrls } from './api/assets.js';
export { chooseTake, pinTake, deleteTake } from './api/takes.js';
export { setLogo } from './api/logo.js';
export { setProductImage, setSceneClip } from './api/uploads.js';
export { exchangeClerkToken } from './api/clerk.js';

// Limits and spend: many scenes in one call, cost estimates, the caller's usage.
export { generateAll, estimateCost, getUsage } from './api/usage.js';

// Productions: the whole ad from one call; every job's end lets them go on (jobs/production/).
export { startProduction, estimateProduction, cancelProduction, retryProduction } from './api/production.js';
whenJobsEnd(continueProductions);

// Generation: start, cancel and retry jobs.
export {
  generateMoods,
  generateStoryboard,
  generateSceneAsset,
  regenerateSceneText,
  renderProject,
  generateMusic,
  translateProject,
  cancelJob,
  retryJob,
} from './api/generation.js';
// The task functions of every job type, made from the job registry: deployed as `jobs-<type>`.
export { jobs } from './jobs/tasks.js';

// Replicate reports back here; the sweep rescues jobs whose worker went quiet.
export { replicateWebhook } from './webhooks/replicate.js';
export { sweepStaleJobsScheduled } from './sweep/stale.js';
// Finishing a project's deletion (jobs stopped, files deleted), retried until it is done.
export { projectDeletion } from './jobs/project-deletion.js';
// Storage objects nothing names any more (and prefixes of deleted projects), removed hourly.
export { reconcileStorageScheduled } from './sweep/orphans.js';
