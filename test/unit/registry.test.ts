// The job registry is the one declaration of every job type: each type must have a handler, a stale limit,
// attempts, and a deployed task function whose name is the queue its jobs are enqueued on. A job type added
// to the schema without its registry entry fails here (and at compile time), not at run time.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { JobTypeSchema, type ActiveJobDoc } from '@reelforge/schema';
import { deployedFunctions } from './support/deployed.js';

// Captures the queue each enqueue goes to, instead of reaching Cloud Tasks.
const enqueuedOn: string[] = [];
vi.mock('../../functions/src/firebase.js', () => ({
  functionsAdmin: () => ({
    taskQueue: (name: string) => ({
      enqueue: async () => {
        enqueuedOn.push(name);
      },
      delete: async () => undefined,
    }),
  }),
}));

const { REGION } = await import('../../functions/src/config.js');
const { JOBS, JOB_MAX_ATTEMPTS, JOB_STALE_MINUTES, LABEL, STEP_NAMES, taskFunctionName } =
  await import('../../functions/src/jobs/registry.js');
const { enqueueJob } = await import('../../functions/src/jobs/queues.js');
const index = await import('../../functions/src/index.js');

const deployed = deployedFunctions(index);

function jobOf(type: ActiveJobDoc['type']): ActiveJobDoc {
  return { job_id: 'job-1', type } as ActiveJobDoc;
}

describe('job registry', () => {
  beforeEach(() => {
    enqueuedOn.length = 0;
  });

  it.each(JobTypeSchema.options)('%s: handler, limits, words and a task function', async (type) => {
    const job = JOBS[type];
    expect(typeof job.handler).toBe('function');
    expect(JOB_STALE_MINUTES[type]).toBeGreaterThan(0);
    expect(JOB_MAX_ATTEMPTS[type]).toBeGreaterThan(0);
    expect(LABEL[type]).toMatch(/\S/);
    expect(STEP_NAMES[type]).toMatch(/\S/);

    // The task function is deployed under the name its queue is enqueued on.
    await enqueueJob('p1', jobOf(type), type === 'render' ? undefined : 's1', 'job-1');
    expect(enqueuedOn).toEqual([`locations/${REGION}/functions/${taskFunctionName(type)}`]);
    const fn = deployed.get(taskFunctionName(type));
    expect(fn, `no deployed function named ${taskFunctionName(type)}`).toBeDefined();
    expect(fn!.__endpoint.taskQueueTrigger).toBeDefined();
    expect(fn!.__endpoint.region).toEqual([REGION]);
    // Cloud Tasks may deliver once more than the job's own attempts (the runner fails it on that one).
    expect(fn!.__endpoint.taskQueueTrigger!.retryConfig!.maxAttempts).toBe(JOB_MAX_ATTEMPTS[type] + 1);
  });

  it('deploys no task function that no job type enqueues to', () => {
    const queues = new Set(JobTypeSchema.options.map(taskFunctionName));
    const taskFunctions = [...deployed]
      .filter(([, fn]) => fn.__endpoint.taskQueueTrigger)
      .map(([name]) => name);
    expect(taskFunctions.filter((name) => !queues.has(name))).toEqual([]);
  });

  it('names queues as Cloud Tasks allows (letters, digits, hyphens)', () => {
    for (const type of JobTypeSchema.options) expect(taskFunctionName(type)).toMatch(/^[A-Za-z0-9-]{1,100}$/);
  });
});
