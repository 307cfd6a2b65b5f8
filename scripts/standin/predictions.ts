// Replicate predictions: each moves starting -> processing -> succeeded (or failed/canceled) over the
// configured time, writes its model's progress lines to its logs (tqdm bars; audiocraft's token counter for
// music), makes its media with ffmpeg meanwhile, and reports to its webhook (start, logs, completed) when it
// has one.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { hexColours } from './answers.js';
import type { StandinConfig } from './config.js';
import { makeAudio, makeImage, makeVideo, sizeFor } from './ffmpeg.js';
import type { FileStore } from './files.js';
import type { Fault } from './faults.js';
import { randomId, seedFrom } from './random.js';
import { pasteReference, referenceSize, referenceUrl } from './reference.js';
import type { StandinMediaKind, StandinStats } from './stats.js';
import { recordMedia } from './stats.js';
import { deliver } from './webhooks.js';
import type { Contracts } from './contracts.js';
import { LatencyDraws, type LatencyKind } from './latency.js';
import type { ContractViolation } from './traffic.js';

export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
type WebhookEvent = 'start' | 'output' | 'logs' | 'completed';
const ALL_EVENTS: WebhookEvent[] = ['start', 'output', 'logs', 'completed'];
const TICKS = 10;

export interface Prediction {
  id: string;
  model: string;
  version: string;
  kind: StandinMediaKind;
  input: Record<string, unknown>;
  status: PredictionStatus;
  logs: string;
  output: unknown;
  error: string | null;
  created_at: string;
  started_at?: string;
  completed_at?: string;
  /** When its output (and the files) are removed, as Replicate does an hour after an API prediction ends. */
  removeAt?: number;
  webhook?: string;
  webhook_events_filter: WebhookEvent[];
  faults: Fault[];
  /** Internal: timers and the ffmpeg work to stop on cancel. */
  timers: NodeJS.Timeout[];
  abort: AbortController;
  lastLogsWebhook: number;
  pendingLogsWebhook?: NodeJS.Timeout;
  /** Webhook deliveries of one prediction go out in order. */
  deliveries: Promise<void>;
}

const VIDEO_WORDS =
  /video|seedance|kling|wan-|wan2|minimax|hailuo|veo|luma|ray-|hunyuan|ltx|pixverse|i2v|t2v/i;
const AUDIO_WORDS = /music|audio|sound|lyria|riffusion|bark|tts|speech|song/i;

/** Which kind of media a model makes: configured, else guessed from its name, else from its input. */
export function kindOf(
  model: string,
  version: string,
  input: Record<string, unknown>,
  config: StandinConfig,
): StandinMediaKind {
  const configured = config.modelKinds[model] ?? config.modelKinds[version];
  if (configured) return configured;
  if (VIDEO_WORDS.test(model)) return 'video';
  if (AUDIO_WORDS.test(model)) return 'audio';
  if (model) return 'image';
  const has = (key: string): boolean => input[key] !== undefined;
  if (
    (has('image') || has('start_image') || has('first_frame_image')) &&
    (has('duration') || has('num_frames'))
  ) {
    return 'video';
  }
  if (has('model_version') || input.output_format === 'mp3' || input.output_format === 'wav') return 'audio';
  return 'image';
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** audiocraft's generation runs at 50 tokens per second of audio (MusicGen's EnCodec frame rate). */
const MUSICGEN_TOKENS_PER_SECOND = 50;

/**
 * musicgen's progress as audiocraft prints it: `print(f'{generated_tokens: 6d} / {tokens_to_generate: 6d}',
 * end='\r')` once per generated token (audiocraft/models/musicgen.py, `_progress_callback`), so the log of
 * a 30 s bed holds 1,500 such lines. The lines of the tokens made during this tick.
 */
function audiocraftProgress(step: number, seconds: number): string {
  const total = Math.max(1, Math.round(seconds * MUSICGEN_TOKENS_PER_SECOND));
  const from = Math.floor((total * (step - 1)) / TICKS) + 1;
  const to = Math.floor((total * step) / TICKS);
  const pad = (n: number): string => String(n).padStart(6, ' ');
  let lines = '';
  for (let n = from; n <= to; n += 1) lines += `${pad(n)} / ${pad(total)}\r`;
  return lines;
}

