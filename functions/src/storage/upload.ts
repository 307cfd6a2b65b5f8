// The one way files enter Cloud Storage. Uploads are not resumable: the object only comes into being when
// the upload completes, so an interrupted upload (a killed worker) leaves no partial file, and a retry
// writes the same job-id-derived path again.
import type { Writable } from 'node:stream';
import { bucket } from '../firebase.js';

export function storageWriteStream(path: string, contentType: string): Writable {
  return bucket()
    .file(path)
    .createWriteStream({
      resumable: false,
      contentType,
      metadata: { cacheControl: 'private, max-age=3600' },
    });
}

/** A small file already in memory (a voiceover, a logo) in one request. */
export async function saveBytes(path: string, bytes: Buffer, contentType: string): Promise<void> {
  await bucket()
    .file(path)
    .save(bytes, { resumable: false, contentType, metadata: { cacheControl: 'private, max-age=3600' } });
}
