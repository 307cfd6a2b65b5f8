// Every Storage object of a project lives under `projects/{project_id}/`: one prefix to list, to guard in the
// Storage rules and to delete with the project. Outputs are named after the job that made them, so a retried
// task overwrites its own file instead of leaving a second one (DESIGN.md "Writes").
import type { SceneAssetType } from '@reelforge/schema';

export function projectPrefix(projectId: string): string {
  return `projects/${projectId}/`;
}

export function moodImagePath(projectId: string, moodId: string, index: number, jobId: string): string {
  return `${projectPrefix(projectId)}moods/${moodId}/${jobId}-${index}.png`;
}

/** `extension` is the format the file really has (a provider may return e.g. a WAV soundtrack). */
export function sceneAssetPath(
  projectId: string,
  sceneId: string,
  type: SceneAssetType,
  jobId: string,
  extension: string,
): string {
  return `${projectPrefix(projectId)}scenes/${sceneId}/${type}-${jobId}.${extension}`;
}

export function finalVideoPath(projectId: string, jobId: string): string {
  return `${projectPrefix(projectId)}renders/${jobId}.mp4`;
}
