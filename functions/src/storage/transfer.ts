// Moves files between Cloud Storage and a local temp folder (the render's) by streaming: neither the inputs nor the
// result is ever held whole in memory.
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { bucket } from '../firebase.js';
import { storageWriteStream } from './upload.js';

export async function downloadFile(path: string, localPath: string, signal?: AbortSignal): Promise<void> {
  await pipeline(
    bucket().file(path).createReadStream(),
    createWriteStream(localPath),
    ...(signal ? [{ signal }] : []),
  );
}

/** The stored object's size in bytes (from its metadata, without reading it). */
export async function storedSize(path: string): Promise<number> {
  const [metadata] = await bucket().file(path).getMetadata();
  return Number(metadata.size ?? 0);
}

export async function uploadFile(
  localPath: string,
  path: string,
  contentType: string,
  signal?: AbortSignal,
): Promise<void> {
  const upload = storageWriteStream(path, contentType);
  await pipeline(createReadStream(localPath), upload, ...(signal ? [{ signal }] : []));
}
