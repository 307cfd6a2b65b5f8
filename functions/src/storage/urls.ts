// Short-lived download URLs for stored assets. Documents hold Storage paths only (DESIGN.md "Data"); a client
// asks for URLs when it needs to show something. In production they are V4 signed URLs. Under the emulators
// nothing can sign (no service-account key), and the Storage emulator's GCS media route serves any object
// without rules, so the emulator's media URL stands in.
import { bucket } from '../firebase.js';

export interface AssetUrls {
  /** Storage path -> URL. */
  urls: Record<string, string>;
  expires_at: string;
}

/** In production each signature is an IAM signBlob call; a bounded pool keeps a big project from bursting. */
const SIGNING_CONCURRENCY = 16;

/** Origin of the Storage emulator when one is in use (`http://127.0.0.1:9199`), else null. */
export function storageEmulatorOrigin(): string | null {
  const host = process.env.STORAGE_EMULATOR_HOST || process.env.FIREBASE_STORAGE_EMULATOR_HOST;
  if (!host) return null;
  return (/^https?:\/\//.test(host) ? host : `http://${host}`).replace(/\/+$/, '');
}

export function emulatorMediaUrl(origin: string, bucketName: string, path: string): string {
  return `${origin}/download/storage/v1/b/${encodeURIComponent(bucketName)}/o/${encodeURIComponent(path)}?alt=media`;
}

/**
 * A Content-Disposition that saves the file as `filename`: an ASCII fallback for old clients beside the
 * RFC 5987 form (a project name may hold any character).
 */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * `disposition`, when given, names the Content-Disposition each URL's response carries (a download). A V4
 * signed URL signs it (`response-content-disposition`); under the emulators the same query parameter is
 * added to the media URL, which the harness's Storage server honours as GCS does.
 */
export async function assetUrls(
  paths: readonly string[],
  ttlSeconds: number,
  disposition?: (path: string) => string,
): Promise<AssetUrls> {
  const expires = Date.now() + ttlSeconds * 1000;
  const unique = [...new Set(paths)];
  const target = bucket();
  const origin = storageEmulatorOrigin();
  const sign = async (path: string): Promise<string> => {
    const responseDisposition = disposition?.(path);
    if (origin) {
      const media = emulatorMediaUrl(origin, target.name, path);
      return responseDisposition
        ? `${media}&response-content-disposition=${encodeURIComponent(responseDisposition)}`
        : media;
    }
    const [url] = await target.file(path).getSignedUrl({
      version: 'v4',
      action: 'read',
      expires,
      ...(responseDisposition ? { responseDisposition } : {}),
    });
    return url;
  };
  const urls: Record<string, string> = {};
  for (let i = 0; i < unique.length; i += SIGNING_CONCURRENCY) {
    const batch = unique.slice(i, i + SIGNING_CONCURRENCY);
    const signed = await Promise.all(batch.map(sign));
    batch.forEach((path, j) => (urls[path] = signed[j] as string));
  }
  return { urls, expires_at: new Date(expires).toISOString() };
}
