// A job's worker the test owns: the job is seeded queued but never enqueued (no Cloud Task will deliver or
// retry it), and one delivery runs in a child process (run-task-child.mjs) that the test can kill.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Timestamp } from 'firebase-admin/firestore';
import type { SceneAssetType } from '@reelforge/schema';
import { patchProject } from '../support/index.js';
import { functionsEnv } from './in-process.js';

const CHILD = fileURLToPath(new URL('./run-task-child.mjs', import.meta.url));

/** Seeds a queued job on the project's first scene; returns its id. */
export async function seedUnqueuedSceneJob(projectId: string, type: SceneAssetType): Promise<string> {
  const jobId = randomUUID();
  await patchProject(projectId, (p) => {
    const now = Timestamp.now();
    const scene = p.scenes[0]!;
    scene.active_job = {
      job_id: jobId,
      type,
      status: 'queued',
      progress: 0,
      started_at: now,
      last_update: now,
      attempt: 0,
      scene_id: scene.id,
      lease_until: null,
    };
  });
  return jobId;
}

/** Runs one delivery of the job's task (`taskFunction` as deployed, e.g. `jobs-video`) in a child process. */
export function startWorkerChild(
  taskFunction: string,
  job: { projectId: string; sceneId: string; jobId: string; type: SceneAssetType },
) {
  const child = spawn(
    process.execPath,
    [
      CHILD,
      taskFunction,
      JSON.stringify({ project_id: job.projectId, job_id: job.jobId, type: job.type, scene_id: job.sceneId }),
    ],
    // No webhook URL: the child polls the prediction and persists it itself.
    { env: { ...process.env, ...functionsEnv(), PUBLIC_FUNCTIONS_BASE_URL: '' }, stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { kill: () => child.kill('SIGKILL'), exited };
}
