// The one definition of "the files a project references". The URL signer, the hourly storage
// reconciliation and the writes that delete what they stop naming all ask this function, so a new asset
// kind named here is kept, signed and released everywhere at once; a kind left out of it would be deleted
// by the reconciliation an hour after it was made (issue #23, item 1: logos, music beds and renders).
// `schema/test/project-files.test.ts` walks the project schema and fails when a path-valued field is
// missing here.
import { sceneAssetPaths } from './project.js';

/** The files of one rendered format. */
export interface RenderedFiles {
  video_path: string;
  srt_path?: string | undefined;
  vtt_path?: string | undefined;
  poster_path?: string | undefined;
}

/** The Storage paths of one format's delivery pack, the video first. */
export function renderedFilePaths(rendered: RenderedFiles | string | undefined): string[] {
  if (rendered === undefined) return [];
  if (typeof rendered === 'string') return [rendered];
  return [rendered.video_path, rendered.srt_path, rendered.vtt_path, rendered.poster_path].filter(
    (path): path is string => typeof path === 'string',
  );
}

/** The files a job done in parts (the render, by format) holds on its finished parts. */
interface JobWithParts {
  parts?: Partial<Record<string, { pack?: RenderedFiles | undefined }>> | undefined;
}

function partFilePaths(job: JobWithParts | null | undefined): string[] {
  return Object.values(job?.parts ?? {}).flatMap((part) => renderedFilePaths(part?.pack));
}

/** The structural part of a project (document or wire form) that holds Storage paths. */
export interface ProjectWithFiles {
  /** A job done in parts holds each finished part's files until it completes with them. */
  active_job?: JobWithParts | null | undefined;
  moods: readonly { image_paths: readonly string[] }[];
  storyboard: { selected_mood: { image_paths: readonly string[] } | null };
  scenes: readonly (Parameters<typeof sceneAssetPaths>[0] & {
    active_job?: JobWithParts | null | undefined;
  })[];
  assets: {
    final_video_path?: string | undefined;
    /** Each format's pack (a bare path in documents from before the pack; see RenderedFormatSchema). */
    renders?: Partial<Record<string, RenderedFiles | string>> | undefined;
    music_path?: string | undefined;
    logo_path?: string | undefined;
    product_image_path?: string | undefined;
  };
  /** The ad's other languages: each scene's voiceover and timing in that language. */
  localizations?:
    | Partial<
        Record<
          string,
          {
            scenes: readonly {
              voiceover_path?: string | undefined;
              voiceover_timing_path?: string | undefined;
            }[];
          }
        >
      >
    | undefined;
}

/** Every Storage path the project names, once each: mood images (candidates and the selected one), each
 * scene's assets, the render in the project's ratio and every other format, the music bed and the logo, and
 * the formats a render still running has finished (its job's parts), and the voiceovers of every other
 * language. */
export function projectFilePaths(project: ProjectWithFiles): string[] {
  const paths = [
    ...project.moods.flatMap((m) => m.image_paths),
    ...(project.storyboard.selected_mood?.image_paths ?? []),
    ...project.scenes.flatMap(sceneAssetPaths),
    project.assets.final_video_path,
    ...Object.values(project.assets.renders ?? {}).flatMap(renderedFilePaths),
    project.assets.music_path,
    project.assets.logo_path,
    project.assets.product_image_path,
    ...Object.values(project.localizations ?? {}).flatMap((l) =>
      (l?.scenes ?? []).flatMap((s) => [s.voiceover_path, s.voiceover_timing_path]),
    ),
    ...partFilePaths(project.active_job),
    ...project.scenes.flatMap((scene) => partFilePaths(scene.active_job)),
  ];
  return [...new Set(paths.filter((path): path is string => typeof path === 'string' && path !== ''))];
}
