// The render on local files: what the job runs between download and upload, and what the unit test runs
// without any emulator.
import { ffmpegPath } from './binary.js';
import { renderArgs, totalSeconds, type RenderCommand } from './command.js';
import { runFfmpeg } from './run.js';

export interface RenderVideoOptions extends RenderCommand {
  onProgress?: (percent: number) => unknown;
  signal?: AbortSignal;
}

export async function renderVideo(opts: RenderVideoOptions): Promise<void> {
  const binary = await ffmpegPath();
  await runFfmpeg(binary, renderArgs(opts), {
    totalSeconds: totalSeconds(opts.clips),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}
