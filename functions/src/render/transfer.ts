// Moves files between Cloud Storage and the render's temp folder by streaming: neither the inputs nor the
// result is ever held whole in memory.
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { bucket } from '../firebase.js';

export async function downloadFile(path: string, localPath: string, signal?: AbortSignal): Promise<void> {
  await pipeline(
    bucket().file(path).createReadStream(),
    createWriteStream(localPath),
    ...(signal ? [{ signal }] : []),
  );
}

export async function uploadFile(
  localPath: string,
  path: string,
  contentType: string,
  signal?: AbortSignal,
): Promise<void> {
  // Not resumable: the object only comes into being when the upload completes, so an interrupted upload
  // leaves no partial file (and a retry writes the same job-id-derived path again).
  const upload = bucket()
    .file(path)
    .createWriteStream({
      resumable: false,
      contentType,
      metadata: { cacheControl: 'private, max-age=3600' },
    });
  await pipeline(createReadStream(localPath), upload, ...(signal ? [{ signal }] : []));
}
