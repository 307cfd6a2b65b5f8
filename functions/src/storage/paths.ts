// Every Storage object of a project lives under `projects/{project_id}/`: one prefix to list, to guard in the
// Storage rules and to delete with the project. Outputs are named after the job and the execution that made
// them (`outputId`), so two executions of one job never write, or delete, the same object (DESIGN.md "Writes").
import type { RenderKey, SceneAssetType } from '@reelforge/schema';

export function projectPrefix(projectId: string): string {
  return `projects/${projectId}/`;
}

export function moodImagePath(projectId: string, moodId: string, index: number, outputId: string): string {
  return `${projectPrefix(projectId)}moods/${moodId}/${outputId}-${index}.png`;
}

/** `extension` is the format the file really has (a provider may return e.g. a WAV soundtrack). */
export function sceneAssetPath(
  projectId: string,
  sceneId: string,
  type: SceneAssetType,
  outputId: string,
  extension: string,
): string {
  return `${projectPrefix(projectId)}scenes/${sceneId}/${type}-${outputId}.${extension}`;
}

/** A scene's voiceover in another of the ad's languages (the translate job): `voiceover-es-{outputId}.wav`. */
export function localizedVoiceoverPath(
  projectId: string,
  sceneId: string,
  language: string,
  outputId: string,
): string {
  return `${projectPrefix(projectId)}scenes/${sceneId}/voiceover-${language}-${outputId}.wav`;
}

/** A job's working file that a retry of the same job reads back (deleted when the job completes). */
export function jobScratchPath(projectId: string, jobId: string, name: string): string {
  return `${jobScratchPrefix(projectId, jobId)}${name}`;
}

/** Everything a job keeps for its retries; deleted at once when the job fails for good. */
export function jobScratchPrefix(projectId: string, jobId: string): string {
  return `${projectPrefix(projectId)}jobs/${jobId}/`;
}

/** A moods job's mood ids derive from its job id, so every execution of the job proposes the same moods. */
export function moodIdOf(jobId: string, index: number): string {
  return `${jobId.slice(0, 8)}-${index + 1}`;
}

/** The prefix of every image a moods job's executions stored (its mood ids all start with it). */
export function jobMoodImagesPrefix(projectId: string, jobId: string): string {
  return `${projectPrefix(projectId)}moods/${jobId.slice(0, 8)}-`;
}

/** One file of a render execution, by its render key: `renders/{outputId}-9x16.mp4`, and in another of the
 * ad's languages `renders/{outputId}-9x16-es.mp4`. */
export function renderPath(projectId: string, outputId: string, key: RenderKey): string {
  return `${renderStem(projectId, outputId, key)}.mp4`;
}

function renderStem(projectId: string, outputId: string, key: RenderKey): string {
  return `${projectPrefix(projectId)}renders/${outputId}-${key.replace(':', 'x').replace('@', '-')}`;
}

/** One file's delivery pack beside its MP4: `renders/{outputId}-9x16.mp4`, `.srt`, `.vtt`, `.jpg`. */
export function renderPackPaths(projectId: string, outputId: string, key: RenderKey) {
  const stem = renderStem(projectId, outputId, key);
  return {
    video_path: `${stem}.mp4`,
    srt_path: `${stem}.srt`,
    vtt_path: `${stem}.vtt`,
    poster_path: `${stem}.jpg`,
  };
}

/** The timing file beside a voiceover. */
export function voiceoverTimingPath(voiceoverPath: string): string {
  return voiceoverPath.replace(/\.[a-z0-9]+$/i, '') + '.timing.json';
}

export function musicPath(projectId: string, outputId: string, extension: string): string {
  return `${projectPrefix(projectId)}music/${outputId}.${extension}`;
}

/** Named by a fresh id: a new logo never overwrites the one a running render is reading. */
export function logoPath(projectId: string, id: string, extension: 'png' | 'jpg'): string {
  return `${projectPrefix(projectId)}brand/logo-${id}.${extension}`;
}

/** The product image (a PNG re-encoded from the upload), named by a fresh id like the logo. */
export function productImagePath(projectId: string, id: string): string {
  return `${projectPrefix(projectId)}brand/product-${id}.png`;
}

/** A scene's own footage, moved here from the user's upload once its bytes passed (extension from its bytes). */
export function sceneClipPath(projectId: string, sceneId: string, id: string, extension: string): string {
  return `${projectPrefix(projectId)}scenes/${sceneId}/clip-${id}.${extension}`;
}
