// Where every scene sits in the finished ad. A crossfade is centred on the cut: the outgoing scene runs on
// for half the fade and the incoming one starts half the fade early, so the ad's length stays exactly the
// sum of the scenes (plus the end card) whatever the transition.

export interface Segment {
  /** Start of the scene proper (the cut), seconds from the start of the ad. */
  start: number;
  durationSeconds: number;
  /** When its picture starts fading in (start - half the fade; 0 for the first). */
  enter: number;
  /** Seconds of picture made for it: its duration plus half a fade at every side it shares with another. */
  length: number;
  /** Seconds of fade at its start (0 for the first and for cuts). */
  fadeIn: number;
}

/** Seconds as ffmpeg reads them, without float noise (2.1 + 0.2 must not become 2.3000000000000003). */
export function seconds(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

export function timeline(durations: readonly number[], fade: number): Segment[] {
  if (durations.length === 0) throw new Error('a timeline needs at least one segment');
  // A fade longer than a scene could swallow it whole: never more than half of the shorter neighbour.
  const half = (i: number) =>
    i <= 0 || i >= durations.length ? 0 : Math.min(fade, durations[i - 1]!, durations[i]!) / 2;
  let start = 0;
  return durations.map((d, i) => {
    const before = half(i);
    const after = half(i + 1);
    const segment: Segment = {
      start,
      durationSeconds: d,
      enter: start - before,
      length: d + before + after,
      fadeIn: 2 * before,
    };
    start += d;
    return segment;
  });
}

export function totalOf(segments: readonly Segment[]): number {
  const last = segments.at(-1)!;
  return last.start + last.durationSeconds;
}
