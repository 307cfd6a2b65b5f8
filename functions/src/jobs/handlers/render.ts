// The final render: every scene's clip in scene order with its audio (or silence), each cut or held to the
// scene's duration, in the project's aspect ratio, as one H.264/AAC MP4 at a job-id-derived path. Inputs
// are streamed from Storage into a temp folder and the result streamed back; the folder is removed on every
// path. Progress: downloads 0-20, encoding 20-90, upload 90-100.
import { join } from 'node:path';
import type { ProjectDoc } from '@reelforge/schema';
import { finalVideoPath } from '../../storage/paths.js';
import { FfmpegError } from '../../render/run.js';
import { downloadInputs } from '../../render/inputs.js';
import { planRender } from '../../render/plan.js';
import { renderVideo } from '../../render/render-video.js';
import { uploadFile } from '../../render/transfer.js';
import { withTempDir } from '../../render/workdir.js';
import { slice } from '../progress.js';
import { PermanentJobError } from '../../errors.js';
import type { JobContext, JobOutcome, JobResult } from '../types.js';

/** What the render depends on, scene by scene, in order. */
function renderInputs(scenes: ProjectDoc['scenes']): string {
  return JSON.stringify(
    [...scenes]
      .sort((a, b) => a.scene_number - b.scene_number)
      .map((s) => [s.id, s.duration_seconds, s.assets.video_path ?? null, s.assets.audio_path ?? null]),
  );
}

export async function renderJob(ctx: JobContext): Promise<JobOutcome> {
  const { project, signal } = ctx;
  const plan = planRender(project.scenes);
  const path = finalVideoPath(project.id, ctx.job.job_id);
  const inputs = renderInputs(project.scenes);

  await withTempDir('reelforge-render-', async (dir) => {
    const downloaded = slice(0, 20);
    const clips = await downloadInputs(plan, dir, {
      signal,
      onFile: (done, total) => ctx.progress(downloaded((100 * done) / total)),
    });
    const output = join(dir, 'final.mp4');
    const encoded = slice(20, 90);
    try {
      await renderVideo({
        clips,
        aspectRatio: project.settings.aspect_ratio,
        output,
        signal,
        onProgress: (p) => ctx.progress(encoded(p)),
      });
    } catch (err) {
      // ffmpeg refusing the inputs (an undecodable clip) fails the same way every time; being killed (out
      // of memory) may not, so that stays retryable.
      if (err instanceof FfmpegError && err.exitCode !== null) {
        throw new PermanentJobError(
          `the clips could not be combined (${err.message.replaceAll(`${dir}/`, '')}).`,
        );
      }
      throw err;
    }
    await ctx.progress(90);
    await uploadFile(output, path, 'video/mp4', signal);
  });

  const result: JobResult = {
    files: [path],
    apply(fresh, _scene, now) {
      // The clips were read when the render started; an edit since (a new clip, a changed duration) would
      // make this video stale, so it is refused rather than recorded.
      if (renderInputs(fresh.scenes) !== inputs) {
        throw new PermanentJobError('the scenes changed while the ad was rendering; render again.');
      }
      const previous = fresh.assets.final_video_path;
      fresh.assets.final_video_path = path;
      fresh.assets.generated_at = now;
      return previous && previous !== path ? [previous] : [];
    },
  };
  return result;
}
