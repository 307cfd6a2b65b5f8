// Downloads every scene's clip and audio into the render's temp folder, a few at a time. On the first
// failure the other downloads are stopped and awaited, so nothing is still writing into the folder when it
// is removed.
import { extname, join } from 'node:path';
import { HTTP_NOT_FOUND, PermanentJobError, hasCode } from '../errors.js';
import type { LocalClip } from './command.js';
import type { PlannedScene } from './plan.js';
import { downloadFile } from './transfer.js';

const CONCURRENCY = 4;

interface Download {
  scene: PlannedScene;
  kind: 'video clip' | 'audio';
  path: string;
  localPath: string;
}

function localName(scene: PlannedScene, kind: 'video' | 'audio', path: string): string {
  // Named after the scene so that an ffmpeg error about a file says which scene it is.
  return `scene-${String(scene.sceneNumber).padStart(2, '0')}-${kind}${extname(path) || '.bin'}`;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  /** Called after each finished file with how many are done out of how many. */
  onFile?: (done: number, total: number) => unknown;
}

export async function downloadInputs(plan: readonly PlannedScene[], dir: string, opts: DownloadOptions = {}) {
  const clips: LocalClip[] = [];
  const downloads: Download[] = [];
  for (const scene of plan) {
    const video = join(dir, localName(scene, 'video', scene.videoPath));
    downloads.push({ scene, kind: 'video clip', path: scene.videoPath, localPath: video });
    const clip: LocalClip = { video, durationSeconds: scene.durationSeconds };
    if (scene.audioPath) {
      clip.audio = join(dir, localName(scene, 'audio', scene.audioPath));
      downloads.push({ scene, kind: 'audio', path: scene.audioPath, localPath: clip.audio });
    }
    clips.push(clip);
  }

  const controller = new AbortController();
  const stopAll = () => controller.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', stopAll, { once: true });
  let next = 0;
  let done = 0;
  let firstError: unknown;
  const worker = async () => {
    while (next < downloads.length && !controller.signal.aborted) {
      const d = downloads[next++]!;
      try {
        await downloadFile(d.path, d.localPath, controller.signal);
        await opts.onFile?.(++done, downloads.length);
      } catch (err) {
        firstError ??= hasCode(err, HTTP_NOT_FOUND)
          ? new PermanentJobError(
              `the ${d.kind} of scene ${d.scene.sceneNumber} "${d.scene.title}" is missing from Storage; generate it again.`,
            )
          : err;
        controller.abort(firstError);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, downloads.length) }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', stopAll);
  }
  if (firstError !== undefined) throw firstError;
  if (opts.signal?.aborted) throw opts.signal.reason;
  return clips;
}
