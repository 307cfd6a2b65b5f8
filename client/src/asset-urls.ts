// Short-lived download URLs, fetched with `getAssetUrls` (one call signs every file of a project) and kept
// until shortly before they expire. A path the cached answer does not know (a file that arrived after it)
// triggers one fresh call; concurrent asks for one project share a single call.
import type { GetAssetUrlsResponse } from '@reelforge/schema';

interface Entry {
  urls: Record<string, string>;
  /** Epoch ms after which the entry is not used (the expiry minus a margin). */
  usableUntil: number;
}

export interface AssetUrlCacheOptions {
  /** Stop using a URL this long before it expires, so a download started with it still succeeds. */
  marginMs?: number;
  now?: () => number;
}

export class AssetUrlCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Entry>>();
  private readonly marginMs: number;
  private readonly now: () => number;

  constructor(
    private readonly fetchUrls: (projectId: string) => Promise<GetAssetUrlsResponse>,
    options: AssetUrlCacheOptions = {},
  ) {
    this.marginMs = options.marginMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Every URL of the project's files (path -> URL), from the cache while it is fresh. */
  async urls(projectId: string): Promise<Record<string, string>> {
    return (await this.entry(projectId, false)).urls;
  }

  /** The URL of one stored file of the project, or undefined when the backend does not know the path. */
  async url(projectId: string, path: string): Promise<string | undefined> {
    const cached = await this.entry(projectId, false);
    if (path in cached.urls) return cached.urls[path];
    return (await this.fresh(projectId)).urls[path];
  }

  /** Forgets a project's URLs (e.g. after deleting it). */
  invalidate(projectId?: string): void {
    if (projectId === undefined) this.entries.clear();
    else this.entries.delete(projectId);
  }

  /**
   * An answer asked for after this call began. A request still in flight may have been sent before the file
   * the caller now knows of was stored (two clips finishing a moment apart): it is waited out, not trusted.
   */
  private async fresh(projectId: string): Promise<Entry> {
    await this.inFlight.get(projectId)?.catch(() => undefined);
    return this.entry(projectId, true);
  }

  private entry(projectId: string, refresh: boolean): Promise<Entry> {
    const cached = this.entries.get(projectId);
    if (!refresh && cached && cached.usableUntil > this.now()) return Promise.resolve(cached);
    const pending = this.inFlight.get(projectId);
    if (pending) return pending;
    const request = this.fetchUrls(projectId)
      .then(({ urls, expires_at }) => {
        const entry = { urls, usableUntil: Date.parse(expires_at) - this.marginMs };
        this.entries.set(projectId, entry);
        return entry;
      })
      .finally(() => this.inFlight.delete(projectId));
    this.inFlight.set(projectId, request);
    return request;
  }
}
