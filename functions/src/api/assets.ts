// getAssetUrls: short-lived download URLs for every file the caller's project references.
import { sceneAssetPaths, type ProjectDoc } from '@reelforge/schema';
import { params } from '../config.js';
import { readOwnedProject } from '../projects/store.js';
import { projectPrefix } from '../storage/paths.js';
import { assetUrls, attachmentDisposition } from '../storage/urls.js';
import { callable } from './callable.js';

/** Every Storage path the document holds: mood images (candidates and the selected one), each scene's
 * assets, every format of the render, the music bed and the logo. Duplicates are removed by `assetUrls`. */
export function projectAssetPaths(p: ProjectDoc): string[] {
  const paths = [
    ...p.moods.flatMap((m) => m.image_paths),
    ...(p.storyboard.selected_mood?.image_paths ?? []),
    ...p.scenes.flatMap(sceneAssetPaths),
    p.assets.final_video_path,
    ...Object.values(p.assets.renders ?? {}),
    p.assets.music_path,
    p.assets.logo_path,
  ];
  // Only the project's own files: a path outside its prefix (a bug, a manual edit) is never signed.
  const prefix = projectPrefix(p.id);
  return paths.filter((path): path is string => typeof path === 'string' && path.startsWith(prefix));
}

/**
 * The name a downloaded file is saved as: a render as "<project name>-<format>.mp4" (9:16 as 9x16, the
 * name's characters kept except those no file system takes), any other file as its own file name.
 */
export function downloadFilename(p: ProjectDoc, path: string): string {
  const formats = Object.entries(p.assets.renders ?? {});
  if (p.assets.final_video_path) formats.push([p.settings.aspect_ratio, p.assets.final_video_path]);
  const format = formats.find(([, rendered]) => rendered === path)?.[0];
  if (!format) return path.split('/').pop() ?? path;
  // Characters no file system takes in a name, and control characters.
  const name = p.name.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-').trim() || 'ad';
  return `${name}-${format.replace(':', 'x')}.mp4`;
}

export const getAssetUrls = callable('getAssetUrls', async ({ project_id, download }, { uid }) => {
  const project = await readOwnedProject(project_id, uid);
  const disposition = download
    ? (path: string) => attachmentDisposition(downloadFilename(project, path))
    : undefined;
  return assetUrls(projectAssetPaths(project), params.signedUrlTtlSeconds.value(), disposition);
});
