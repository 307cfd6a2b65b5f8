// The final render: the finished ad (scene clips with crossfades, voiceover, captions, the music bed ducked
// under the voice, the brand end card, loudness-normalised) in every asked format from the same clips. Each
// format is its own part (jobs/parts.ts): its own task on its own function instance, rendered in parallel
// and retried alone. The job's own task fans out, and once every format is done it completes the job from
// what the formats recorded (the fan-in). A part streams its inputs from Storage into a temp folder and its
// delivery pack back; the folder is removed on every path. A part's progress: downloads 0-10, mixing and
// encoding 10-90, uploads 90-100; the job shows the mean of its formats'.
//
// The render reads only stored files: changing render settings (captions, end card, transition, logo,
// formats) and rendering again calls no provider.
//
// Each format renders from the project as its part found it when it started (renderSettingsOf), and records
// that snapshot with its pack: a setting changed while it renders is not in the video, and the studio can
// show what changed since. The media (clips, voiceovers, bed, logo) must be the same for every format and
// still the project's at completion: each part records a digest of what it read, and the fan-in renders
// again any format made from media edited since.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { QUEUE_SIZING } from '../queue-sizing.js';
import {
  parseRenderKey,
  renderKey,
  renderSettingsFor,
  sceneVideoPath,
  renderedFilePaths,
  renderedTakes,
  type AspectRatio,
  type ProjectDoc,
  type RenderCheck,
  type RenderKey,
} from '@reelforge/schema';
import { PermanentJobError, Unavailable } from '../../errors.js';
import { defineJob } from '../define.js';
import { downloadAd } from '../../render/inputs.js';
import { planRender, type PlannedScene } from '../../render/plan.js';
import { localizationCurrent } from '../../projects/localizations.js';
import { formatFileName, renderAd } from '../../render/render-ad.js';
import { FfmpegError } from '../../render/run.js';
import { RENDER_FUNCTION } from '../../render/function-size.js';
import { uploadFile } from '../../storage/transfer.js';
import { withTempDir } from '../../render/workdir.js';
import { renderPackPaths } from '../../storage/paths.js';
import { slice } from '../progress.js';
import { findJob } from '../state.js';
import type { JobContext, JobOutcome, JobResult, PartContext, PartResult } from '../types.js';

/** What the render depends on: the scenes in order with their media, and the project's bed and logo; in
 * another language, that language's voiceovers and call to action too. */
function renderInputs(project: ProjectDoc, language: string | undefined): string {
  const localized = language ? project.localizations?.[language] : undefined;
  return JSON.stringify({
    ...(language ? { language, localized: localized ? [localized.basis, localized.scenes] : null } : {}),
    scenes: [...project.scenes]
      .sort((a, b) => a.scene_number - b.scene_number)
      .map((s) => [
        s.id,
        s.duration_seconds,
        sceneVideoPath(s) ?? null,
        s.assets.audio_path ?? null,
        s.assets.voiceover_path ?? null,
      ]),
    music: project.assets.music_path ?? null,
    logo: project.assets.logo_path ?? null,
  });
}

/** A short digest of `renderInputs` for one file of the render, recorded on its part. */
export function renderBasis(project: ProjectDoc, key: RenderKey): string {
  const language = parseRenderKey(key)?.language;
  return createHash('sha256').update(renderInputs(project, language)).digest('hex').slice(0, 32);
}

/** Every file the job makes: each asked format in each asked language (every language of the ad when not
 * asked), the storyboard's own language keyed by the format alone. */
export function renderKeys(
  project: ProjectDoc,
  formats: readonly AspectRatio[],
  languages?: readonly string[],
): RenderKey[] {
  const [own] = project.settings.languages;
  const asked = languages?.length ? languages : project.settings.languages;
  return asked.flatMap((language) =>
    formats.map((f) => renderKey(f, language === own ? undefined : language)),
  );
}

