// A job's completion whose write loses its race to a cancel. The completion is a compare-and-set on the
// project document; when a cancel is written between its read and its write, the write fails, the change
// runs again on the canceled job and decides to write nothing. What the runner then deletes must follow that
// last decision: the new file (nobody references it) goes, the asset the document still references stays.
import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import type { SceneDoc } from '@reelforge/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  E2E_SKIP_REASON,
  fileUser,
  createProjectRequest,
  listFiles,
  patchProject,
  readProjectOrFail,
  uploadFile,
} from './support/index.js';
import { jobOf } from './pipeline/jobs.js';
import { runnerInProcess } from './pipeline/in-process.js';
import { standin } from './pipeline/standin.js';

describe.skipIf(E2E_SKIP_REASON !== null)('generation pipeline: a completion that loses its race', () => {
  const client = fileUser('lost-race');

  beforeAll(async () => {
    await standin.clearFaults();
  });

  it('to a cancel: the old asset stays in Storage, the new file is gone, the job reads canceled', async () => {
    const { project } = await client.call('createProject', createProjectRequest());
    const { scene } = await client.call('addScene', {
      project_id: project.id,
      title: 'Opening',
      description: 'A runner at dawn on an empty bridge.',
      duration_seconds: 4,
    });
    // The scene already has a composition from an earlier job, and a new composition job is queued (the
    // in-process runner below is its only delivery).
    const oldPath = `projects/${project.id}/scenes/${scene.id}/composition-earlier.json`;
    await uploadFile(oldPath, '{"earlier":true}', 'application/json');
    const jobId = randomUUID();
    await patchProject(project.id, (p) => {
      const now = Timestamp.now();
      p.scenes[0]!.assets = { composition_path: oldPath, generated_at: now };
      p.scenes[0]!.active_job = {
        job_id: jobId,
        type: 'composition',
        status: 'queued',
        progress: 0,
        started_at: now,
        last_update: now,
        attempt: 0,
        scene_id: scene.id,
        lease_until: null,
      };
    });

    // The store the runner writes through: just before the write that completes the job, the user cancels
    // it (the real callable, on the emulators), so that write finds the document changed.
    const { runner, store, config } = await runnerInProcess();
    let canceledFirst = false;
    const completes = (update: Record<string, unknown>) =>
      (update.scenes as SceneDoc[] | undefined)?.some(
        (s) => s.active_job?.job_id === jobId && s.active_job.status === 'completed',
      ) ?? false;
    const restore = store.useProjectStore({
      ...store.firestoreProjectStore,
      async update(projectId, update, version) {
        if (!canceledFirst && completes(update)) {
          canceledFirst = true;
          await client.call('cancelJob', { project_id: project.id, job_id: jobId });
        }
        return store.firestoreProjectStore.update(projectId, update, version);
      },
    });
    try {
      await runner.runTask(
        { project_id: project.id, job_id: jobId, type: 'composition', scene_id: scene.id },
        config.readJobConfig(),
      );
    } finally {
      restore();
    }

    expect(canceledFirst).toBe(true);
    const after = await readProjectOrFail(project.id);
    expect(jobOf(after, jobId)?.status).toBe('canceled');
    expect(after.scenes[0]!.assets.composition_path).toBe(oldPath);
    // The referenced asset is still there; the new, unreferenced file is not.
    expect(await listFiles(`projects/${project.id}/scenes/${scene.id}/`)).toEqual([oldPath]);
  });
});
