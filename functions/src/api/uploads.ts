// The attach callables: a file the user uploaded under uploads/{uid}/ (storage.rules: only they can write
// there, within size and type limits) becomes the project's product image (setProductImage) or a scene's own
// footage (setSceneClip) once its bytes pass. What is stored under the project is the copy that was checked
// (an image re-encoded, a clip uploaded from the very file that was probed), never the upload object itself,
// which its owner could overwrite between the check and a copy. The upload is deleted whatever was decided;
// the project's copy is named by a fresh id, deleted again if the document write does not take it, and goes
// with the project.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { LIMITS, parseUploadPath, toWire } from '@reelforge/schema';
import { mutateProjectReleasingFiles } from '../projects/files.js';
import { assertSceneIdle, findScene } from '../projects/scenes.js';
import { readOwnedProject } from '../projects/store.js';
import { ClipRefused, checkClip } from '../render/uploaded-clip.js';
import { withTempDir } from '../render/workdir.js';
import { deleteFiles } from '../storage/files.js';
import { imageInfo } from '../storage/image-kind.js';
import { LogoRefused, normaliseImage } from '../storage/logo-image.js';
import { productImagePath, sceneClipPath } from '../storage/paths.js';
import { downloadFile, uploadFile } from '../storage/transfer.js';
import { saveBytes } from '../storage/upload.js';
import { readUpload, uploadSize } from '../storage/uploads.js';
import { callable } from './callable.js';
import { invalidArgument } from './errors.js';

/** The stored packshot fits inside this square: the end card shows it at most ~1000 px tall at 1080p. */
const PRODUCT_STORED_SIDE = 1600;
const MIB = 1024 * 1024;

const refused = (message: string) => invalidArgument([{ path: 'upload_path', message }]);

/** The caller's upload, present and within `maxBytes`. */
async function ownUpload(path: string, maxBytes: number): Promise<number> {
  const size = await uploadSize(path);
  if (size === undefined)
    throw refused('there is no such upload (it may have expired); upload the file again');
  if (size === 0) throw refused('the file is empty');
  if (size > maxBytes)
    throw refused(`the file is ${Math.ceil(size / MIB)} MiB; at most ${maxBytes / MIB} MiB`);
  return size;
}

/** Runs the attach and deletes the upload afterwards, whatever happened. Another user's upload path is
 * refused before anything, and never deleted: naming a path must not be a way to remove someone's file. */
async function consuming<T>(upload: string | null, uid: string, work: () => Promise<T>): Promise<T> {
  if (upload !== null && parseUploadPath(upload)?.uid !== uid)
    throw refused('must be one of your own uploads');
  try {
    return await work();
  } finally {
    if (upload !== null) await deleteFiles([upload]);
  }
}

export const setProductImage = callable(
  'setProductImage',
  async ({ project_id, upload_path }, { uid }) =>
    consuming(upload_path, uid, async () => {
      let path: string | undefined;
      if (upload_path !== null) {
        // Ownership first: nothing is read for a project the caller cannot see.
        await readOwnedProject(project_id, uid);
        await ownUpload(upload_path, LIMITS.PRODUCT_IMAGE_MAX_BYTES);
        const bytes = await readUpload(upload_path);
        // Magic bytes and the declared size before any decoding: a bomb is refused by its header.
        const info = imageInfo(bytes);
        if (!info) throw refused('must be a whole PNG or JPEG image');
        const max = LIMITS.UPLOAD_IMAGE_MAX_SIDE;
        if (info.width > max || info.height > max) {
          throw refused(
            `the image is ${info.width}x${info.height} px; it must be at most ${max} px on each side`,
          );
        }
        const stored = await normaliseImage(bytes, {
          maxSide: max,
          storedSide: PRODUCT_STORED_SIDE,
          what: 'the product image',
        }).catch((err: unknown) => {
          throw err instanceof LogoRefused ? refused(err.message) : err;
        });
        path = productImagePath(project_id, randomUUID());
        await saveBytes(path, stored, 'image/png');
      }
      try {
        const { project } = await mutateProjectReleasingFiles(project_id, { uid }, (p) => {
          // A keyframe job that paints with the product image reads it again on each delivery: it must not
          // change under one (its take records the image it was made with, for staleness).
          for (const scene of p.scenes) {
            if (scene.shows_product && scene.active_job?.type === 'image')
              assertSceneIdle(scene, 'change the product image');
          }
          if (path) p.assets.product_image_path = path;
          else delete p.assets.product_image_path;
        });
        return { project: toWire(project) };
      } catch (err) {
        if (path) await deleteFiles([path]);
        throw err;
      }
    }),
  { memory: '1GiB' },
);

export const setSceneClip = callable(
  'setSceneClip',
  async ({ project_id, scene_id, upload_path }, { uid }) =>
    consuming(upload_path, uid, async () => {
      let path: string | undefined;
      if (upload_path !== null) {
        const project = await readOwnedProject(project_id, uid);
        assertSceneIdle(findScene(project, scene_id), 'give it its own clip');
        await ownUpload(upload_path, LIMITS.CLIP_MAX_BYTES);
        path = await withTempDir('clip-', async (dir) => {
          const local = join(dir, 'upload');
          await downloadFile(upload_path, local);
          const clip = await checkClip(local).catch((err: unknown) => {
            throw err instanceof ClipRefused ? refused(err.message) : err;
          });
          const stored = sceneClipPath(project_id, scene_id, randomUUID(), clip.extension);
          await uploadFile(local, stored, clip.contentType);
          return stored;
        });
      }
      try {
        const { project } = await mutateProjectReleasingFiles(project_id, { uid }, (p) => {
          const scene = findScene(p, scene_id);
          assertSceneIdle(scene, 'give it its own clip');
          if (path) scene.assets.clip_path = path;
          else delete scene.assets.clip_path;
        });
        return { scene: toWire(findScene(project, scene_id)) };
      } catch (err) {
        if (path) await deleteFiles([path]);
        throw err;
      }
    }),
  // A 200 MiB clip is downloaded into /tmp (memory on Cloud Functions), probed and stored again.
  { memory: '1GiB', timeoutSeconds: 300 },
);