/** The scenes as a render in `language` reads them: the same clips, that language's voiceovers. */
function localizedPlan(project: ProjectDoc, language: string | undefined): PlannedScene[] {
  const plan = planRender(project.scenes);
  if (!language) return plan;
  if (!localizationCurrent(project, language)) {
    throw new PermanentJobError(
      `the ad is not translated into ${language} as it stands (a line, a scene's length or the call to action changed); translate it again.`,
    );
  }
  const byScene = new Map(project.localizations![language]!.scenes.map((s) => [s.scene_id, s]));
  const ordered = [...project.scenes].sort((a, b) => a.scene_number - b.scene_number);
  return plan.map((planned, i) => {
    const own = byScene.get(ordered[i]!.id);
    const { voiceover: _storyboards, ...rest } = planned;
    return own?.voiceover_path && own.voiceover_timing_path
      ? { ...rest, voiceover: { path: own.voiceover_path, timingPath: own.voiceover_timing_path } }
      : rest;
  });
}

const EDITED_MESSAGE =
  'the scenes, the music bed or the logo changed while the ad was rendering; rendering again from them.';

/** The job's own task: fan out one part per format, then complete from them (or fail with the one that did). */
async function runRender(ctx: JobContext): Promise<JobOutcome> {
  const formats: AspectRatio[] = ctx.job.options?.formats ?? [ctx.project.settings.aspect_ratio];
  const parts = ctx.job.parts ?? {};
  // The files are the ones its first fan-out wrote: a language added to or removed from the settings while
  // it renders is the next render's, not a file this job starts late or leaves unnamed.
  const written = Object.keys(parts) as RenderKey[];
  const keys = written.length ? written : renderKeys(ctx.project, formats, ctx.job.options?.languages);
  const failed = keys.find((k) => parts[k]?.status === 'failed');
  if (failed) {
    throw new PermanentJobError(
      `the ${describeKey(failed)}: ${parts[failed]?.error_message ?? 'it failed.'}`,
    );
  }
  const outdated = keys.filter(
    (k) => parts[k]?.status === 'completed' && parts[k].basis !== renderBasis(ctx.project, k),
  );
  const done = keys.every((k) => parts[k]?.status === 'completed');
  if (!done || outdated.length) return ctx.fanOut(keys, outdated);
  return completion(ctx.job.job_id, keys);
}

/** What messages call one file of the render: `9:16 format`, `9:16 format in es`. */
function describeKey(key: RenderKey): string {
  const parsed = parseRenderKey(key);
  return parsed?.language ? `${parsed.format} format in ${parsed.language}` : `${key} format`;
}

/** Records every format's pack from its part, in the completing write. */
function completion(jobId: string, keys: readonly RenderKey[]): JobResult {
  return {
    // The files are the parts': named by the job until this write, by `assets.renders` after it. Should this
    // write not happen (canceled, failed) the job's end deletes them (stop.ts), never this execution.
    files: [],
    apply(fresh, _scene, now) {
      // A media edit since the parts read theirs would make these videos stale: refused rather than recorded,
      // and the job's next attempt renders the formats again from the storyboard as it is now (a passing
      // condition, failed for good only if edits keep coming past its attempts).
      const own = findJob(fresh, jobId)!.job;
      const renders = { ...fresh.assets.renders };
      const made = { ...fresh.assets.render_settings };
      const replaced = new Set<string>();
      for (const key of keys) {
        const part = own.parts![key]!;
        const { pack, settings } = part;
        if (!pack || !settings || part.basis !== renderBasis(fresh, key))
          throw new Unavailable(EDITED_MESSAGE);
        const kept = new Set(renderedFilePaths(pack));
        for (const previous of renderedFilePaths(renders[key])) {
          if (!kept.has(previous)) replaced.add(previous);
        }
        // Delivered whatever its checks say: a failing check marks the file, it does not withhold it.
        // With the takes it was made from (the media is the fresh document's: the basis above says so).
        renders[key] = { ...pack, takes: renderedTakes(fresh.scenes) };
        made[key] = settings;
        // Named by `assets.renders` from now on; the finished job keeps only each format's state.
        delete part.pack;
        delete part.settings;
      }
      fresh.assets.renders = renders;
      fresh.assets.render_settings = made;
      const inRatio = keys.includes(fresh.settings.aspect_ratio)
        ? renders[fresh.settings.aspect_ratio]
        : undefined;
      if (inRatio) {
        const previous = fresh.assets.final_video_path;
        // A final video from before per-format renders is not in the map: delete it with the rest.
        const named = new Set(Object.values(renders).flatMap(renderedFilePaths));
        if (previous && previous !== inRatio.video_path && !named.has(previous)) replaced.add(previous);
        fresh.assets.final_video_path = inRatio.video_path;
      }
      fresh.assets.generated_at = now;
      return [...replaced];
    },
  };
}

