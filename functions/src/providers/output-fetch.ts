// Opens a provider's output file as a stream, guarded: the URL comes from a third party's response, so it
// is fetched only from allowed hosts (each redirect hop re-checked), over https when required, with the
// content type the job expects and a size cap enforced both from Content-Length and on the bytes as they
// flow. The body is never buffered: the caller pipes the stream into Storage.
import { Readable } from 'node:stream';
import { ProviderError, classifyError, isRetryableStatus } from './errors.js';
import { contentTypeOfExtension, isContentTypeOf, type OutputKind } from './media-types.js';

export type { OutputKind } from './media-types.js';

const MiB = 1024 * 1024;
export const MAX_IMAGE_BYTES = 25 * MiB;
export const MAX_AUDIO_BYTES = 50 * MiB;
/**
 * A video clip is an input of the final render, whose memory (jobs-render, /tmp included) must hold every
 * input, the output and ffmpeg: so no clip larger than the render takes per file (render/inputs.ts reads
 * this very number), or a video job would store a clip that no render could ever use.
 */
export const MAX_VIDEO_BYTES = 200 * MiB;
export const MAX_JSON_BYTES = 1 * MiB;
export const DEFAULT_MAX_BYTES: Record<OutputKind, number> = {
  image: MAX_IMAGE_BYTES,
  video: MAX_VIDEO_BYTES,
  audio: MAX_AUDIO_BYTES,
  json: MAX_JSON_BYTES,
};
const MAX_REDIRECTS = 3;

export interface OpenOutputOptions {
  kind: OutputKind;
  /** `host`, `host:port`, or `*.domain` (any subdomain of domain). */
  allowedHosts: readonly string[];
  requireHttps: boolean;
  maxBytes?: number;
  /** For the response headers, then for each gap between chunks. Default 60 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface OpenedOutput {
  stream: Readable;
  /** Without parameters, e.g. `video/mp4` (for octet-stream, the type the extension stands for). */
  contentType: string;
  contentLength?: number;
  /** The URL the bytes came from after redirects. */
  finalUrl: string;
}

function refuse(message: string, code: string, status?: number): ProviderError {
  return new ProviderError('output', message, {
    retryable: false,
    code,
    ...(status === undefined ? {} : { status }),
  });
}

/** Whether `url`'s host is on the allow-list. An entry without a port allows only the default port. */
export function isHostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  return allowedHosts.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry === '') return false;
    if (entry.startsWith('*.')) {
      return url.port === '' && hostname.endsWith(entry.slice(1)) && hostname.length > entry.length - 1;
    }
    return entry === host || (url.port === '' && entry === hostname);
  });
}

function checkUrl(url: URL, options: OpenOutputOptions): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw refuse(`refused output URL with scheme ${url.protocol}`, 'bad_scheme');
  }
  if (options.requireHttps && url.protocol !== 'https:') {
    throw refuse(`refused plain-http output URL ${url.origin}: https is required`, 'https_required');
  }
  if (url.username || url.password) throw refuse('refused output URL with credentials', 'bad_url');
  if (!isHostAllowed(url, options.allowedHosts)) {
    throw refuse(`refused output from ${url.host}: not an allowed host`, 'host_not_allowed');
  }
}

function extensionOf(url: URL): string {
  const match = /\.([a-z0-9]+)$/i.exec(url.pathname);
  return match?.[1]?.toLowerCase() ?? '';
}