/** A chatty library's warning, repeated until this tick's share of `bytes` is printed. */
const VERBOSE_LINE =
  '/usr/local/lib/python3.11/site-packages/torch/nn/modules/conv.py:456: UserWarning: Plan failed with a ' +
  'cudnnException: CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR: cudnnFinalize Descriptor Failed ' +
  'cudnn_status: CUDNN_STATUS_NOT_SUPPORTED (Triggered internally at ../aten/src/ATen/native/cudnn/Conv_v8.cpp:919.)\n';

function verboseWarnings(bytes: number): string {
  return VERBOSE_LINE.repeat(Math.max(1, Math.ceil(bytes / TICKS / VERBOSE_LINE.length)));
}

function tqdm(step: number, elapsedS: number, totalS: number): string {
  const pct = Math.round((step / TICKS) * 100);
  const bar = '█'.repeat(step).padEnd(TICKS, ' ');
  const steps = step * 5;
  const fmt = (s: number): string => `00:${String(Math.max(0, Math.round(s))).padStart(2, '0')}`;
  const rate = elapsedS > 0 ? (steps / elapsedS).toFixed(2) : '0.00';
  return `${String(pct).padStart(3, ' ')}%|${bar}| ${steps}/${TICKS * 5} [${fmt(elapsedS)}<${fmt(totalS - elapsedS)}, ${rate}it/s]\n`;
}

export interface EngineContext {
  config: StandinConfig;
  files: FileStore;
  stats: StandinStats;
  webhookSecret: string;
  /** Aborted when the stand-in closes: stops timers, ffmpeg and webhook retries. */
  closing: AbortSignal;
  /** Webhook bodies are checked against Replicate's API description like every API answer. */
  contracts: Contracts;
  recordViolation: (violation: ContractViolation) => void;
}

export class PredictionEngine {
  private readonly predictions = new Map<string, Prediction>();
  /** Predictions that ran their time while `holdPredictions` was on: each one's finishing step. */
  private held: (() => void)[] = [];

  private readonly latency: LatencyDraws;

  constructor(private readonly ctx: EngineContext) {
    this.latency = new LatencyDraws(ctx.config.seed);
  }

  /** Seconds a call of `kind` takes under the configured `latencies`, or undefined when none is set. */
  latencySeconds(kind: LatencyKind, outputSeconds?: number): number | undefined {
    return this.latency.seconds(this.ctx.config.latencies, kind, outputSeconds);
  }

  reseedLatencies(): void {
    this.latency.reseed(this.ctx.config.seed);
  }

  kindFor(model: string, version: string, input: Record<string, unknown>): StandinMediaKind {
    return kindOf(model, version, input, this.ctx.config);
  }

  get(id: string): Prediction | undefined {
    return this.predictions.get(id);
  }

  /**
   * The JSON Replicate returns for a prediction. Once its data is removed (`outputTtlSeconds` after it
   * ended; an hour on Replicate) it answers `output: null` and `data_removed: true`, as Replicate does.
   */
  view(p: Prediction): Record<string, unknown> {
    const base = `${this.ctx.config.publicUrl}/replicate/v1/predictions/${p.id}`;
    const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;
    const removed = p.removeAt !== undefined && Date.now() >= p.removeAt;
    const metrics = p.completed_at
      ? {
          ...(p.started_at ? { predict_time: seconds(p.started_at, p.completed_at) } : {}),
          total_time: seconds(p.created_at, p.completed_at),
        }
      : undefined;
    return {
      id: p.id,
      model: p.model,
      version: p.version,
      input: p.input,
      logs: p.logs,
      output: removed ? null : p.output,
      data_removed: removed,
      error: p.error,
      status: p.status,
      source: 'api',
      created_at: p.created_at,
      ...(p.started_at ? { started_at: p.started_at } : {}),
      ...(p.completed_at ? { completed_at: p.completed_at } : {}),
      ...(p.webhook ? { webhook: p.webhook, webhook_events_filter: p.webhook_events_filter } : {}),
      ...(metrics ? { metrics } : {}),
      urls: { get: base, cancel: `${base}/cancel`, web: `${this.ctx.config.publicUrl}/p/${p.id}` },
    };
  }

