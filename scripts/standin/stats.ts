// Counters the tests and benchmarks read from GET /__standin/stats.
import { FAULTS } from './faults.js';
import type { Fault } from './faults.js';

export type StandinMediaKind = 'image' | 'video' | 'audio';

export interface MediaTiming {
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface StandinStats {
  requests: { total: number; openai: number; replicate: number; files: number; admin: number; other: number };
  chatCompletions: number;
  /** Chat completion requests open right now (received, connection not yet closed), and the most at once. */
  openCompletions: number;
  maxOpenCompletions: number;
  /** OpenAI text-to-speech and transcription requests answered. */
  speech: number;
  transcriptions: number;
  predictionsCreated: number;
  predictionsSucceeded: number;
  predictionsFailed: number;
  predictionsCanceled: number;
  webhooksSent: number;
  webhooksFailed: number;
  webhooksRetried: number;
  webhooksDropped: number;
  faultsInjected: Record<Fault, number>;
  filesServed: number;
  bytesServed: number;
  filesExpired: number;
  /** Wall time of ffmpeg work per media kind (a prediction's whole output, all images included). */
  media: Record<StandinMediaKind, MediaTiming>;
}

export function newStats(): StandinStats {
  const timing = (): MediaTiming => ({ count: 0, totalMs: 0, maxMs: 0 });
  return {
    requests: { total: 0, openai: 0, replicate: 0, files: 0, admin: 0, other: 0 },
    chatCompletions: 0,
    openCompletions: 0,
    maxOpenCompletions: 0,
    speech: 0,
    transcriptions: 0,
    predictionsCreated: 0,
    predictionsSucceeded: 0,
    predictionsFailed: 0,
    predictionsCanceled: 0,
    webhooksSent: 0,
    webhooksFailed: 0,
    webhooksRetried: 0,
    webhooksDropped: 0,
    faultsInjected: Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>,
    filesServed: 0,
    bytesServed: 0,
    filesExpired: 0,
    media: { image: timing(), video: timing(), audio: timing() },
  };
}

export function recordMedia(stats: StandinStats, kind: StandinMediaKind, ms: number): void {
  const t = stats.media[kind];
  t.count += 1;
  t.totalMs += ms;
  t.maxMs = Math.max(t.maxMs, ms);
}
