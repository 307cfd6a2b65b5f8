// getAssetUrls: short-lived download URLs for the files of the caller's project, only those asked for when
// the request names paths (each signature is an IAM call in production: signing every file of a big project
// on every call, as the SDK did for each new path, wasted most of them).
import { projectFilePaths, type ProjectDoc } from '@reelforge/schema';
import { params } from '../config.js';
import { readOwnedProject } from '../projects/store.js';
import { projectPrefix } from '../storage/paths.js';
import { assetUrls } from '../storage/urls.js';
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

export const getAssetUrls = callable('getAssetUrls', async ({ project_id, paths }, { uid }) => {
  const project = await readOwnedProject(project_id, uid);
  return assetUrls(pathsToSign(project, paths), params.signedUrlTtlSeconds.value());
});
