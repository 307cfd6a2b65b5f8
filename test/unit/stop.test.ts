// Cancel deletes the tasks that may exist: the start, the sweep's and the webhook's resume tasks, the last
// named after the predictions the job recorded (the webhook names them the same way).
import { describe, expect, it, vi } from 'vitest';
import type { ProviderConfig } from '../../functions/src/config.js';

const deleted: string[] = [];
const canceled: string[] = [];
vi.mock('../../functions/src/firebase.js', () => ({
  functionsAdmin: () => ({
    taskQueue: () => ({
      delete: async (id: string) => {
        deleted.push(id);
      },
    }),
  }),
}));
vi.mock('../../functions/src/jobs/provider-clients.js', () => ({
  mediaProvider: () => ({
    cancel: async (id: string) => {
      canceled.push(id);
    },
  }),
}));

const { stopJobWork } = await import('../../functions/src/jobs/stop.js');
const { resumeTaskId } = await import('../../functions/src/jobs/queues.js');

describe('stopping a job', () => {
  it('cancels its predictions and deletes its start, sweep and webhook resume tasks', async () => {
    await stopJobWork(
      { job_id: 'job-1', type: 'moods', provider_ref: 'pred-a,,pred-c', deliveries: 1 },
      {} as ProviderConfig,
    );
    expect(canceled.sort()).toEqual(['pred-a', 'pred-c']);
    expect(deleted).toEqual(
      expect.arrayContaining([
        'job-1',
        'job-1-sweep-1',
        resumeTaskId('job-1', 'pred-a'),
        resumeTaskId('job-1', 'pred-c'),
      ]),
    );
    expect(resumeTaskId('job-1', 'pred-a')).toBe('job-1-resume-pred-a');
  });
});