  /** The prediction has ended: its data goes when its outputs' time is up. */
  private ended(p: Prediction): void {
    p.completed_at = new Date().toISOString();
    p.removeAt = Date.now() + this.ctx.config.outputTtlSeconds * 1000;
  }

  create(request: {
    model: string;
    version: string;
    input: Record<string, unknown>;
    webhook?: string;
    webhookEventsFilter?: WebhookEvent[];
    faults: Fault[];
  }): Prediction {
    const { config } = this.ctx;
    const p: Prediction = {
      id: randomId(),
      model: request.model,
      version: request.version,
      kind: this.kindFor(request.model, request.version, request.input),
      input: request.input,
      status: 'starting',
      logs: '',
      output: null,
      error: null,
      created_at: new Date().toISOString(),
      webhook_events_filter: request.webhookEventsFilter?.length ? request.webhookEventsFilter : ALL_EVENTS,
      faults: request.faults,
      timers: [],
      abort: new AbortController(),
      lastLogsWebhook: 0,
      deliveries: Promise.resolve(),
    };
    if (request.webhook) p.webhook = request.webhook;
    this.predictions.set(p.id, p);
    this.ctx.stats.predictionsCreated += 1;

    const runSeconds = this.latencySeconds(p.kind, num(p.input.duration)) ?? config.predictionSeconds;
    const totalMs = runSeconds * 1000 * (p.faults.includes('slow') ? config.slowFactor : 1);
    const startMs = Math.min(150, totalMs * 0.1);
    const started = Date.now() + startMs;
    this.later(p, startMs, () => {
      p.status = 'processing';
      p.started_at = new Date().toISOString();
      p.logs = `Using seed: ${this.seedOf(p)}\nRunning ${p.kind} generation\n`;
      this.notify(p, 'start');
      // The media is made while the progress ticks; the prediction finishes when both are done.
      const media = this.failure(p) ? Promise.resolve(undefined) : this.makeMedia(p);
      for (let step = 1; step <= TICKS; step += 1) {
        const at = startMs + ((totalMs - startMs) * step) / TICKS;
        this.later(p, at - startMs, () => {
          if (p.faults.includes('verbose_logs')) p.logs += verboseWarnings(config.verboseLogsBytes);
          p.logs +=
            p.kind === 'audio'
              ? audiocraftProgress(step, num(p.input.duration) ?? 8)
              : tqdm(step, (Date.now() - started) / 1000, (totalMs - startMs) / 1000);
          this.notify(p, 'logs');
          if (step === TICKS) void media.then((output) => this.unlessHeld(() => this.finish(p, output)));
        });
      }
      media.catch(() => undefined);
    });
    return p;
  }

  cancel(p: Prediction): Prediction {
    if (p.status === 'succeeded' || p.status === 'failed' || p.status === 'canceled') return p;
    this.stop(p);
    p.status = 'canceled';
    this.ended(p);
    p.logs += 'Prediction canceled.\n';
    this.ctx.stats.predictionsCanceled += 1;
    this.notify(p, 'completed');
    return p;
  }

  /** Stops everything; used when the stand-in closes. */
  close(): void {
    for (const p of this.predictions.values()) this.stop(p);
    this.held = [];
  }

  /** Finishes every prediction held by `holdPredictions` once it is false again (after a config change). */
  releaseHeld(): void {
    if (this.ctx.config.holdPredictions) return;
    const held = this.held;
    this.held = [];
    for (const finish of held) finish();
  }

  /** Runs `finish` now, or keeps it until `holdPredictions` is released. */
  private unlessHeld(finish: () => void): void {
    if (this.ctx.closing.aborted) return;
    if (this.ctx.config.holdPredictions) this.held.push(finish);
    else finish();
  }

  private stop(p: Prediction): void {
    for (const timer of p.timers) clearTimeout(timer);
    p.timers = [];
    clearTimeout(p.pendingLogsWebhook);
    p.abort.abort();
  }

