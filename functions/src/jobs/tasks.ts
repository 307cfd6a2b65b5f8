// One Cloud Tasks queue per job type, each an `onTaskDispatched` function. Retry and rate limits fit the
// provider behind the queue: language-model steps are quick and cheap; media generation is slow and costly;
// the render is heavy on CPU and memory. The job's own `attempt` counter decides when to give up (the task
// context's retry count is not available everywhere), so maxAttempts here only bounds Cloud Tasks.
import { onTaskDispatched, type TaskQueueOptions } from 'firebase-functions/v2/tasks';
import { JOB_MAX_ATTEMPTS, type JobType } from '@reelforge/schema';
import { REGION, secrets } from '../config.js';
import { runTask } from './runner.js';

const providerSecrets = [secrets.openaiApiKey, secrets.replicateApiToken];

function queue(type: JobType, options: Partial<TaskQueueOptions>) {
  return onTaskDispatched(
    {
      region: REGION,
      secrets: providerSecrets,
      memory: '512MiB',
      timeoutSeconds: 540,
      ...options,
      retryConfig: {
        maxAttempts: JOB_MAX_ATTEMPTS[type] + 1,
        minBackoffSeconds: 5,
        maxBackoffSeconds: 300,
        maxDoublings: 4,
        ...options.retryConfig,
      },
    },
    (request) => runTask(request.data),
  );
}

export const runMoodsJob = queue('moods', { rateLimits: { maxConcurrentDispatches: 10 } });
export const runStoryboardJob = queue('storyboard', { rateLimits: { maxConcurrentDispatches: 10 } });
export const runSceneTextJob = queue('scene_text', { rateLimits: { maxConcurrentDispatches: 20 } });
export const runCompositionJob = queue('composition', { rateLimits: { maxConcurrentDispatches: 20 } });
export const runImageJob = queue('image', { rateLimits: { maxConcurrentDispatches: 30 } });
export const runVideoJob = queue('video', {
  timeoutSeconds: 1800,
  memory: '1GiB',
  rateLimits: { maxConcurrentDispatches: 20 },
});
export const runAudioJob = queue('audio', { rateLimits: { maxConcurrentDispatches: 20 } });
export const runRenderJob = queue('render', {
  timeoutSeconds: 1800,
  memory: '2GiB',
  cpu: 2,
  rateLimits: { maxConcurrentDispatches: 5 },
  retryConfig: { minBackoffSeconds: 30 },
});
