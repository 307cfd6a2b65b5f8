// The job registry lists every job type's `defineJob` once and derives the rest: each type must have a
// handler, a queue, its stale limit from the schema's job type table, attempts, words, and a deployed task
// function whose name is the queue its jobs are enqueued on. A job type added to the schema without its
// definition fails here (and at compile time), not at run time.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  JOB_STALE_MINUTES,
  JOB_TYPE_TABLE,
  JobTypeSchema,
  ProjectJobTypeSchema,
  SceneJobTypeSchema,
  type ActiveJobDoc,
} from '@reelforge/schema';
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
const { JOBS, JOB_LIST, JOB_MAX_ATTEMPTS, LABEL, STEP_NAMES, byType, taskFunctionName } =
  await import('../../functions/src/jobs/registry.js');
const { enqueueJob } = await import('../../functions/src/jobs/queues.js');
const { PROJECT_DELETION_FUNCTION } = await import('../../functions/src/jobs/project-deletion.js');
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
    expect(job.type).toBe(type);
    expect(typeof job.handler).toBe('function');
    expect(job.queue.maxConcurrentDispatches).toBeGreaterThan(0);
    // The stale limit is the schema's (projects/ reads it there), carried onto the definition.
    expect(job.staleMinutes).toBe(JOB_TYPE_TABLE[type].staleMinutes);
    expect(JOB_STALE_MINUTES[type]).toBeGreaterThan(0);
    expect(job.attempts).toBeGreaterThan(0);
    expect(JOB_MAX_ATTEMPTS[type]).toBe(job.attempts);
    expect(job.label).toMatch(/\S/);
    expect(LABEL[type]).toBe(job.label);
    expect(job.step).toMatch(/\S/);
    expect(STEP_NAMES[type]).toBe(job.step);
    expect(typeof job.work).toBe('function');

    // The task function is deployed under the name its queue is enqueued on.
    await enqueueJob('p1', jobOf(type), type === 'render' ? undefined : 's1', 'job-1');
    expect(enqueuedOn).toEqual([`locations/${REGION}/functions/${taskFunctionName(type)}`]);
    const fn = deployed.get(taskFunctionName(type));
    expect(fn, `no deployed function named ${taskFunctionName(type)}`).toBeDefined();
    expect(fn!.__endpoint.taskQueueTrigger).toBeDefined();
    expect(fn!.__endpoint.region).toEqual([REGION]);
    // Cloud Tasks may deliver more often than the job's own attempts: deliveries that meet a live lease
    // come back later (the job's attempt counter, not Cloud Tasks, decides when it fails).
    expect(fn!.__endpoint.taskQueueTrigger!.retryConfig!.maxAttempts).toBeGreaterThan(JOB_MAX_ATTEMPTS[type]);
  });

  it('lists each job type of the schema exactly once', () => {
    expect(JOB_LIST.map((job) => job.type).sort()).toEqual([...JobTypeSchema.options].sort());
  });

  it('refuses a list that defines a type twice or leaves one out', () => {
    expect(() => byType([...JOB_LIST, JOBS.image])).toThrow('job type image is defined twice');
    expect(() => byType(JOB_LIST.filter((job) => job.type !== 'music'))).toThrow(
      'job types without a definition: music',
    );
  });

  it('makes the job type enums from the schema table: project jobs carry no scene', () => {
    expect([...ProjectJobTypeSchema.options, ...SceneJobTypeSchema.options].sort()).toEqual(
      Object.keys(JOB_TYPE_TABLE).sort(),
    );
    for (const type of ProjectJobTypeSchema.options) expect(JOB_TYPE_TABLE[type].on).toBe('project');
    for (const type of SceneJobTypeSchema.options) expect(JOB_TYPE_TABLE[type].on).toBe('scene');
  });

  it('asks a scene asset job for its words and for prerequisites that are scene asset jobs', () => {
    for (const job of JOB_LIST) {
      if (job.asset) expect(SceneJobTypeSchema.options).toContain(job.type);
      for (const needed of job.asset?.needs ?? []) expect(JOBS[needed].asset?.name).toMatch(/\S/);
    }
  });

  it('deploys no task function that no job type enqueues to (besides project deletion)', () => {
    const queues = new Set([...JobTypeSchema.options.map(taskFunctionName), PROJECT_DELETION_FUNCTION]);
    const taskFunctions = [...deployed]
      .filter(([, fn]) => fn.__endpoint.taskQueueTrigger)
      .map(([name]) => name);
    expect(taskFunctions.filter((name) => !queues.has(name))).toEqual([]);
  });

  it('names queues as Cloud Tasks allows (letters, digits, hyphens)', () => {
    for (const type of JobTypeSchema.options) expect(taskFunctionName(type)).toMatch(/^[A-Za-z0-9-]{1,100}$/);
  });
});
