// The stand-in's tunables: set at start, changed at run time through POST /__standin/config.
import { latenciesProblem, type Latencies } from './latency.js';
import type { StandinMediaKind } from './stats.js';

export interface StandinConfig {
  /** How long a prediction runs (starting -> processing -> done), in seconds. */
  predictionSeconds: number;
  /**
   * While true, a prediction that has run its time stays `processing` (its progress complete) and finishes
   * only when this is set back to false: a test that needs jobs in flight for as long as it takes (a burst
   * of starts on a slow machine) holds them instead of guessing a run time long enough.
   */
  holdPredictions: boolean;
  /**
   * Outputs are removed this long after the prediction ends (Replicate: one hour): their URLs answer 404
   * and the prediction answers `output: null`, `data_removed: true`.
   */
  outputTtlSeconds: number;
  /** The `slow` fault's delay before an API answer. */
  slowMs: number;
  /** The `slow` fault stretches a prediction's run time by this factor. */
  slowFactor: number;
  /** When > 0, every video output is this many bytes (a real MP4 padded on the fly, never in memory). */
  bigOutputBytes: number;
  /** Redeliveries of a webhook the receiver did not accept (non-2xx or network error). */
  webhookRetries: number;
  /** At most one `logs` webhook per prediction per interval (Replicate throttles them to ~500 ms). */
  logsWebhookIntervalMs: number;
  /** The `verbose_logs` fault: bytes of warnings a prediction prints over its run. */
  verboseLogsBytes: number;
  /** Base of output URLs; defaults to the address the stand-in listens on. */
  publicUrl: string;
  /** Seed of every generated answer and picture. */
  seed: number;
  /** Model (owner/name) or version id -> kind, for models the name heuristics cannot place. */
  modelKinds: Record<string, StandinMediaKind>;
  /**
   * Per-kind latency distributions (latency.ts): a kind set here draws its time per call instead of taking
   * `predictionSeconds` (predictions) or answering at once (chat, speech, transcription). Replaced whole.
   */
  latencies: Latencies;
}

export const DEFAULT_CONFIG: Omit<StandinConfig, 'publicUrl'> = {
  predictionSeconds: 2,
  holdPredictions: false,
  outputTtlSeconds: 3600,
  slowMs: 3000,
  slowFactor: 4,
  bigOutputBytes: 0,
  webhookRetries: 2,
  logsWebhookIntervalMs: 500,
  verboseLogsBytes: 2 * 1024 * 1024,
  seed: 1,
  modelKinds: {
    // meta/musicgen's version: created by version id, so no name to go by.
    '671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb': 'audio',
  },
  latencies: {},
};

const NUMERIC: readonly (keyof StandinConfig)[] = [
  'predictionSeconds',
  'outputTtlSeconds',
  'slowMs',
  'slowFactor',
  'bigOutputBytes',
  'webhookRetries',
  'logsWebhookIntervalMs',
  'verboseLogsBytes',
  'seed',
];

/** Applies a partial update from the admin API; returns an error message, or undefined when applied. */
export function applyConfig(config: StandinConfig, patch: unknown): string | undefined {
  if (typeof patch !== 'object' || patch === null) return 'config must be an object';
  const entries = Object.entries(patch as Record<string, unknown>);
  for (const [key, value] of entries) {
    if ((NUMERIC as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        return `${key} must be a number >= 0`;
    } else if (key === 'holdPredictions') {
      if (typeof value !== 'boolean') return 'holdPredictions must be true or false';
    } else if (key === 'publicUrl') {
      if (typeof value !== 'string' || !/^https?:\/\//.test(value)) return 'publicUrl must be an http(s) URL';
    } else if (key === 'latencies') {
      const problem = latenciesProblem(value);
      if (problem) return problem;
    } else if (key === 'modelKinds') {
      if (typeof value !== 'object' || value === null) return 'modelKinds must be an object';
      for (const kind of Object.values(value)) {
        if (kind !== 'image' && kind !== 'video' && kind !== 'audio')
          return 'modelKinds values are image, video or audio';
      }
    } else {
      return `unknown config key ${key}`;
    }
  }
  for (const [key, value] of entries) {
    if (key === 'modelKinds') {
      config.modelKinds = { ...config.modelKinds, ...(value as Record<string, StandinMediaKind>) };
    } else if (key === 'latencies') {
      // Whole, so that putting back what GET /config read before (`{}`) turns them off again.
      config.latencies = structuredClone(value as Latencies);
    } else {
      (config as unknown as Record<string, unknown>)[key] =
        key === 'publicUrl' ? String(value).replace(/\/+$/, '') : value;
    }
  }
  return undefined;
}
