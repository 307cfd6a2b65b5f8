// Streams a provider output into Cloud Storage: the body is piped from the HTTP response into the upload,
// so memory stays flat whatever the file size (see storage/upload.ts for why no partial file can remain).
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { bucket } from '../firebase.js';
import { storageWriteStream } from '../storage/upload.js';
import { openOutput, type OutputKind } from '../providers/index.js';
import { outputPolicy } from './providers.js';

export interface PersistOptions {
  kind: OutputKind;
  signal?: AbortSignal;
  /** Called with bytes written so far (and the total if the provider said it). */
  onBytes?: (written: number, total?: number) => void;
}

export async function persistOutput(url: string, path: string, opts: PersistOptions) {
  const { stream, contentType, contentLength } = await openOutput(url, {
    kind: opts.kind,
    ...outputPolicy(),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  let written = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      written += chunk.length;
      opts.onBytes?.(written, contentLength);
      done(null, chunk);
    },
  });
  const upload = storageWriteStream(path, contentType);
  await pipeline(stream, counter, upload, ...(opts.signal ? [{ signal: opts.signal }] : []));
  return { path, bytes: written, contentType };
}

export async function saveJson(path: string, value: unknown): Promise<void> {
  await bucket()
    .file(path)
    .save(JSON.stringify(value, null, 2), { resumable: false, contentType: 'application/json' });
}

/** The JSON saved at `path`, or undefined when there is no such file. */
export async function loadJson(path: string): Promise<unknown> {
  try {
    const [content] = await bucket().file(path).download();
    return JSON.parse(content.toString('utf8')) as unknown;
  } catch (err) {
    if ((err as { code?: unknown }).code === 404) return undefined;
    throw err;
  }
}
