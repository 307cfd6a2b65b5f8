// Short-lived download URLs, fetched with `getAssetUrls` and kept until shortly before they expire. A path
// the cache does not know (a file that arrived after the last answer) is asked for alone (`paths: [path]`):
// the backend signs only that file, and an answer requested after the caller learned of the file cannot
// predate it. `urls(projectId)` asks for every file at once. Concurrent asks for the same thing share one call.
import type { GetAssetUrlsResponse } from '@reelforge/schema';

interface Signed {
  url: string;
  /** Epoch ms after which the URL is not used (the expiry minus a margin). */
  usableUntil: number;
}

interface ProjectEntry {
  /** Path -> URL, from whole-project and single-path answers alike. */
  signed: Map<string, Signed>;
  /** Until when the last whole-project answer is usable (0: none). */
  wholeUntil: number;
}

export interface AssetUrlCacheOptions {
  /** Stop using a URL this long before it expires, so a download started with it still succeeds. */
  marginMs?: number;
  now?: () => number;
}

/** Asks the backend for URLs: of the named paths only, or of every file of the project when `paths` is absent. */
export type FetchAssetUrls = (projectId: string, paths?: string[]) => Promise<GetAssetUrlsResponse>;

export class AssetUrlCache {
  private readonly entries = new Map<string, ProjectEntry>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly marginMs: number;
  private readonly now: () => number;

  constructor(
    private readonly fetchUrls: FetchAssetUrls,
    options: AssetUrlCacheOptions = {},
  ) {
    this.marginMs = options.marginMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Every URL of the project's files (path -> URL), from the cache while it is fresh. */
  async urls(projectId: string): Promise<Record<string, string>> {
    if (this.entryOf(projectId).wholeUntil <= this.now()) await this.load(projectId, undefined);
    return Object.fromEntries(
      [...this.entryOf(projectId).signed]
        .filter(([, s]) => s.usableUntil > this.now())
        .map(([path, s]) => [path, s.url]),
    );
  }

  /** The URL of one stored file of the project, or undefined when the backend does not know the path. */
  async url(projectId: string, path: string): Promise<string | undefined> {
    const cached = this.usable(projectId, path);
    if (cached) return cached;
    // A whole-project answer on its way may hold the path; if it was sent before the file existed it does
    // not, and the path is then asked for alone.
    await this.inFlight.get(`${projectId}\n*`)?.catch(() => undefined);
    const whole = this.usable(projectId, path);
    if (whole) return whole;
    await this.load(projectId, path);
    return this.usable(projectId, path);
  }

  /** Forgets a project's URLs (e.g. after deleting it). */
  invalidate(projectId?: string): void {
    if (projectId === undefined) this.entries.clear();
    else this.entries.delete(projectId);
  }

  private usable(projectId: string, path: string): string | undefined {
    const signed = this.entries.get(projectId)?.signed.get(path);
    return signed && signed.usableUntil > this.now() ? signed.url : undefined;
  }

  private entryOf(projectId: string): ProjectEntry {
    let entry = this.entries.get(projectId);
    if (!entry) {
      entry = { signed: new Map(), wholeUntil: 0 };
      this.entries.set(projectId, entry);
    }
    return entry;
  }

  /** One call for the project's files (`path` undefined) or for one path; a same call in flight is shared. */
  private load(projectId: string, path: string | undefined): Promise<void> {
    const key = path === undefined ? `${projectId}\n*` : `${projectId}\n=${path}`;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const request = this.fetchUrls(projectId, path === undefined ? undefined : [path])
      .then(({ urls, expires_at }) => {
        const usableUntil = Date.parse(expires_at) - this.marginMs;
        const entry = this.entryOf(projectId);
        // A whole-project answer replaces what was known: a file it leaves out is gone.
        if (path === undefined) {
          entry.signed.clear();
          entry.wholeUntil = usableUntil;
        }
        for (const [p, url] of Object.entries(urls)) entry.signed.set(p, { url, usableUntil });
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, request);
    return request;
  }
}