  private later(p: Prediction, ms: number, action: () => void): void {
    const timer = setTimeout(
      () => {
        if (p.status === 'canceled' || this.ctx.closing.aborted) return;
        action();
      },
      Math.max(0, ms),
    );
    p.timers.push(timer);
  }

  private seedOf(p: Prediction): number {
    return (
      num(p.input.seed) ?? seedFrom(this.ctx.config.seed, p.model || p.version, String(p.input.prompt ?? ''))
    );
  }

  /** The error a faulted prediction ends with, if any. */
  private failure(p: Prediction): string | undefined {
    if (p.faults.includes('refused')) {
      return 'All generated images contained NSFW content. Try running it again with a different prompt.';
    }
    if (p.faults.includes('fail_prediction')) {
      return 'CUDA out of memory. Tried to allocate 2.00 GiB (stand-in fault: fail_prediction)';
    }
    return undefined;
  }

  private finish(p: Prediction, output: unknown): void {
    if (p.status !== 'processing') return;
    const failure = this.failure(p);
    this.ended(p);
    if (failure) {
      p.status = 'failed';
      p.error = failure;
      this.ctx.stats.predictionsFailed += 1;
    } else if (output === undefined) {
      return; // makeMedia failed and already finished the prediction as failed
    } else {
      p.status = 'succeeded';
      p.output = output;
      p.logs += 'Done.\n';
      this.ctx.stats.predictionsSucceeded += 1;
      if (p.faults.includes('expire_output')) this.ctx.files.expirePrefix(`${p.id}/`);
    }
    this.notify(p, 'completed');
  }

  private fail(p: Prediction, message: string): void {
    if (p.status !== 'processing') return;
    this.stop(p);
    p.status = 'failed';
    p.error = message;
    this.ended(p);
    this.ctx.stats.predictionsFailed += 1;
    this.notify(p, 'completed');
  }

  private notify(p: Prediction, event: WebhookEvent): void {
    if (!p.webhook || !p.webhook_events_filter.includes(event)) return;
    if (event === 'completed' && p.faults.includes('drop_webhook')) {
      this.ctx.stats.webhooksDropped += 1;
      return;
    }
    if (event === 'logs') {
      // Throttled like Replicate's: at most one per interval, the latest state trailing.
      const wait = p.lastLogsWebhook + this.ctx.config.logsWebhookIntervalMs - Date.now();
      if (wait > 0) {
        if (!p.pendingLogsWebhook) {
          p.pendingLogsWebhook = setTimeout(() => {
            p.pendingLogsWebhook = undefined;
            if (p.status === 'processing') this.notify(p, 'logs');
          }, wait);
        }
        return;
      }
      p.lastLogsWebhook = Date.now();
    }
    const url = p.webhook;
    const view = this.view(p);
    const problems = this.ctx.contracts.checkSchema('replicate', 'schemas_prediction_response', view);
    if (problems.length > 0) {
      this.ctx.recordViolation({
        provider: 'replicate',
        operation: `webhook ${event}`,
        method: 'POST',
        path: url,
        status: 0,
        problems,
      });
    }
    const body = JSON.stringify(view);
    p.deliveries = p.deliveries.then(() =>
      deliver(
        { url, body, secret: this.ctx.webhookSecret, retries: this.ctx.config.webhookRetries },
        this.ctx.stats,
        this.ctx.closing,
      ),
    );
  }

  private url(key: string): string {
    return `${this.ctx.config.publicUrl}/files/${key}`;
  }

