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

/** Stores a small JSON document whole (a composition). */
export async function saveJson(path: string, value: unknown): Promise<void> {
  await bucket()
    .file(path)
    .save(JSON.stringify(value, null, 2), { resumable: false, contentType: 'application/json' });
}

/** The JSON stored at `path`, or undefined when there is no such object. */
export async function loadJson(path: string): Promise<unknown> {
  try {
    const [content] = await bucket().file(path).download();
    return JSON.parse(content.toString('utf8')) as unknown;
  } catch (err) {
    if ((err as { code?: unknown }).code === 404) return undefined;
    throw err;
  }
}

/** A small file already in memory (a voiceover, a logo) in one request. */
export async function saveBytes(path: string, bytes: Buffer, contentType: string): Promise<void> {
  await bucket()
    .file(path)
    .save(bytes, { resumable: false, contentType, metadata: { cacheControl: 'private, max-age=3600' } });
}