/** One format's part: download the media, render the ad in that format with its pack, upload the pack. */
async function renderFormat(ctx: PartContext): Promise<PartResult> {
  const { project, signal, part: key } = ctx;
  const { format, language } = parseRenderKey(key)!;
  const plan = localizedPlan(project, language);
  const pack = renderPackPaths(project.id, ctx.outputId, key);
  const settings = renderSettingsFor(project, language);
  const basis = renderBasis(project, key);
  const startedMs = Date.now();
  let checks: RenderCheck[] = [];
  try {
    await withTempDir('reelforge-render-', async (dir) => {
      const downloaded = slice(0, 10);
      const spec = await downloadAd(settings, plan, dir, {
        signal,
        onFile: (done, total) => ctx.progress(downloaded((100 * done) / total)),
      });
      const encoded = slice(10, 90);
      const local = (extension: string) => join(dir, `ad-${formatFileName(format)}.${extension}`);
      try {
        const made = await renderAd({
          spec,
          formats: [format],
          workDir: dir,
          outputFor: () => local('mp4'),
          packFor: () => ({ srt: local('srt'), vtt: local('vtt'), poster: local('jpg') }),
          sceneNames: plan.map((s) => s.name),
          signal,
          onProgress: (p) => ctx.progress(encoded(p)),
        });
        checks = made.checks[format] ?? [];
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
      await uploadFile(local('mp4'), pack.video_path, 'video/mp4', signal);
      await uploadFile(local('srt'), pack.srt_path, 'application/x-subrip', signal);
      await uploadFile(local('vtt'), pack.vtt_path, 'text/vtt', signal);
      await uploadFile(local('jpg'), pack.poster_path, 'image/jpeg', signal);
    });
  } finally {
    // The function's time is billed however the part ends: what it ran, at the size it is deployed with.
    ctx.cost.compute({
      vcpu: RENDER_FUNCTION.vcpu,
      memoryGiB: RENDER_FUNCTION.memoryGiB,
      seconds: (Date.now() - startedMs) / 1000,
    });
  }
  return {
    files: renderedFilePaths(pack),
    record(part) {
      part.pack = { ...pack, checks };
      part.settings = settings;
      part.basis = basis;
    },
  };
}

export const renderJob = defineJob({
  type: 'render',
  label: 'render',
  step: 'The final render',
  queue: {
    ...QUEUE_SIZING.render,
    memory: RENDER_FUNCTION.memory,
    cpu: RENDER_FUNCTION.vcpu,
    timeoutSeconds: RENDER_FUNCTION.timeoutSeconds,
    minBackoffSeconds: 30,
  },
  // A render is expensive: fewer tries (for the job, and for each of its formats).
  attempts: 2,
  secrets: [],
  // ffmpeg on our own function: no provider bill, but its compute. Estimated at the function's timeout for
  // each format (the longest a format's task may run), so the estimate errs high like every other; each
  // format's task books the seconds it really ran.
  work: ({ options, project }) => [
    {
      compute: {
        vcpu: RENDER_FUNCTION.vcpu,
        memoryGiB: RENDER_FUNCTION.memoryGiB,
        seconds:
          RENDER_FUNCTION.timeoutSeconds *
          (options?.formats?.length ?? 1) *
          (options?.languages?.length ?? project.settings.languages.length),
      },
    },
  ],
  handler: runRender,
  parts: { handler: renderFormat },
});
