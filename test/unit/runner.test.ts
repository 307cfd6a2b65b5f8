// The runner's decisions (functions/src/jobs/runner.ts) on an in-memory project store: claim, duplicate,
// superseded, lost lease, retryable or permanent failure, last attempt, and a completion that loses its
// race. The handler is a stand-in; file deletions are recorded instead of reaching Storage.
import { Timestamp } from 'firebase-admin/firestore';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActiveJobDoc, ProjectDoc } from '@reelforge/schema';
import type { JobConfig } from '../../functions/src/config.js';
import { PermanentJobError } from '../../functions/src/errors.js';
import { ProviderError } from '../../functions/src/providers/errors.js';
import type { JobHandler, JobResult } from '../../functions/src/jobs/types.js';
import { jobOn, MemoryStore, sampleProject } from './support/memory-store.js';

const deleted: string[] = [];
vi.mock('../../functions/src/storage/files.js', () => ({
  deleteFiles: async (paths: readonly string[]) => {
    deleted.push(...paths);
  },
  // A job failed for good drops its retry files by prefix.
  deletePrefixes: async (prefixes: readonly string[]) => {
    deleted.push(...prefixes);
  },
}));

// No take names the files the stand-in handlers replace (takes are projects/takes.ts's, on Firestore).
vi.mock('../../functions/src/projects/takes.js', () => ({ takeNamedPaths: async () => new Set<string>() }));

const { useProjectStore } = await import('../../functions/src/projects/store.js');
const { runTask } = await import('../../functions/src/jobs/runner.js');
const { JOBS, JOB_MAX_ATTEMPTS } = await import('../../functions/src/jobs/registry.js');

const config = {} as JobConfig; // the stand-in handlers read none of it

let store: MemoryStore;
let restore: () => void;
beforeEach(() => {
  store = new MemoryStore();
  restore = useProjectStore(store);
  deleted.length = 0;
});
afterEach(() => {
  restore();
  vi.restoreAllMocks();
});

const OLD = 'projects/p/scenes/s/image-old.png';

/** A project whose scene has an earlier keyframe and an image job in the given state. */
function seed(fields: Partial<ActiveJobDoc> = {}) {
  const project = sampleProject();
  const scene = project.scenes[0]!;
  scene.assets = { thumbnail_path: OLD };
  scene.active_job = jobOn('image', fields, scene);
  store.put(project);
  const job = scene.active_job;
  const payload = { project_id: project.id, job_id: job.job_id, type: 'image' as const, scene_id: scene.id };
  return { project, scene, job, payload };
}

const jobIn = (project: ProjectDoc) => store.get(project.id).scenes[0]!.active_job!;

/** A handler that made `file` and sets it as the scene's keyframe; `during` runs while it works. */
function handlerMaking(file: string, during?: () => void): JobHandler {
  return async () => {
    during?.();
    const result: JobResult = {
      files: [file],
      apply(_p, scene) {
        const previous = scene!.assets.thumbnail_path;
        scene!.assets.thumbnail_path = file;
        return previous ? [previous] : [];
      },
    };
    return result;
  };
}

function useHandler(handler: JobHandler) {
  return vi.spyOn(JOBS.image, 'handler').mockImplementation(handler);
}

