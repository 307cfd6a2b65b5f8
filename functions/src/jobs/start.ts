// Starting jobs: refuse a caller who may not start paid work (an unverified email), check the preconditions on a read, take the user's slots and budget for them (admission on
// the usage record, projects/usage/admission.ts), then write them into the project in one write (status
// `queued`, ids chosen at admission, visible to listeners at once), then enqueue their tasks. A project
// write that refuses gives the slots back; an enqueue that fails marks its job failed in the same request,
// so nothing waits for a task that does not exist, and that job's end frees its slot like any other.
import { randomUUID } from 'node:crypto';
import {
  ASSETS_A_CLIP_REPLACES,
  SCENE_ASSET_FIELD,
  isSceneJobType,
  isUnfinished,
  sceneName,
  sceneVideoPath,
  type ActiveJobDoc,
  type JobOptions,
  type JobType,
  type ProjectDoc,
  type SceneAssetType,
  type SceneDoc,
} from '@reelforge/schema';
import { UNVERIFIED_MESSAGE, type Caller } from '../auth/paid-work.js';
import { NotFound, PreconditionFailed, Unavailable } from '../errors.js';
import { log, logIncident } from '../log.js';
import { admitJobs, releaseSlots } from '../projects/usage/admission.js';
import { currentLimits } from '../projects/usage/record.js';
import { mutateProject, readOwnedProject } from '../projects/store.js';
import { estimateJobCost } from './estimate.js';
import { enqueueJob, taskId } from './queues.js';
import { currentQueueShares } from './queue-shares.js';
import { JOBS, LABEL } from './registry.js';
import { failJob, findJob, newJob } from './state.js';
import { localizationCurrent } from '../projects/localizations.js';
import { withArticle } from '../projects/scenes.js';

export interface StartJob {
  caller: Caller;
  projectId: string;
  type: JobType;
  sceneId?: string;
  options?: JobOptions;
}

/** Throws the failed-precondition a client can act on, or returns where the new job goes. */
export function checkCanStart(
  project: ProjectDoc,
  req: Pick<StartJob, 'type' | 'sceneId' | 'options'>,
): SceneDoc | undefined {
  if (isSceneJobType(req.type)) {
    const scene = project.scenes.find((s) => s.id === req.sceneId);
    if (!scene) throw new NotFound('Scene');
    if (isUnfinished(scene.active_job)) {
      throw new PreconditionFailed(
        `${sceneName(scene)} is busy with ${withArticle(LABEL[scene.active_job.type])} job; wait for it or cancel it first.`,
      );
    }
    if (isUnfinished(project.active_job) && project.active_job.type === 'storyboard') {
      throw new PreconditionFailed('The storyboard is being drafted; scene jobs can start when it is done.');
    }
    if (isUnfinished(project.active_job) && project.active_job.type === 'render') {
      throw new PreconditionFailed(
        'The ad is being rendered from the current clips; scene jobs can start when it is done.',
      );
    }
    // Own footage stands in for the video and what exists only to make it: none of them is generated (or
    // paid for) while the scene has its clip.
    if (
      scene.assets.clip_path &&
      ASSETS_A_CLIP_REPLACES.includes(SCENE_ASSET_FIELD[req.type as SceneAssetType])
    ) {
      throw new PreconditionFailed(
        `${sceneName(scene)} uses its own clip; remove the clip first to generate its ${LABEL[req.type]}.`,
      );
    }
    for (const needed of JOBS[req.type].asset?.needs ?? []) {
      if (!scene.assets[SCENE_ASSET_FIELD[needed]]) {
        throw new PreconditionFailed(
          `A ${LABEL[req.type]} job needs the scene's ${JOBS[needed].asset?.name ?? LABEL[needed]} first; ${sceneName(scene)} has none yet.`,
        );
      }
    }
    return scene;
  }
  if (isUnfinished(project.active_job)) {
    throw new PreconditionFailed(
      `The project is busy with ${withArticle(LABEL[project.active_job.type])} job; wait for it or cancel it.`,
    );
  }
  const busyScenes = project.scenes.filter((s) => isUnfinished(s.active_job));
  if (req.type === 'storyboard') {
    if (!project.storyboard.selected_mood)
      throw new PreconditionFailed('Select a mood before drafting the storyboard.');
    if (busyScenes.length) {
      throw new PreconditionFailed(
        `Drafting replaces every scene, and ${busyScenes.map(sceneName).join(', ')} still has a job running.`,
      );
    }
  }
  if (req.type === 'render') {
    if (project.scenes.length === 0) throw new PreconditionFailed('The project has no scenes to render.');
    const missing = project.scenes.filter((s) => !sceneVideoPath(s));
    if (missing.length) {
      throw new PreconditionFailed(
        `Every scene needs its video clip first; missing: ${missing.map(sceneName).join(', ')}.`,
      );
    }
    if (busyScenes.length) {
      throw new PreconditionFailed(
        `Wait for the running scene jobs first: ${busyScenes.map(sceneName).join(', ')}.`,
      );
    }
    const [, ...others] = project.settings.languages;
    for (const language of req.options?.languages ?? []) {
      if (language !== project.settings.languages[0] && !others.includes(language)) {
        throw new PreconditionFailed(
          `${language} is not one of the ad's languages; add it to the settings first.`,
        );
      }
      if (others.includes(language) && !localizationCurrent(project, language)) {
        throw new PreconditionFailed(
          `The ad is not translated into ${language} as it stands; translate it first (translateProject).`,
        );
      }
    }
  }
  if (req.type === 'translate') {
    const language = req.options?.language;
    if (!language || !project.settings.languages.slice(1).includes(language)) {
      throw new PreconditionFailed(
        `${language ?? 'A language'} is not one of the ad's other languages; add it to the settings first.`,
      );
    }
    // Scene jobs may run beside it: a line rewritten meanwhile makes its completing write translate again.
    if (project.scenes.length === 0) throw new PreconditionFailed('The project has no scenes to translate.');
  }
  return undefined;
}

