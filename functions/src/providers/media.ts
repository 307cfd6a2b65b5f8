// Media generation through the `replicate` SDK: create a prediction for a kind of media, read it, cancel
// it, or poll it to the end. With a webhook URL configured, Replicate reports start, logs and completion
// to it (the webhook function then drives the job); without one the caller polls with `waitUntilDone`.
//
// Retries: the SDK retries on its own (5 more attempts for GET 429/5xx, POST 429 and any thrown network
// error, with its backoff sleep effectively skipped). Each SDK call here gets a fetch that makes exactly one
// HTTP attempt and replays that outcome to the SDK's retry loop, so a failure surfaces at once and Cloud
// Tasks does the retrying with real backoff, as for the language model.
import type Replicate from 'replicate';
import { StillRunning, classifyError } from './errors.js';
import { resolveMediaModels } from './models.js';
import type { MediaInput, MediaKind, MediaModel } from './models.js';
import { isTerminal, toPredictionState } from './prediction.js';
import type { PredictionState } from './prediction.js';

export type WebhookEvent = 'start' | 'output' | 'logs' | 'completed';

export interface MediaProviderOptions {
  /** e.g. https://api.replicate.com/v1, or the stand-in's http://127.0.0.1:9700/replicate/v1 */
  baseURL: string;
  apiKey: string;
  /** Model per kind: `owner/name`, `owner/name:version`, or a MediaModel; empty or missing = default. */
  models?: Partial<Record<MediaKind, string | MediaModel>>;
  /** When set, predictions are created with this webhook (and the events below). */
  webhookUrl?: string;
  webhookEvents?: WebhookEvent[];
  /** Per HTTP request to the API. Default 30 s. */
  requestTimeoutMs?: number;
}

export interface WaitOptions {
  /** Called when status or progress changes (awaited, so a slow writer slows the polling, not the reverse). */
  onProgress?: (state: PredictionState) => void | Promise<void>;
  intervalMs?: number;
  signal?: AbortSignal;
  /**
   * When the wait must end (epoch ms): the caller's function dies at its timeout, and no wait may outlive
   * it. Past it `StillRunning` (a retryable `timeout` ProviderError) is thrown; the prediction keeps running.
   */
  deadline: number;
}

export interface MediaProvider {
  start(kind: MediaKind, input: MediaInput, options?: { signal?: AbortSignal }): Promise<PredictionState>;
  get(id: string, options?: { signal?: AbortSignal }): Promise<PredictionState>;
  cancel(id: string, options?: { signal?: AbortSignal }): Promise<PredictionState>;
  waitUntilDone(id: string, options: WaitOptions): Promise<PredictionState>;
  /** The model each kind resolves to, for logs and the job's `provider_ref`. */
  modelLabel(kind: MediaKind): string;
}

export const DEFAULT_WEBHOOK_EVENTS: WebhookEvent[] = ['start', 'logs', 'completed'];

type FetchLike = (input: Request | string, init?: RequestInit) => Promise<Response>;

/** One HTTP attempt per SDK call; the SDK's own retries see the first outcome again (see the top). */
function singleAttemptFetch(timeoutMs: number): FetchLike {
  let failure: { response: Response } | { error: unknown } | undefined;
  return async (input, init) => {
    if (failure) {
      if ('error' in failure) throw failure.error;
      return failure.response;
    }
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (init?.signal) signals.push(init.signal);
    try {
      const response = await fetch(input, { ...init, signal: AbortSignal.any(signals) });
      if (!response.ok) failure = { response };
      return response;
    } catch (error) {
      failure = { error };
      throw error;
    }
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createMediaProvider(options: MediaProviderOptions): MediaProvider {
  const models = resolveMediaModels(options.models);
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  let sdk: Promise<typeof Replicate> | undefined;

  // Loaded on first use: the functions' cold start must not pay for the SDK.
  async function client(): Promise<Replicate> {
    sdk ??= import('replicate').then((module) => module.default);
    const ReplicateClient = await sdk;
    return new ReplicateClient({
      auth: options.apiKey,
      baseUrl: options.baseURL,
      fetch: singleAttemptFetch(requestTimeoutMs),
    });
  }

  async function call<T>(action: (replicate: Replicate) => Promise<T>): Promise<T> {
    try {
      return await action(await client());
    } catch (err) {
      throw classifyError(err, 'replicate');
    }
  }

  const provider: MediaProvider = {
    modelLabel: (kind) => models[kind].label,

    async start(kind, input, startOptions = {}) {
      const model = models[kind];
      const webhook = options.webhookUrl
        ? {
            webhook: options.webhookUrl,
            webhook_events_filter: options.webhookEvents ?? DEFAULT_WEBHOOK_EVENTS,
          }
        : {};
      const target = model.version ? { version: model.version } : { model: model.model ?? '' };
      const prediction = await call((replicate) =>
        replicate.predictions.create({
          ...target,
          input: model.mapInput(input),
          ...webhook,
          ...(startOptions.signal ? { signal: startOptions.signal } : {}),
        }),
      );
      return toPredictionState(prediction);
    },

    async get(id, getOptions = {}) {
      const prediction = await call((replicate) => replicate.predictions.get(id, getOptions));
      return toPredictionState(prediction);
    },

    async cancel(id, cancelOptions = {}) {
      const prediction = await call((replicate) => replicate.predictions.cancel(id, cancelOptions));
      return toPredictionState(prediction);
    },

    async waitUntilDone(id, waitOptions) {
      const intervalMs = waitOptions.intervalMs ?? 1_000;
      const { signal, deadline } = waitOptions;
      const budgetSeconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      let last: PredictionState | undefined;
      let failuresInARow = 0;
      for (;;) {
        let state: PredictionState | undefined;
        try {
          state = await provider.get(id, signal ? { signal } : {});
          failuresInARow = 0;
        } catch (err) {
          // A blip while polling is not a failed prediction: keep polling unless it persists.
          const classified = classifyError(err, 'replicate');
          failuresInARow += 1;
          if (signal?.aborted || !classified.retryable || failuresInARow >= 5) throw classified;
        }
        if (state) {
          if (!last || state.status !== last.status || state.progress !== last.progress) {
            await waitOptions.onProgress?.(state);
          }
          last = state;
          if (isTerminal(state.status)) return state;
        }
        if (Date.now() + intervalMs > deadline) {
          throw new StillRunning(
            'replicate',
            `Replicate prediction ${id} did not finish within ${budgetSeconds} s`,
          );
        }
        try {
          await sleep(intervalMs, signal);
        } catch (err) {
          throw classifyError(err, 'replicate');
        }
      }
    },
  };
  return provider;
}
