// Output files, served at /files/<prediction id>/<name> until they expire (Replicate deletes outputs after
// an hour; here the TTL is configurable). Files live on disk in a temp folder, never in memory, and a
// "big" output is generated while it streams: a real MP4 followed by one `free` box of padding, so the
// file is still a valid MP4 of any size without ever existing whole.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  json: 'application/json',
};

interface StoredFile {
  /** On-disk file, or for a big output the real MP4 that starts it. */
  path: string;
  contentType: string;
  size: number;
  /** When set, the file is `size` bytes: `path`'s bytes then a padding box. */
  big: boolean;
  expiresAt: number;
}

export interface FileServeCounters {
  filesServed: number;
  bytesServed: number;
  filesExpired: number;
}

export class FileStore {
  private readonly files = new Map<string, StoredFile>();
  private sweeper: NodeJS.Timeout | undefined;

  private constructor(readonly dir: string) {
    // Expired files are removed from disk now and then; requests check expiry themselves.
    this.sweeper = setInterval(() => void this.sweep(), 30_000);
    this.sweeper.unref();
  }

  static async create(): Promise<FileStore> {
    return new FileStore(await mkdtemp(join(tmpdir(), 'reelforge-standin-')));
  }

  /** A path inside the store's folder for a new file. */
  pathFor(name: string): string {
    return join(this.dir, name);
  }

  async add(key: string, path: string, ttlSeconds: number, bigBytes?: number): Promise<void> {
    const ext = path.slice(path.lastIndexOf('.') + 1);
    const { size } = await stat(path);
    const big = bigBytes !== undefined && bigBytes >= size + 16;
    this.files.set(key, {
      path,
      contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
      size: big ? bigBytes : size,
      big,
      expiresAt: Date.now() + ttlSeconds * 1000,
    });
  }

  /** Makes every file of a prediction expire now (the `expire_output` fault). */
  expirePrefix(prefix: string): void {
    for (const [key, file] of this.files) if (key.startsWith(prefix)) file.expiresAt = 0;
  }

  async serve(
    key: string,
    req: IncomingMessage,
    res: ServerResponse,
    counters: FileServeCounters,
  ): Promise<void> {
    const file = this.files.get(key);
    if (!file || Date.now() >= file.expiresAt) {
      if (file) counters.filesExpired += 1;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: 'Not found. The output may have expired.' }));
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.size) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    counters.filesServed += 1;
    const source = file.big ? bigStream(file.path, file.size) : createReadStream(file.path);
    // Counted as the bytes go out, so a reader can watch a download in progress.
    source.on('data', (chunk: Buffer) => {
      counters.bytesServed += chunk.length;
    });
    try {
      await pipeline(source, res);
    } catch {
      // The client went away mid-download: nothing to clean up beyond the stream itself.
    }
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const [key, file] of this.files) {
      if (now >= file.expiresAt + 60_000) {
        this.files.delete(key);
        await rm(file.path, { force: true });
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.files.clear();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** `head`'s bytes, then a 64-bit-size `free` box up to `total` bytes, zero-filled, pulled on demand. */
function bigStream(head: string, total: number): Readable {
  const chunk = Buffer.alloc(256 * 1024);
  async function* generate(): AsyncGenerator<Buffer> {
    let headBytes = 0;
    for await (const part of createReadStream(head)) {
      headBytes += (part as Buffer).length;
      yield part as Buffer;
    }
    const boxSize = total - headBytes;
    const header = Buffer.alloc(16);
    header.writeUInt32BE(1, 0);
    header.write('free', 4, 'latin1');
    header.writeBigUInt64BE(BigInt(boxSize), 8);
    yield header;
    let left = boxSize - 16;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      yield n === chunk.length ? chunk : chunk.subarray(0, n);
      left -= n;
    }
  }
  return Readable.from(generate(), { objectMode: false });
}