function checkContentType(raw: string | null, url: URL, kind: OutputKind): string {
  const type = (raw ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (isContentTypeOf(type, kind)) return type;
  const byExtension = contentTypeOfExtension(extensionOf(url), kind);
  if ((type === 'application/octet-stream' || type === 'binary/octet-stream') && byExtension) {
    return byExtension;
  }
  throw refuse(`refused ${kind} output with content type "${type || 'none'}"`, 'bad_content_type');
}

function statusError(status: number, url: URL): ProviderError {
  if (status === 404 || status === 410) {
    return refuse(`the provider's output URL has expired (${status} from ${url.host})`, 'expired', status);
  }
  return new ProviderError('output', `the output download failed with status ${status} from ${url.host}`, {
    retryable: isRetryableStatus(status),
    status,
    code: `http_${status}`,
  });
}

/** Fetch with a timeout on the headers; the returned controller aborts the body later. */
async function request(url: URL, controller: AbortController, timeoutMs: number): Promise<Response> {
  const timer = setTimeout(
    () => controller.abort(new DOMException('no response headers in time', 'TimeoutError')),
    timeoutMs,
  );
  try {
    // No Authorization header: prediction outputs are served from Replicate's delivery hosts
    // (replicate.delivery), which need no token. Replicate's own client reads them the same way: replicate
    // 1.4.0 `lib/stream.js` createFileOutput does a bare `fetch(url)`, while it adds `Bearer <token>` only to
    // api.replicate.com requests (index.js); docs: replicate.com/docs/topics/predictions/output-files. Not
    // sending it also keeps the token away from any host a redirect leads to.
    return await fetch(url, {
      redirect: 'manual',
      signal: controller.signal,
      headers: { 'accept-encoding': 'identity' },
    });
  } catch (err) {
    throw classifyError(controller.signal.reason ?? err, 'output');
  } finally {
    clearTimeout(timer);
  }
}

export async function openOutput(rawUrl: string, options: OpenOutputOptions): Promise<OpenedOutput> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES[options.kind];
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw refuse('refused an output URL that does not parse', 'bad_url');
  }

  const controller = new AbortController();
  const onCallerAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) throw classifyError(options.signal.reason, 'output');
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const detach = (): void => options.signal?.removeEventListener('abort', onCallerAbort);

  try {
    let response: Response | undefined;
    for (let hop = 0; ; hop += 1) {
      checkUrl(url, options);
      response = await request(url, controller, timeoutMs);
      if (response.status < 300 || response.status >= 400) break;
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location)
        throw refuse(`redirect without a location from ${url.host}`, 'bad_redirect', response.status);
      if (hop >= MAX_REDIRECTS)
        throw refuse(`more than ${MAX_REDIRECTS} redirects fetching the output`, 'too_many_redirects');
      url = new URL(location, url);
    }

    if (!response.ok) {
      await response.body?.cancel();
      throw statusError(response.status, url);
    }
    let contentType: string;
    try {
      contentType = checkContentType(response.headers.get('content-type'), url, options.kind);
    } catch (err) {
      await response.body?.cancel();
      throw err;
    }
    const lengthHeader = response.headers.get('content-length');
    const contentLength =
      lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    if (contentLength !== undefined && contentLength > maxBytes) {
      await response.body?.cancel();
      throw refuse(
        `the ${options.kind} output is ${contentLength} bytes, over the ${maxBytes}-byte cap`,
        'too_large',
      );
    }
    if (!response.body) throw refuse('the output response has no body', 'empty');

    const stream = guardedStream(response.body, {
      maxBytes,
      timeoutMs,
      controller,
      kind: options.kind,
      detach,
    });
    return {
      stream,
      contentType,
      finalUrl: url.toString(),
      ...(contentLength === undefined ? {} : { contentLength }),
    };
  } catch (err) {
    detach();
    controller.abort();
    throw err instanceof ProviderError ? err : classifyError(err, 'output');
  }
}

/**
 * A pull-based Readable over the response body: one chunk read per `read()` (so backpressure reaches the
 * socket), bytes counted against the cap, and a timer that fails a download whose provider stops sending.
 * The timer runs only while a read is waiting on the provider: a slow consumer (Storage applying
 * backpressure) is not a stalled download.
 */
function guardedStream(
  body: ReadableStream<Uint8Array>,
  guard: {
    maxBytes: number;
    timeoutMs: number;
    controller: AbortController;
    kind: OutputKind;
    detach: () => void;
  },
): Readable {
  const reader = body.getReader();
  let received = 0;
  let idle: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    clearTimeout(idle);
    idle = setTimeout(
      () => guard.controller.abort(new DOMException('the output download stalled', 'TimeoutError')),
      guard.timeoutMs,
    );
  };

  return new Readable({
    highWaterMark: 1024 * 1024,
    read() {
      armIdle();
      reader.read().then(
        ({ done, value }) => {
          clearTimeout(idle);
          if (done) {
            clearTimeout(idle);
            guard.detach();
            this.push(null);
            return;
          }
          received += value.byteLength;
          if (received > guard.maxBytes) {
            this.destroy(
              refuse(`the ${guard.kind} output exceeded the ${guard.maxBytes}-byte cap`, 'too_large'),
            );
            return;
          }
          this.push(value);
        },
        (err: unknown) => this.destroy(classifyError(guard.controller.signal.reason ?? err, 'output')),
      );
    },
    destroy(err, callback) {
      clearTimeout(idle);
      guard.detach();
      if (!guard.controller.signal.aborted) guard.controller.abort();
      reader.cancel().catch(() => undefined);
      callback(err);
    },
  });
}
