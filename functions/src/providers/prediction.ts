// A Replicate prediction as the job layer sees it, whether it arrived by polling or by webhook: status,
// progress read from the model's logs, and the output URLs however the model shapes its output.

export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';

export interface PredictionState {
  id: string;
  status: PredictionStatus;
  /** 0..100: parsed from the logs while running, 100 once succeeded. */
  progress: number;
  /** Every http(s) URL in the output, in order (models return one URL, a list, or an object of URLs). */
  outputUrls: string[];
  error?: string;
  /** Seconds the model ran (Replicate `metrics.predict_time`), once it has finished: what GPU time bills. */
  predictSeconds?: number;
  /**
   * Replicate removed the prediction's data (`data_removed: true`, an hour after an API prediction ends):
   * it answers `output: null`, so a succeeded prediction no longer says where its files were.
   */
  outputRemoved?: boolean;
}

export const TERMINAL_STATUSES: readonly PredictionStatus[] = ['succeeded', 'failed', 'canceled'];

export function isTerminal(status: PredictionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

const PERCENT = /(\d{1,3}(?:\.\d+)?)\s*%\s*\|/g;
// `12/50` as a standalone token (tqdm's counter), not part of a path, URL or date.
const FRACTION = /(?:^|[\s|])(\d+)\/(\d+)(?=$|[\s[,])/g;
// musicgen (audiocraft) prints `{generated: 6d} / {total: 6d}`: padded numbers around a spaced slash.
const SPACED_FRACTION = /(?:^|\s)(\d+) +\/ +(\d+)(?=$|\s)/g;

function lastMatch(regex: RegExp, text: string): RegExpExecArray | undefined {
  let last: RegExpExecArray | undefined;
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) last = m;
  return last;
}

/** The newest progress line is near the end, and every delivery carries the whole log so far. */
const PROGRESS_TAIL_CHARS = 16 * 1024;

/** The last whole lines of a long log (the cut lands after a line break, never inside a line). */
function logTail(logs: string): string {
  if (logs.length <= PROGRESS_TAIL_CHARS) return logs;
  const tail = logs.slice(-PROGRESS_TAIL_CHARS);
  const firstBreak = tail.search(/[\r\n]/);
  return firstBreak === -1 ? tail : tail.slice(firstBreak + 1);
}

/**
 * Progress 0..100 from a prediction's logs: the last line that holds a tqdm-style `NN%|` bar or an `N/M`
 * counter wins (tqdm rewrites its line with `\r`, so both separators count as line breaks). Only the log's
 * last 16 KiB are read, so a delivery costs the same at the first line as at the megabyte. Undefined when no
 * line there reports progress.
 */
export function parseProgress(logs: string | null | undefined): number | undefined {
  if (!logs) return undefined;
  const lines = logTail(logs).split(/[\r\n]+/);
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i] ?? '';
    const percent = lastMatch(PERCENT, line);
    if (percent) {
      const value = Number(percent[1]);
      if (value >= 0 && value <= 100) return Math.floor(value);
    }
    const fraction = lastMatch(FRACTION, line) ?? lastMatch(SPACED_FRACTION, line);
    if (fraction) {
      const done = Number(fraction[1]);
      const total = Number(fraction[2]);
      if (total > 0 && done <= total) return Math.floor((done / total) * 100);
    }
  }
  return undefined;
}

function collectUrls(value: unknown, into: string[], depth: number): void {
  if (depth > 4) return;
  if (typeof value === 'string') {
    if (/^https?:\/\//i.test(value)) into.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectUrls(item, into, depth + 1);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collectUrls(item, into, depth + 1);
  }
}

/** The fields of Replicate's prediction JSON we read. */
export interface RawPrediction {
  id?: unknown;
  status?: unknown;
  logs?: unknown;
  output?: unknown;
  error?: unknown;
  metrics?: unknown;
  data_removed?: unknown;
}

const STATUSES: readonly string[] = ['starting', 'processing', 'succeeded', 'failed', 'canceled'];

/** Replicate prediction JSON (API response or webhook body) -> PredictionState. */
export function toPredictionState(raw: RawPrediction): PredictionState {
  const id = typeof raw.id === 'string' ? raw.id : '';
  const rawStatus = typeof raw.status === 'string' ? raw.status : 'starting';
  // `aborted` (documented by the SDK) ends a prediction like a cancel does.
  const status = (
    rawStatus === 'aborted' ? 'canceled' : STATUSES.includes(rawStatus) ? rawStatus : 'processing'
  ) as PredictionStatus;
  const logs = typeof raw.logs === 'string' ? raw.logs : undefined;
  const outputUrls: string[] = [];
  if (status === 'succeeded') collectUrls(raw.output, outputUrls, 0);
  const progress = status === 'succeeded' ? 100 : (parseProgress(logs) ?? 0);
  const state: PredictionState = { id, status, progress, outputUrls };
  const predictTime = (raw.metrics as { predict_time?: unknown } | null | undefined)?.predict_time;
  if (typeof predictTime === 'number' && Number.isFinite(predictTime) && predictTime >= 0)
    state.predictSeconds = predictTime;
  if (raw.data_removed === true) state.outputRemoved = true;
  if (raw.error !== undefined && raw.error !== null && raw.error !== '') {
    state.error = typeof raw.error === 'string' ? raw.error : JSON.stringify(raw.error);
  }
  return state;
}
