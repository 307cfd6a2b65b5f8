// getAssetUrls: short-lived download URLs for the files of the caller's project, only those asked for when
// the request names paths (each signature is an IAM call in production: signing every file of a big project
// on every call, as the SDK did for each new path, wasted most of them).
import { projectFilePaths, type ProjectDoc, type RenderKey } from '@reelforge/schema';
import { params } from '../config.js';
import { readOwnedProject } from '../projects/store.js';
import { takeNamedPaths } from '../projects/takes.js';
import { projectPrefix } from '../storage/paths.js';
import { assetUrls, attachmentDisposition } from '../storage/urls.js';
import { callable } from './callable.js';

/** The files of the project that may be signed: those it references (`projectFilePaths`, the definition
 * the storage reconciliation keeps by), and only under its own prefix (a path outside it, from a bug or a
 * manual edit, is never signed). */
export function projectAssetPaths(p: ProjectDoc): string[] {
  const prefix = projectPrefix(p.id);
  return projectFilePaths(p).filter((path) => path.startsWith(prefix));
}

/** The paths to sign: every signable file, or those of `asked` the project references (others are left
 * out of the answer, as a file that is gone would be). */
export function pathsToSign(p: ProjectDoc, asked: readonly string[] | undefined): string[] {
  const signable = projectAssetPaths(p);
  if (!asked) return signable;
  const known = new Set(signable);
  return [...new Set(asked)].filter((path) => known.has(path));
}

/** What each file of a format's delivery pack is saved as after "<project name>-<format>". */
const PACK_SUFFIX = { video_path: '.mp4', srt_path: '.srt', vtt_path: '.vtt', poster_path: '-poster.jpg' };

/**
 * The name a downloaded file is saved as: a render's files as "<project name>-<format>.mp4" (9:16 as 9x16,
 * and "-<language>" after it in another of the ad's languages: "Cold brew-9x16-es.mp4"; the name's characters
 * kept except those no file system takes), ".srt", ".vtt" and "-poster.jpg"; any other file as its own file
 * name.
 */
export function downloadFilename(p: ProjectDoc, path: string): string {
  const files: [RenderKey, string, string][] = Object.entries(p.assets.renders ?? {}).flatMap(([key, pack]) =>
    Object.entries(PACK_SUFFIX).flatMap(([field, suffix]) => {
      const stored = pack?.[field as keyof typeof PACK_SUFFIX];
      return stored ? [[key as RenderKey, stored, suffix] as [RenderKey, string, string]] : [];
    }),
  );
  if (p.assets.final_video_path) files.push([p.settings.aspect_ratio, p.assets.final_video_path, '.mp4']);
  const found = files.find(([, stored]) => stored === path);
  if (!found) return path.split('/').pop() ?? path;
  // Characters no file system takes in a name, and control characters.
  const name = p.name.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-').trim() || 'ad';
  return `${name}-${found[0].replace(':', 'x').replace('@', '-')}${found[2]}`;
}

export const getAssetUrls = callable('getAssetUrls', async ({ project_id, paths, download }, { uid }) => {
  const project = await readOwnedProject(project_id, uid);
  const disposition = download
    ? (path: string) => attachmentDisposition(downloadFilename(project, path))
    : undefined;
  const signed = pathsToSign(project, paths);
  // The files of takes not chosen (the studio's take strip) are the project's too: signed when asked by name.
  const others = (paths ?? []).filter(
    (path) => !signed.includes(path) && path.startsWith(projectPrefix(project.id)),
  );
  const ofTakes = others.length ? [...(await takeNamedPaths(project.id, others))] : [];
  return assetUrls([...signed, ...ofTakes], params.signedUrlTtlSeconds.value(), disposition);
});
