// How long each kind of provider call takes, when a run wants the providers' own shape of latency instead of
// one fixed `predictionSeconds` for every prediction and instant OpenAI answers: per kind, a median (plus an
// amount per second of output asked for, as video and music models take time in proportion to what they
// make) and a log-normal spread, drawn once per call. Set with POST /__standin/config `{ latencies: {...} }`
// (the whole map at once; `{}` turns it off); the draws follow the config's `seed`, so a run is repeatable.
import { createRng, seedFrom, type Rng } from './random.js';

export const LATENCY_KINDS = ['chat', 'speech', 'transcription', 'image', 'video', 'audio'] as const;
export type LatencyKind = (typeof LATENCY_KINDS)[number];

export interface LatencySpec {
  /** The median seconds of one call: an OpenAI answer's wait before it is sent, a prediction's run time. */
  medianSeconds: number;
  /** Seconds added to the median per second of output the input asks for (its `duration`). */
  perOutputSecond?: number;
  /** Log-normal spread (sigma): a draw is median x e^(spread x z), z standard normal clipped to +-3. */
  spread: number;
}

export type Latencies = Partial<Record<LatencyKind, LatencySpec>>;

/** A spread above this makes a 3-sigma draw 20,000 times the median: surely a typo. */
const MAX_SPREAD = 3.3;
const Z_CLIP = 3;

/** Why `value` is not a valid `latencies` map, or undefined when it is. */
export function latenciesProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'latencies must be an object of kind -> { medianSeconds, spread, perOutputSecond? }';
  }
  for (const [kind, spec] of Object.entries(value)) {
    if (!(LATENCY_KINDS as readonly string[]).includes(kind)) {
      return `latencies.${kind}: unknown kind (one of ${LATENCY_KINDS.join(', ')})`;
    }
    if (typeof spec !== 'object' || spec === null) return `latencies.${kind} must be an object`;
    const { medianSeconds, spread, perOutputSecond, ...rest } = spec as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) return `latencies.${kind}.${extra}: unknown field`;
    const nonNegative = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    if (!nonNegative(medianSeconds)) return `latencies.${kind}.medianSeconds must be a number >= 0`;
    if (!nonNegative(spread) || (spread as number) > MAX_SPREAD)
      return `latencies.${kind}.spread must be a number from 0 to ${MAX_SPREAD}`;
    if (perOutputSecond !== undefined && !nonNegative(perOutputSecond))
      return `latencies.${kind}.perOutputSecond must be a number >= 0`;
  }
  return undefined;
}

/** The draws of one stand-in: a seeded sequence, restarted whenever the seed or the latencies change. */
export class LatencyDraws {
  private rng: Rng;

  constructor(seed: number) {
    this.rng = createRng(seedFrom(seed, 'latency'));
  }

  reseed(seed: number): void {
    this.rng = createRng(seedFrom(seed, 'latency'));
  }

  /** Seconds one call of `kind` takes, or undefined when the map sets nothing for that kind. */
  seconds(latencies: Latencies, kind: LatencyKind, outputSeconds = 0): number | undefined {
    const spec = latencies[kind];
    if (!spec) return undefined;
    const median = spec.medianSeconds + (spec.perOutputSecond ?? 0) * Math.max(0, outputSeconds);
    if (spec.spread === 0) return median;
    // Box-Muller: one standard normal from two uniforms (1 - u keeps the logarithm finite).
    const u = 1 - this.rng.next();
    const v = this.rng.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(spec.spread * Math.max(-Z_CLIP, Math.min(Z_CLIP, z)));
  }
}