describe('runner', () => {
  it('claims a queued job, runs it and completes it; the replaced file is deleted', async () => {
    const { project, payload } = seed();
    useHandler(handlerMaking('projects/p/scenes/s/image-new.png'));
    await runTask(payload, config);
    expect(jobIn(project)).toMatchObject({
      status: 'completed',
      progress: 100,
      attempt: 1,
      lease_until: null,
    });
    expect(store.get(project.id).scenes[0]!.assets.thumbnail_path).toBe('projects/p/scenes/s/image-new.png');
    expect(deleted).toEqual([OLD]);
  });

  it('a duplicate delivery (another execution holds a live lease) changes nothing and asks to come back', async () => {
    const { project, payload } = seed({
      status: 'processing',
      attempt: 1,
      lease_until: Timestamp.fromMillis(Date.now() + 60_000),
    });
    const handler = useHandler(handlerMaking('x'));
    const writes = store.writes;
    // Refused, not acknowledged: Cloud Tasks delivers it again after its backoff (issue #11, item 1).
    await expect(runTask(payload, config)).rejects.toThrow(/held by a running execution/);
    expect(handler).not.toHaveBeenCalled();
    expect(store.writes).toBe(writes);
    expect(jobIn(project)).toMatchObject({ status: 'processing', attempt: 1 });
  });

  it('a superseded job (the scene holds a newer one) is acknowledged and left alone', async () => {
    const { project, payload } = seed();
    const handler = useHandler(handlerMaking('x'));
    const writes = store.writes;
    await runTask({ ...payload, job_id: 'an-older-job' }, config);
    expect(handler).not.toHaveBeenCalled();
    expect(store.writes).toBe(writes);
    expect(jobIn(project).status).toBe('queued');
  });

  it('an execution that lost its lease meanwhile discards its own file and changes nothing', async () => {
    const { project, payload } = seed();
    // While the handler works, the sweep hands the job to another delivery, which claims it anew.
    useHandler(
      handlerMaking('projects/p/scenes/s/image-mine.png', () =>
        store.change(project.id, (p) => {
          const job = p.scenes[0]!.active_job!;
          job.lease_until = null;
          job.status = 'queued';
        }),
      ),
    );
    await runTask(payload, config);
    expect(jobIn(project).status).toBe('queued');
    expect(store.get(project.id).scenes[0]!.assets.thumbnail_path).toBe(OLD);
    expect(deleted).toEqual(['projects/p/scenes/s/image-mine.png']);
  });

  it('a retryable error with attempts left requeues the job and is thrown for Cloud Tasks', async () => {
    const { project, payload } = seed();
    const err = new ProviderError('replicate', 'Replicate is overloaded (HTTP 503)', { retryable: true });
    useHandler(async () => {
      throw err;
    });
    await expect(runTask(payload, config)).rejects.toBe(err);
    expect(jobIn(project)).toMatchObject({ status: 'queued', attempt: 1, lease_until: null });
    expect(jobIn(project).error_message).toMatch(/^Retrying after: Keyframe image generation failed: /);
  });

  it('a permanent error fails the job at once with a message a person understands', async () => {
    const { project, payload } = seed();
    useHandler(async () => {
      throw new PermanentJobError('the prompt was refused.');
    });
    await runTask(payload, config);
    expect(jobIn(project)).toMatchObject({
      status: 'failed',
      error_message: 'Keyframe image generation failed: the prompt was refused.',
    });
  });

  it('a retryable error on the last attempt fails the job instead of retrying', async () => {
    const { project, payload } = seed({ attempt: JOB_MAX_ATTEMPTS.image - 1 });
    useHandler(async () => {
      throw new Error(
        'socket hang up: 403 reelforge@appspot.gserviceaccount.com lacks storage.objects.create on gs://reelforge-prod',
      );
    });
    await runTask(payload, config);
    expect(jobIn(project)).toMatchObject({ status: 'failed', attempt: JOB_MAX_ATTEMPTS.image });
    // A person reads the step and a reference; the raw error (accounts, buckets) stays in the log.
    expect(jobIn(project).error_message).toMatch(
      /^Keyframe image generation failed unexpectedly \(reference [0-9a-f]{8}\); please try again\.$/,
    );
  });

  it('a delivery after the last attempt fails the job without running it', async () => {
    const { project, payload } = seed({ attempt: JOB_MAX_ATTEMPTS.image });
    const handler = useHandler(handlerMaking('x'));
    await runTask(payload, config);
    expect(handler).not.toHaveBeenCalled();
    expect(jobIn(project)).toMatchObject({
      status: 'failed',
      error_message: `Gave up after ${JOB_MAX_ATTEMPTS.image} attempts.`,
    });
  });

  it('a completion that loses its race to a cancel keeps the old file and deletes the new one', async () => {
    const { project, payload } = seed();
    useHandler(handlerMaking('projects/p/scenes/s/image-new.png'));
    let canceled = false;
    store.beforeWrite = (id, update) => {
      const completing = JSON.stringify(update.scenes ?? []).includes('"status":"completed"');
      if (completing && !canceled) {
        canceled = true;
        store.change(id, (p) => (p.scenes[0]!.active_job!.status = 'canceled'));
      }
    };
    await runTask(payload, config);
    expect(canceled).toBe(true);
    expect(jobIn(project).status).toBe('canceled');
    expect(store.get(project.id).scenes[0]!.assets.thumbnail_path).toBe(OLD);
    expect(deleted).toEqual(['projects/p/scenes/s/image-new.png']);
  });

  it('a failure whose requeue loses its race to a cancel is not handed back to Cloud Tasks', async () => {
    const { project, payload } = seed();
    useHandler(async () => {
      throw new ProviderError('replicate', 'Replicate is overloaded (HTTP 503)', { retryable: true });
    });
    let canceled = false;
    store.beforeWrite = (id, update) => {
      const requeueing = JSON.stringify(update.scenes ?? []).includes('Retrying after');
      if (requeueing && !canceled) {
        canceled = true;
        store.change(id, (p) => (p.scenes[0]!.active_job!.status = 'canceled'));
      }
    };
    await expect(runTask(payload, config)).resolves.toBeUndefined();
    expect(canceled).toBe(true);
    expect(jobIn(project).status).toBe('canceled');
  });
});
