// Every Storage object of a project lives under `projects/{project_id}/`: one prefix to list, to guard in the
// Storage rules and to delete with the project. Outputs are named after the job that made them, so a retried
// task overwrites its own file instead of leaving a second one (DESIGN.md "Writes").
import type { AspectRatio, SceneAssetType } from '@reelforge/schema';

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

/** One format of a render: `renders/{job}-9x16.mp4`. */
export function renderPath(projectId: string, jobId: string, format: AspectRatio): string {
  return `${projectPrefix(projectId)}renders/${jobId}-${format.replace(':', 'x')}.mp4`;
}

/** The timing file beside a voiceover. */
export function voiceoverTimingPath(voiceoverPath: string): string {
  return voiceoverPath.replace(/\.[a-z0-9]+$/i, '') + '.timing.json';
}

export function musicPath(projectId: string, jobId: string, extension: string): string {
  return `${projectPrefix(projectId)}music/${jobId}.${extension}`;
}

/** Named by a fresh id: a new logo never overwrites the one a running render is reading. */
export function logoPath(projectId: string, id: string, extension: 'png' | 'jpg'): string {
  return `${projectPrefix(projectId)}brand/logo-${id}.${extension}`;
}