  /** Makes the prediction's output files; resolves to Replicate's output value, or undefined on failure. */
  private async makeMedia(p: Prediction): Promise<unknown> {
    const { files, config } = this.ctx;
    const started = Date.now();
    const signal = p.abort.signal;
    const prompt = String(p.input.prompt ?? '');
    const seed = this.seedOf(p);
    const ttl = config.outputTtlSeconds;
    try {
      if (p.kind === 'image') {
        const count = clamp(Math.round(num(p.input.num_outputs) ?? 1), 1, 4);
        // A reference image is fetched as the model would: an unreachable one fails the prediction.
        const reference = referenceUrl(p.input);
        const referencePath = files.pathFor(`${p.id}-reference`);
        if (reference) await download(reference, referencePath, signal);
        const ratio = String(p.input.aspect_ratio ?? '1:1');
        const size =
          reference && ratio === 'match_input_image'
            ? await referenceSize(referencePath).then(({ width, height }) => sizeFor(`${width}:${height}`))
            : sizeFor(ratio);
        const urls: string[] = [];
        for (let i = 0; i < count; i += 1) {
          const path = files.pathFor(`${p.id}-${i}.png`);
          await makeImage({ palette: hexColours(prompt), size, seed: seed + i, out: path }, signal);
          if (reference) await pasteReference(path, referencePath);
          await files.add(`${p.id}/out-${i}.png`, path, ttl);
          urls.push(this.url(`${p.id}/out-${i}.png`));
        }
        recordMedia(this.ctx.stats, 'image', Date.now() - started);
        // Models with `num_outputs` answer a list; single-image models (flux-1.1-pro) one URL.
        return p.input.num_outputs === undefined ? urls[0] : urls;
      }
      if (p.kind === 'video') {
        const fps = num(p.input.frames_per_second) ?? 16;
        const frames = num(p.input.num_frames);
        const duration = clamp(num(p.input.duration) ?? (frames ? frames / fps : 5), 0.5, 30);
        const size = sizeFor(
          String(p.input.aspect_ratio ?? p.input.ratio ?? '16:9'),
          videoShortSide(p.input),
        );
        const imageUrl = [p.input.image, p.input.start_image, p.input.first_frame_image].find(
          (v): v is string => typeof v === 'string' && v !== '',
        );
        const still = files.pathFor(`${p.id}-still.png`);
        if (imageUrl) await download(imageUrl, still, signal);
        else await makeImage({ palette: hexColours(prompt), size, seed, out: still }, signal);
        const path = files.pathFor(`${p.id}.mp4`);
        await makeVideo(
          {
            imagePath: still,
            size,
            durationSeconds: duration,
            out: path,
            black: p.faults.includes('black_video'),
          },
          signal,
        );
        const big = config.bigOutputBytes > 0 ? config.bigOutputBytes : undefined;
        await files.add(`${p.id}/out.mp4`, path, ttl, big);
        recordMedia(this.ctx.stats, 'video', Date.now() - started);
        return this.url(`${p.id}/out.mp4`);
      }
      const duration = clamp(num(p.input.duration) ?? num(p.input.seconds_total) ?? 8, 0.5, 60);
      const format = p.input.output_format === 'wav' ? 'wav' : 'mp3';
      const path = files.pathFor(`${p.id}.${format}`);
      await makeAudio({ durationSeconds: duration, seed, format, out: path }, signal);
      await files.add(`${p.id}/out.${format}`, path, ttl);
      recordMedia(this.ctx.stats, 'audio', Date.now() - started);
      return this.url(`${p.id}/out.${format}`);
    } catch (err) {
      if (!signal.aborted)
        this.fail(p, `Prediction failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
}

/** The short side of the clip a video model makes for its input: `resolution` (seedance, wan) or kling's
 * `mode` (standard 720p, pro 1080p); 720p when the input names neither, as those models default. */
function videoShortSide(input: Record<string, unknown>): number {
  const named = /^(\d+)p$/.exec(String(input.resolution ?? ''));
  if (named) return Number(named[1]);
  return input.mode === 'pro' ? 1080 : 720;
}

/**
 * Fetches an input image (the keyframe a video starts from, an image model's reference) to disk, refusing
 * non-images and huge files.
 */
async function download(url: string, path: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
  }).catch((err: unknown) => {
    if (signal.aborted) throw err;
    throw new Error(`could not download the input image (${err instanceof Error ? err.message : 'error'})`);
  });
  if (!response.ok || !response.body)
    throw new Error(`could not download the input image (${response.status})`);
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('image/') && !type.startsWith('application/octet-stream')) {
    await response.body.cancel();
    throw new Error(`the input image has content type ${type || 'none'}`);
  }
  let bytes = 0;
  const limit = 25 * 1024 * 1024;
  const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  source.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > limit) source.destroy(new Error('the input image is over 25 MiB'));
  });
  await pipeline(source, createWriteStream(path));
}
