// Pipeline test helpers: find a job in the project document, wait for it through a snapshot listener,
// and the common steps of a journey.
import {
  FINISHED_JOB_STATUSES,
  findJob,
  type ActiveJobDoc,
  type JobStatus,
  type ProjectDoc,
  type SceneAssetType,
} from '@reelforge/schema';
import type { TestClient } from '../support/index.js';
import {
  createProjectRequest,
  listFiles,
  mood,
  patchProject,
  readProjectOrFail,
  waitForProject,
} from '../support/index.js';

export function jobOf(project: ProjectDoc | null, jobId: string): ActiveJobDoc | undefined {
  return project ? findJob(project, jobId)?.job : undefined;
}

const FINISHED: readonly JobStatus[] = FINISHED_JOB_STATUSES;

/** Waits until the job reaches one of `statuses` (default: any finished one) and returns the project. */
export async function waitForJob(
  projectId: string,
  jobId: string,
  statuses: readonly JobStatus[] = FINISHED,
  timeoutMs = 60_000,
): Promise<{ project: ProjectDoc; job: ActiveJobDoc }> {
  const project = await waitForProject(
    projectId,
    (p) => {
      const job = jobOf(p, jobId);
      return !!job && statuses.includes(job.status);
    },
    timeoutMs,
  );
  return { project: project!, job: jobOf(project, jobId)! };
}

export async function expectCompleted(projectId: string, jobId: string, timeoutMs?: number) {
  const result = await waitForJob(projectId, jobId, FINISHED, timeoutMs);
  if (result.job.status !== 'completed') {
    throw new Error(`job ${result.job.type} ended ${result.job.status}: ${result.job.error_message ?? ''}`);
  }
  return result;
}

/**
 * A project with a selected mood and a drafted storyboard of `scenes` scenes. The moods are written as the
 * moods job leaves them, less their pictures: that job makes twelve images through the stand-in and
 * Storage, and no test that starts from here looks at moods (pipeline-jobs' moods test, the demo and the
 * studio's journey run it for real). The mood is selected and the storyboard drafted through the callables.
 * At 720p: the tests built on it are about jobs and productions, not the delivered resolution (demo.test and
 * the render benchmark hold the 1080p default), and 720p has less than half the pixels for the stand-in's
 * clips and the render.
 */
export async function projectWithStoryboard(client: TestClient, scenes: number): Promise<ProjectDoc> {
  const { project } = await client.call(
    'createProject',
    createProjectRequest({ settings: { resolution: '720p' } }),
  );
  const moods = [mood({ name: 'Morning mist' }), mood({ name: 'Neon night' }), mood({ name: 'Warm dusk' })];
  await patchProject(project.id, (p) => {
    p.moods = moods;
  });
  await client.call('selectMood', { project_id: project.id, mood_id: moods[0]!.id });
  const board = await client.call('generateStoryboard', { project_id: project.id, scene_count: scenes });
  await expectCompleted(project.id, board.job_id);
  return readProjectOrFail(project.id);
}

export async function runSceneJob(
  client: TestClient,
  projectId: string,
  sceneId: string,
  type: SceneAssetType,
) {
  const { job_id } = await client.call('generateSceneAsset', {
    project_id: projectId,
    scene_id: sceneId,
    type,
  });
  return expectCompleted(projectId, job_id, 90_000);
}

export const sceneFiles = (projectId: string, sceneId: string) =>
  listFiles(`projects/${projectId}/scenes/${sceneId}/`);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Replaced files are deleted just after the completing write lands, so a listener can see the job
 * completed a moment before the old file is gone: poll briefly for the expected listing.
 */
export async function filesEventually(
  list: () => Promise<string[]>,
  expected: (files: string[]) => boolean,
  timeoutMs = 5_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let files = await list();
  while (!expected(files) && Date.now() < deadline) {
    await sleep(200);
    files = await list();
  }
  return files;
}
