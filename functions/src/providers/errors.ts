// What a provider's answer says about retrying it (its status, timeout, connection), recorded on the
// `ProviderError` it becomes. Whether a failed job is retried is decided in one place, jobs/retry.ts, which
// reads `retryable` from here; a job that is not retried fails with `message`, so the
// message must stay readable by a person: it keeps the provider's own words.

export type ProviderName = 'openai' | 'replicate' | 'output';

export interface ProviderErrorOptions {
  retryable: boolean;
  status?: number;
  code?: string;
  cause?: unknown;
}

export class ProviderError extends Error {
  readonly provider: ProviderName;
  readonly retryable: boolean;
  readonly status?: number;
  readonly code?: string;

  constructor(provider: ProviderName, message: string, options: ProviderErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.provider = provider;
    this.retryable = options.retryable;
    if (options.status !== undefined) this.status = options.status;
    if (options.code !== undefined) this.code = options.code;
  }
}

/**
 * A wait for a prediction reached the caller's deadline while the prediction still runs: nothing failed,
 * the caller's function is about to run out of time and must hand the work to a later execution.
 */
export class StillRunning extends ProviderError {
  constructor(provider: ProviderName, message: string) {
    super(provider, message, { retryable: true, code: 'timeout' });
    this.name = 'StillRunning';
  }
}

const PROVIDER_LABEL: Record<ProviderName, string> = {
  openai: 'OpenAI',
  replicate: 'Replicate',
  output: 'Output download',
};

/** Node/undici error codes that mean the connection broke, not that the request was wrong. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Node's codes for a module that cannot be loaded: a deployment bug, never healed by a retry. */
const MODULE_CODES = new Set(['MODULE_NOT_FOUND', 'ERR_MODULE_NOT_FOUND', 'ERR_UNSUPPORTED_RESOLVE_REQUEST']);

/** Phrases providers use when they refuse content; a retry would be refused the same way. */
const CONTENT_REFUSED =
  /nsfw|content (?:policy|filter|moderation)|safety (?:checker|system|filter)|flagged|sensitive content|refus/i;

/** HTTP statuses worth another attempt: timeouts, too-early, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  status?: unknown;
  cause?: unknown;
  response?: { status?: unknown };
}

function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : undefined;
}

/** Walks `err`, `err.cause`, ... (bounded) so a `fetch failed` TypeError still reveals its ECONNRESET. */
function causeChain(err: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = err;
  while (chain.length < 6) {
    const like = asErrorLike(current);
    if (!like) break;
    chain.push(like);
    current = like.cause;
  }
  return chain;
}

function httpStatusOf(err: ErrorLike): number | undefined {
  if (typeof err.status === 'number') return err.status;
  // The replicate SDK's ApiError carries the fetch Response.
  if (typeof err.response?.status === 'number') return err.response.status;
  return undefined;
}

/** Replicate errors embed the response body (`{"detail": ...}`); show its detail rather than raw JSON. */
function readableMessage(message: string): string {
  const match = /^Request to (\S+) failed with status (\d+)[^:]*: ([\s\S]*)\.$/.exec(message);
  if (!match) return message;
  const body = match[3] ?? '';
  try {
    const parsed = JSON.parse(body) as { detail?: unknown; title?: unknown };
    const parts = [parsed.title, parsed.detail].filter((p): p is string => typeof p === 'string' && p !== '');
    if (parts.length > 0) return parts.join(': ');
  } catch {
    // Not JSON: fall back to the body text itself.
  }
  return body.trim() || `HTTP ${match[2]}`;
}

/** The message, cut to a readable length: some errors embed whole URLs or response bodies. */
function messageOf(err: ErrorLike): string {
  const text = typeof err.message === 'string' && err.message !== '' ? err.message : 'unknown error';
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}

/**
 * Turns anything a provider call threw into a ProviderError with the retry decision made:
 * retryable for 408/425/429/5xx, timeouts, aborted requests and broken connections; permanent for other
 * 4xx, content refusals, validation failures and truncated or refused language-model answers.
 */
