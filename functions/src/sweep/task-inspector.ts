// A seam over Cloud Tasks administration. firebase-admin's TaskQueue can enqueue and delete but cannot say
// whether a task is still waiting in its queue; the sweep asks that before it gives up on a queued job.
// Production uses @google-cloud/tasks (loaded on first use); the tasks emulator speaks no admin API at all,
// so under the emulators the answer is "unknown" and the sweep decides from the document alone.
import { REGION, isEmulated } from '../config.js';
import { GRPC, hasCode } from '../errors.js';
import { taskFunctionName } from '../jobs/registry.js';
import type { JobType } from '@reelforge/schema';

export type TaskPresence = 'pending' | 'absent' | 'unknown';

export interface TaskInspector {
  presence(type: JobType, taskId: string): Promise<TaskPresence>;
}

const unknownInspector: TaskInspector = { presence: async () => 'unknown' };

async function loadClient() {
  const { CloudTasksClient } = await import('@google-cloud/tasks');
  return new CloudTasksClient();
}

function cloudTasksInspector(): TaskInspector {
  let pendingClient: ReturnType<typeof loadClient> | undefined;
  return {
    async presence(type, id) {
      const project = process.env.GCLOUD_PROJECT ?? process.env.GCP_PROJECT;
      if (!project) return 'unknown';
      pendingClient ??= loadClient();
      const client = await pendingClient;
      // Firebase names a task function's queue after the function's id (firebase-tools' queueNameForEndpoint).
      const queue = taskFunctionName(type);
      const name = client.taskPath(project, REGION, queue, id);
      try {
        await client.getTask({ name });
        return 'pending';
      } catch (err) {
        return hasCode(err, GRPC.NOT_FOUND) ? 'absent' : 'unknown';
      }
    },
  };
}

let override: TaskInspector | undefined;

/** Tests replace the inspector to drive the sweep's decisions. */
export function setTaskInspector(inspector: TaskInspector | undefined): void {
  override = inspector;
}

export function taskInspector(): TaskInspector {
  return override ?? (isEmulated() ? unknownInspector : cloudTasksInspector());
}
