// The task functions, one `onTaskDispatched` per job type, made from the registry: each job type's queue
// gets the retry, rate and size settings of its entry. The job's own `attempt` counter decides when to give
// up (the task context's retry count is not available everywhere), so the retry config here only bounds
// Cloud Tasks: loosely enough that the deliveries which meet a live lease and are answered "later" (state.ts's
// `hand-back`; DELIVERIES_PER_ATTEMPT) never use up the retries a killed execution's job needs once its
// lease is found lost. index.ts exports the group as `jobs`, so each function deploys as `jobs-<key>`
// (registry.ts).
import { onTaskDispatched, type TaskQueueFunction } from 'firebase-functions/v2/tasks';
import { REGION, isEmulated, readJobConfig } from '../config.js';
import { JOB_TIMEOUT_SECONDS, JOB_TYPES, JOBS, taskKey } from './registry.js';
import { drainFollowUps } from '../projects/follow-ups.js';
import { runTask } from './runner.js';
import { taskRetryConfig } from './retry.js';

export { MAX_BACKOFF_SECONDS, MAX_DOUBLINGS } from './retry.js';

function taskFunction(type: (typeof JOB_TYPES)[number]): TaskQueueFunction {
  const { queue, secrets } = JOBS[type];
  return onTaskDispatched(
    {
      region: REGION,
      secrets: [...secrets],
      memory: queue.memory ?? '512MiB',
      ...(queue.cpu !== undefined ? { cpu: queue.cpu } : {}),
      timeoutSeconds: JOB_TIMEOUT_SECONDS[type],
      // From the sizing model (queue-sizing.ts): the providers' limits with headroom, shared by demand. Under
      // the emulator the rate stays at the tasks emulator's default (500/s): the stand-in it would guard has no
      // rate limit, and the test suite's time is kept as measured (bench/scale.ts simulates the rates).
      rateLimits: {
        ...(isEmulated() ? {} : { maxDispatchesPerSecond: queue.maxDispatchesPerSecond }),
        maxConcurrentDispatches: queue.maxConcurrentDispatches,
      },
      // Never more instances than deliveries the queue lets run at once: the queue is the throttle.
      maxInstances: queue.maxInstances,
      retryConfig: taskRetryConfig(type),
    },
    // Configuration is read here, at the function boundary, where this function's secrets are bound.
    async (request) => {
      try {
        await runTask(request.data, readJobConfig());
      } finally {
        // What the job's end set off (the production's next jobs) finishes before the task answers.
        await drainFollowUps();
      }
    },
  );
}

export const jobs: Record<string, TaskQueueFunction> = Object.fromEntries(
  JOB_TYPES.map((type) => [taskKey(type), taskFunction(type)]),
);
