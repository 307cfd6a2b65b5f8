// Where a signed-in user's browser uploads a file before a callable attaches it to a project:
// `uploads/{uid}/{kind}/{name}`. storage.rules lets only that user write (and read) there, within the size and
// type limits below; the attach callables (setProductImage, setSceneClip) check the bytes, copy an accepted
// file under the project and delete the upload either way. An upload nobody attached is deleted by the hourly
// storage reconciliation once it is an hour old.
import { z } from 'zod';
import { LIMITS } from './limits.js';

export const UPLOAD_KINDS = {
  /** Product images: PNG or JPEG. */
  images: { maxBytes: LIMITS.PRODUCT_IMAGE_MAX_BYTES, contentTypes: ['image/png', 'image/jpeg'] },
  /** A scene's own footage: MP4, MOV or WebM. */
  clips: { maxBytes: LIMITS.CLIP_MAX_BYTES, contentTypes: ['video/mp4', 'video/quicktime', 'video/webm'] },
} as const;
export type UploadKind = keyof typeof UPLOAD_KINDS;

export const UPLOADS_PREFIX = 'uploads/';

/** The object's own name: a client-chosen id with an optional extension (the bytes decide what it is). */
const NAME = /^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9]{1,5})?$/;
const PATH = /^uploads\/([^/]{1,128})\/(images|clips)\/([^/]+)$/;

/** Where `uid` uploads a file of `kind`. */
export function uploadPath(uid: string, kind: UploadKind, name: string): string {
  return `${UPLOADS_PREFIX}${uid}/${kind}/${name}`;
}

/** The parts of an upload path, or undefined when it is not one. */
export function parseUploadPath(path: string): { uid: string; kind: UploadKind; name: string } | undefined {
  const match = PATH.exec(path);
  if (!match || !NAME.test(match[3]!)) return undefined;
  return { uid: match[1]!, kind: match[2] as UploadKind, name: match[3]! };
}

/** An upload path of the given kind, as a callable takes it (whose it is, the callable checks). */
export function uploadPathField(kind: UploadKind) {
  return z
    .string()
    .max(1024)
    .refine(
      (path) => parseUploadPath(path)?.kind === kind,
      `must be an upload path uploads/{uid}/${kind}/{name}`,
    );
}
