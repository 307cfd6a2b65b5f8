// Downloads every scene's clip and audio into the render's temp folder, a few at a time. On the first
// failure the other downloads are stopped and awaited, so nothing is still writing into the folder when it
// is removed.
import { extname, join } from 'node:path';
import { HTTP_NOT_FOUND, PermanentJobError, hasCode } from '../errors.js';
import type { LocalClip } from './command.js';
import type { PlannedScene } from './plan.js';
import { downloadFile, storedSize } from '../storage/transfer.js';
// The per-file cap is the one a video output is held to when it is stored: one number, not two.
import { MAX_VIDEO_BYTES } from '../providers/output-fetch.js';

const CONCURRENCY = 4;

/**
 * What a render may download. jobs-render has 2 GiB and its /tmp counts against it: the inputs, the output
 * (about as large as the inputs) and ffmpeg's own working memory (a few hundred MiB for the filter graph)
 * must all fit, so the inputs together get a quarter of it and no single file more than a tenth.
 */
export const RENDER_INPUT_LIMITS = { totalBytes: 512 * 1024 * 1024, fileBytes: MAX_VIDEO_BYTES } as const;

export interface SizedInput {
  sceneNumber: number;
  title: string;
  kind: 'video clip' | 'audio';
  bytes: number;
}

/** Why these inputs cannot be rendered within the function's memory, or undefined when they can. */
export function inputSizeProblem(
  inputs: readonly SizedInput[],
  limits: { totalBytes: number; fileBytes: number } = RENDER_INPUT_LIMITS,
): string | undefined {
  const mib = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MiB`;
  const big = inputs.find((input) => input.bytes > limits.fileBytes);
  if (big) {
    return `the ${big.kind} of scene ${big.sceneNumber} "${big.title}" is ${mib(big.bytes)}, over the ${mib(limits.fileBytes)} a render can take per file; generate it again shorter.`;
  }
  const total = inputs.reduce((sum, input) => sum + input.bytes, 0);
  if (total > limits.totalBytes) {
    return `the scenes' clips and audio add up to ${mib(total)}, over the ${mib(limits.totalBytes)} a render can hold; use fewer or shorter scenes.`;
  }
  return undefined;
}

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

  // Sizes first, from metadata: a render that cannot fit in its memory fails at once, saying why, instead
  // of being killed halfway through its downloads.
  const sized = await Promise.all(
    downloads.map(async (d) => ({
      sceneNumber: d.scene.sceneNumber,
      title: d.scene.title,
      kind: d.kind,
      bytes: await storedSize(d.path).catch((err: unknown) => {
        if (hasCode(err, HTTP_NOT_FOUND)) return 0; // reported as missing by its download below
        throw err;
      }),
    })),
  );
  const tooBig = inputSizeProblem(sized);
  if (tooBig) throw new PermanentJobError(tooBig);

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
