// Callables that start, cancel and retry generation jobs. Each returns `{ job_id }` as soon as the job is
// queued and visible in the project document; the work itself runs as a Cloud Task.
import { isFinishedJobStatus } from '@reelforge/schema';
import { PROVIDER_SECRETS, readProviderConfig } from '../config.js';
import { mutateProject, NO_WRITE, readOwnedProject } from '../projects/store.js';
import { startJob } from '../jobs/start.js';
import { cancelJobState, findJob } from '../jobs/state.js';
import { stopJobWork } from '../jobs/stop.js';
import { callable } from './callable.js';
import { chooseRenderedTakes } from '../projects/render-takes.js';
import { NotFound, PreconditionFailed } from '../errors.js';

export const generateMoods = callable('generateMoods', ({ project_id }, { caller }) =>
  startJob({ caller, projectId: project_id, type: 'moods' }),
);

export const generateStoryboard = callable('generateStoryboard', ({ project_id, scene_count }, { caller }) =>
  startJob({
    caller,
    projectId: project_id,
    type: 'storyboard',
    ...(scene_count !== undefined ? { options: { scene_count } } : {}),
  }),
);

export const generateSceneAsset = callable(
  'generateSceneAsset',
  ({ project_id, scene_id, type }, { caller }) =>
    startJob({ caller, projectId: project_id, type, sceneId: scene_id }),
);

export const regenerateSceneText = callable(
  'regenerateSceneText',
  ({ project_id, scene_id, instructions }, { caller }) =>
    startJob({
      caller,
      projectId: project_id,
      type: 'scene_text',
      sceneId: scene_id,
      ...(instructions ? { options: { instructions } } : {}),
    }),
);

export const renderProject = callable(
  'renderProject',
  async ({ project_id, formats, from_render, languages }, { caller, uid }) => {
    // Again from a recorded render: its takes chosen again on every scene, then a render like any other.
    if (from_render) await chooseRenderedTakes(project_id, uid, from_render);
    const asked = formats ?? (from_render ? [from_render] : undefined);
    const options = { ...(asked ? { formats: asked } : {}), ...(languages ? { languages } : {}) };
    return startJob({
      caller,
      projectId: project_id,
      type: 'render',
      ...(Object.keys(options).length ? { options } : {}),
    });
  },
);

export const translateProject = callable('translateProject', ({ project_id, language }, { caller }) =>
  startJob({ caller, projectId: project_id, type: 'translate', options: { language } }),
);

export const generateMusic = callable('generateMusic', ({ project_id }, { caller }) =>
  startJob({ caller, projectId: project_id, type: 'music' }),
);

export const cancelJob = callable(
  'cancelJob',
  async ({ project_id, job_id }, { uid }) => {
    // The callback's result is the job as canceled by the write that won, or nothing written if it had finished.
    const canceled = await mutateProject(project_id, { uid }, (p, { now }) => {
      const loc = findJob(p, job_id);
      if (!loc) throw new NotFound('Job');
      if (isFinishedJobStatus(loc.job.status)) return NO_WRITE;
      cancelJobState(loc.job, now);
      return { ...loc.job };
    });
    if (canceled.written && !canceled.deleted) await stopJobWork(canceled.value, readProviderConfig());
    const status = findJob(canceled.project, job_id)?.job.status ?? 'canceled';
    return { job_id, status };
  },
  { secrets: PROVIDER_SECRETS },
);

export const retryJob = callable('retryJob', async ({ project_id, job_id }, { uid, caller }) => {
  const project = await readOwnedProject(project_id, uid);
  const loc = findJob(project, job_id);
  if (!loc) throw new NotFound('Job');
  if (loc.job.status !== 'failed' && loc.job.status !== 'canceled') {
    throw new PreconditionFailed(
      `Only a failed or canceled job can be retried; this one is ${loc.job.status}.`,
    );
  }
  // A retry is a new job (new id, fresh attempts) with the same type, scene and options, started through
  // the same checks as the first one (the scene may have changed since).
  return startJob({
    caller,
    projectId: project_id,
    type: loc.job.type,
    ...(loc.scene ? { sceneId: loc.scene.id } : {}),
    ...(loc.job.options ? { options: loc.job.options } : {}),
  });
});
