// setLogo: the brand's logo for the end card, given as base64 (callables carry JSON). The bytes must be a
// whole PNG or JPEG of at most 2 MiB, whatever the client calls it, that decodes and is at most 4096 px a
// side; what is stored is a re-encoded PNG of at most 1024 px a side (storage/logo-image.ts), under the project
// at a fresh name (a render that is reading the old one keeps its copy) and the old one is deleted once the
// document points at the new one. `image_base64: null` removes the logo.
import { randomUUID } from 'node:crypto';
import { LIMITS, toWire } from '@reelforge/schema';
import { mutateProject, readOwnedProject } from '../projects/store.js';
import { imageInfo } from '../storage/image-kind.js';
import { LogoRefused, normaliseLogo } from '../storage/logo-image.js';
import { deleteFiles } from '../storage/files.js';
import { logoPath } from '../storage/paths.js';
import { saveBytes } from '../storage/upload.js';
import { callable } from './callable.js';
import { invalidArgument } from './errors.js';

export const setLogo = callable('setLogo', async ({ project_id, image_base64 }, { uid }) => {
  let path: string | undefined;
  if (image_base64 !== null) {
    const bytes = Buffer.from(image_base64, 'base64');
    if (bytes.length > LIMITS.LOGO_MAX_BYTES) {
      throw invalidArgument([{ path: 'image_base64', message: 'the logo must be at most 2 MiB' }]);
    }
    const info = imageInfo(bytes);
    if (!info) throw invalidArgument([{ path: 'image_base64', message: 'must be a PNG or JPEG image' }]);
    const stored = await normaliseLogo(bytes).catch((err: unknown) => {
      if (err instanceof LogoRefused) throw invalidArgument([{ path: 'image_base64', message: err.message }]);
      throw err;
    });
    // Ownership first: nothing is stored for a project the caller cannot see.
    await readOwnedProject(project_id, uid);
    path = logoPath(project_id, randomUUID(), 'png');
    await saveBytes(path, stored, 'image/png');
  }
  try {
    const { project, value: previous } = await mutateProject(project_id, { uid }, (p) => {
      const old = p.assets.logo_path;
      if (path) p.assets.logo_path = path;
      else delete p.assets.logo_path;
      return old ?? null;
    });
    if (typeof previous === 'string' && previous !== path) await deleteFiles([previous]);
    return { project: toWire(project) };
  } catch (err) {
    if (path) await deleteFiles([path]);
    throw err;
  }
});
