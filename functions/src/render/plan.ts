// What goes into the final render: every scene in order with its clip, audio and duration. Refuses, naming
// the scenes, when any scene lacks its video clip (the render start callable checks too; the document may
// have changed between the call and the task).
import { sceneName, sceneVideoPath, type SceneDoc } from '@reelforge/schema';
import { PermanentJobError } from '../errors.js';

export interface PlannedScene {
  sceneNumber: number;
  /** What messages call the scene: `scene 2 "Pour"` (the schema's sceneName). */
  name: string;
  videoPath: string;
  audioPath?: string;
  /** The spoken line (WAV) and its word timings (JSON), when the scene has a voiceover. */
  voiceover?: { path: string; timingPath: string };
  durationSeconds: number;
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function planRender(scenes: readonly SceneDoc[]): PlannedScene[] {
  if (scenes.length === 0)
    throw new PermanentJobError('the storyboard has no scenes; draft a storyboard first.');
  const ordered = [...scenes].sort((a, b) => a.scene_number - b.scene_number);
  const missing = ordered.filter((s) => !sceneVideoPath(s));
  if (missing.length === 1) {
    throw new PermanentJobError(`${sceneName(missing[0]!)} has no video clip yet; generate it first.`);
  }
  if (missing.length > 1) {
    throw new PermanentJobError(
      `${list(missing.map(sceneName))} have no video clip yet; generate them first.`,
    );
  }
  return ordered.map((s) => ({
    sceneNumber: s.scene_number,
    name: sceneName(s),
    // A scene's own footage when it has some, else the generated clip.
    videoPath: sceneVideoPath(s)!,
    ...(s.assets.audio_path ? { audioPath: s.assets.audio_path } : {}),
    ...(s.assets.voiceover_path && s.assets.voiceover_timing_path
      ? { voiceover: { path: s.assets.voiceover_path, timingPath: s.assets.voiceover_timing_path } }
      : {}),
    durationSeconds: s.duration_seconds,
  }));
}
