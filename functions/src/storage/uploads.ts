// The user's own uploads (schema/src/uploads.ts): read once by an attach callable, and deleted whatever it
// decided, so a refused upload leaves nothing behind and an accepted one lives on only as the project's copy.
import { UPLOADS_PREFIX } from '@reelforge/schema';
import { bucket } from '../firebase.js';
import { HTTP_NOT_FOUND, hasCode } from '../errors.js';

/** The upload's size, or undefined when there is no such object. */
export async function uploadSize(path: string): Promise<number | undefined> {
  try {
    const [metadata] = await bucket().file(path).getMetadata();
    return Number(metadata.size ?? 0);
  } catch (err) {
    if (hasCode(err, HTTP_NOT_FOUND)) return undefined;
    throw err;
  }
}

/** A whole small upload (an image) in memory. */
export async function readUpload(path: string): Promise<Buffer> {
  const [bytes] = await bucket().file(path).download();
  return bytes;
}

/** Uploads older than `minAgeMs` (at `nowMs`): nobody attached them in time. Deleted; returns how many. */
export async function deleteStaleUploads(nowMs: number, minAgeMs: number): Promise<number> {
  let deleted = 0;
  let pageToken: string | undefined;
  do {
    const [files, next] = await bucket().getFiles({
      prefix: UPLOADS_PREFIX,
      autoPaginate: false,
      maxResults: 1000,
      ...(pageToken ? { pageToken } : {}),
    });
    const stale = files.filter((file) => {
      const created = Date.parse(String(file.metadata.timeCreated ?? ''));
      return Number.isFinite(created) && nowMs - created >= minAgeMs;
    });
    await Promise.all(stale.map((file) => file.delete({ ignoreNotFound: true })));
    deleted += stale.length;
    pageToken = (next as { pageToken?: string } | null | undefined)?.pageToken;
  } while (pageToken);
  return deleted;
}