export function classifyError(err: unknown, provider: ProviderName): ProviderError {
  if (err instanceof ProviderError) return err;
  const label = PROVIDER_LABEL[provider];
  const chain = causeChain(err);
  const top = chain[0];
  if (!top) {
    return new ProviderError(provider, `${label} failed: ${String(err)}`, {
      retryable: true,
      code: 'unknown',
    });
  }
  const message = readableMessage(messageOf(top));
  // Heuristics below look only at the head of the message, where the error states what happened.
  const head = message.slice(0, 200);
  const name = typeof top.name === 'string' ? top.name : '';
  const ctor = (top as { constructor?: { name?: string } }).constructor?.name ?? '';
  const is = (n: string): boolean => name === n || ctor === n;

  // The openai SDK's own finish-reason errors (when `.parse()` is used): the answer is unusable as is.
  if (is('LengthFinishReasonError')) {
    return new ProviderError(provider, `${label}: the answer was cut off at the length limit`, {
      retryable: false,
      code: 'truncated',
      cause: err,
    });
  }
  if (is('ContentFilterFinishReasonError')) {
    return new ProviderError(provider, `${label}: the answer was blocked by the content filter`, {
      retryable: false,
      code: 'refused',
      cause: err,
    });
  }

  const status = httpStatusOf(top);
  if (status !== undefined && top.code === 'insufficient_quota') {
    // A 429 that waiting does not cure: the account is out of credit until someone pays.
    return new ProviderError(
      provider,
      `${label} refused the request: the account has run out of quota (insufficient_quota). Add credit or raise ` +
        'the spending limit in the billing settings, then retry the job',
      { retryable: false, status, code: 'insufficient_quota', cause: err },
    );
  }
  if (status !== undefined) {
    const refused = CONTENT_REFUSED.test(message);
    const retryable = isRetryableStatus(status) && !refused;
    const code = refused ? 'content_refused' : typeof top.code === 'string' ? top.code : `http_${status}`;
    const text = message.startsWith(String(status)) ? message : `${status} ${message}`;
    return new ProviderError(provider, `${label} ${text}`, { retryable, status, code, cause: err });
  }

  if (typeof top.code === 'string' && MODULE_CODES.has(top.code)) {
    return new ProviderError(provider, `${label} client could not be loaded: ${message}`, {
      retryable: false,
      code: 'internal',
      cause: err,
    });
  }
  if (is('TimeoutError') || is('APIConnectionTimeoutError') || /\btimed out\b|\btimeout\b/i.test(head)) {
    return new ProviderError(provider, `${label} request timed out: ${message}`, {
      retryable: true,
      code: 'timeout',
      cause: err,
    });
  }
  if (is('AbortError') || is('APIUserAbortError') || /\baborted\b/i.test(head)) {
    return new ProviderError(provider, `${label} request was aborted: ${message}`, {
      retryable: true,
      code: 'aborted',
      cause: err,
    });
  }
  for (const link of chain) {
    if (typeof link.code === 'string' && NETWORK_CODES.has(link.code)) {
      return new ProviderError(provider, `${label} connection failed (${link.code}): ${message}`, {
        retryable: true,
        code: link.code,
        cause: err,
      });
    }
  }
  if (is('APIConnectionError') || /socket hang up|fetch failed|network|other side closed/i.test(head)) {
    return new ProviderError(provider, `${label} connection failed: ${message}`, {
      retryable: true,
      code: 'network',
      cause: err,
    });
  }
  if (is('ZodError') || is('SyntaxError')) {
    return new ProviderError(provider, `${label} returned an invalid answer: ${message}`, {
      retryable: false,
      code: 'invalid_output',
      cause: err,
    });
  }
  if (CONTENT_REFUSED.test(head)) {
    return new ProviderError(provider, `${label} refused the content: ${message}`, {
      retryable: false,
      code: 'content_refused',
      cause: err,
    });
  }
  // Programming errors do not heal on retry; anything else unknown gets the benefit of the doubt.
  const programming = is('TypeError') || is('RangeError') || is('ReferenceError');
  return new ProviderError(provider, `${label} failed: ${message}`, {
    retryable: !programming,
    code: 'unknown',
    cause: err,
  });
}

/** Status of a finished Replicate prediction that did not succeed, as the PredictionState reports it. */
export interface FailedPrediction {
  id: string;
  status: 'failed' | 'canceled';
  error?: string;
}

/**
 * Classifies a prediction that ended `failed` or `canceled`. Replicate reports model failures in the
 * prediction, not as HTTP errors: content refusals and input validation are permanent; anything else
 * (out of memory, interrupted worker, internal timeout) is worth another attempt.
 */
export function classifyPredictionFailure(prediction: FailedPrediction): ProviderError {
  if (prediction.status === 'canceled') {
    return new ProviderError('replicate', `Replicate prediction ${prediction.id} was canceled`, {
      retryable: false,
      code: 'canceled',
    });
  }
  const detail = prediction.error?.trim() || 'no error message';
  const message = `Replicate prediction ${prediction.id} failed: ${detail}`;
  if (CONTENT_REFUSED.test(detail)) {
    return new ProviderError('replicate', message, { retryable: false, code: 'content_refused' });
  }
  if (
    /invalid|validation|must be|not allowed|unsupported|out of range|too (?:long|large|short)/i.test(detail)
  ) {
    return new ProviderError('replicate', message, { retryable: false, code: 'invalid_input' });
  }
  return new ProviderError('replicate', message, { retryable: true, code: 'prediction_failed' });
}
