// Streams a provider output into Cloud Storage: the body is piped from the HTTP response into the upload,
// so memory stays flat whatever the file size (see storage/upload.ts for why no partial file can remain).
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { storageWriteStream } from '../storage/upload.js';
import type { ProviderConfig } from '../config.js';
import { openOutput, type OutputKind } from '../providers/index.js';

export interface PersistOptions {
  kind: OutputKind;
  /** Where outputs may be fetched from (the job's provider configuration). */
  policy: ProviderConfig['output'];
  signal?: AbortSignal;
  /** Called with bytes written so far (and the total if the provider said it). */
  onBytes?: (written: number, total?: number) => void;
}

export async function persistOutput(url: string, path: string, opts: PersistOptions) {
  const { stream, contentType, contentLength } = await openOutput(url, {
    kind: opts.kind,
    ...opts.policy,
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