export async function startJob(req: StartJob): Promise<{ job_id: string }> {
  const [job] = await startJobs({
    caller: req.caller,
    projectId: req.projectId,
    type: req.type,
    sceneIds: req.sceneId === undefined ? [undefined] : [req.sceneId],
    ...(req.options ? { options: req.options } : {}),
  });
  return { job_id: job!.job_id };
}

export interface StartJobs {
  caller: Caller;
  projectId: string;
  type: JobType;
  /** One job per entry: a scene id for scene jobs, `undefined` for the project-level job. */
  sceneIds: (string | undefined)[];
  options?: JobOptions;
}

/** Starts one job per target, admitted together and written in one project write, or none at all. */
export async function startJobs(req: StartJobs): Promise<ActiveJobDoc[]> {
  // Before anything is read or admitted: every job is paid work (auth/paid-work.ts says who may start it).
  if (!req.caller.mayStartPaidWork) throw new PreconditionFailed(UNVERIFIED_MESSAGE);
  const uid = req.caller.uid;
  const single = (sceneId: string | undefined): StartJob => ({
    caller: req.caller,
    projectId: req.projectId,
    type: req.type,
    ...(sceneId !== undefined ? { sceneId } : {}),
    ...(req.options ? { options: req.options } : {}),
  });
  // A start the project refuses anyway must not take (and contend for) a slot: check on a plain read first.
  const seen = await readOwnedProject(req.projectId, uid);
  const planned = req.sceneIds.map((sceneId) => {
    const scene = checkCanStart(seen, single(sceneId));
    return {
      sceneId,
      jobId: randomUUID(),
      estimated: estimateJobCost(req.type, { project: seen, ...(scene ? { scene } : {}), ...optionsOf(req) }),
    };
  });
  await admitJobs(
    uid,
    planned.map((p) => ({
      job_id: p.jobId,
      project_id: req.projectId,
      type: req.type,
      estimated_usd: p.estimated,
    })),
    currentLimits(),
    currentQueueShares(),
  );
  let jobs: ActiveJobDoc[];
  try {
    const { value: created } = await mutateProject(req.projectId, { uid }, (project, { now }) =>
      planned.map((plan) => {
        const scene = checkCanStart(project, single(plan.sceneId));
        const created: ActiveJobDoc = newJob(req.type, now, scene?.id, plan.jobId);
        created.cost = { estimated_usd: plan.estimated };
        if (req.options && Object.keys(req.options).length) created.options = req.options;
        if (scene) scene.active_job = created;
        else project.active_job = created;
        return created;
      }),
    );
    jobs = created;
  } catch (err) {
    await releaseSlots(
      uid,
      planned.map((p) => p.jobId),
    );
    throw err;
  }
  await Promise.all(jobs.map((job) => enqueueOrFail(req.projectId, job)));
  for (const job of jobs) log.jobQueued({ project_id: req.projectId, job_id: job.job_id, type: job.type });
  return jobs;
}

function optionsOf(req: { options?: JobOptions }) {
  return req.options ? { options: req.options } : {};
}

/** The scene ids a many-scene step names, or every scene of the project (a scene it lacks is not found). */
export function targetScenes(project: ProjectDoc, sceneIds: string[] | undefined): SceneDoc[] {
  if (!sceneIds) return project.scenes;
  return sceneIds.map((id) => {
    const scene = project.scenes.find((s) => s.id === id);
    if (!scene) throw new NotFound('Scene');
    return scene;
  });
}

export async function enqueueOrFail(projectId: string, job: ActiveJobDoc): Promise<void> {
  try {
    await enqueueJob(projectId, job, job.scene_id, taskId(job.job_id));
  } catch (err) {
    log.enqueueFailed(err, { project_id: projectId, job_id: job.job_id });
    // The Cloud Tasks error names the queue and service account: it stays in the log, under this reference.
    const reference = logIncident('job could not be queued', err, {
      project_id: projectId,
      job_id: job.job_id,
    });
    await mutateProject(projectId, { uid: null }, (p, { now }) => {
      const loc = findJob(p, job.job_id);
      if (loc) failJob(loc.job, `Could not queue the job (reference ${reference}); please try again.`, now);
      return true;
    });
    throw new Unavailable('The job could not be queued and was marked failed; please try again.');
  }
}
