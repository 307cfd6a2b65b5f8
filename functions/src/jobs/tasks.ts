// The task functions, one `onTaskDispatched` per job type, made from the registry: each job type's queue
// gets the retry, rate and size settings of its entry. The job's own `attempt` counter decides when to give
// up (the task context's retry count is not available everywhere), so maxAttempts here only bounds Cloud
// Tasks. index.ts exports the group as `jobs`, so each function deploys as `jobs-<key>` (registry.ts).
import { onTaskDispatched, type TaskQueueFunction } from 'firebase-functions/v2/tasks';
import { REGION } from '../config.js';
import { JOB_TYPES, JOBS, taskKey } from './registry.js';
import { runTask } from './runner.js';

function taskFunction(type: (typeof JOB_TYPES)[number]): TaskQueueFunction {
  const { queue, maxAttempts, secrets } = JOBS[type];
  return onTaskDispatched(
    {
      region: REGION,
      secrets: [...secrets],
      memory: queue.memory ?? '512MiB',
      ...(queue.cpu !== undefined ? { cpu: queue.cpu } : {}),
      timeoutSeconds: queue.timeoutSeconds ?? 540,
      rateLimits: { maxConcurrentDispatches: queue.maxConcurrentDispatches },
      // Never more instances than deliveries the queue lets run at once: the queue is the throttle.
      maxInstances: queue.maxConcurrentDispatches,
      retryConfig: {
        maxAttempts: maxAttempts + 1,
        minBackoffSeconds: queue.minBackoffSeconds ?? 5,
        maxBackoffSeconds: 300,
        maxDoublings: 4,
      },
    },
    (request) => runTask(request.data),
  );
}

export const jobs: Record<string, TaskQueueFunction> = Object.fromEntries(
  JOB_TYPES.map((type) => [taskKey(type), taskFunction(type)]),
);
