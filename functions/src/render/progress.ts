// Reads ffmpeg's `-progress` output: blocks of `key=value` lines, each ended by `progress=continue` (or
// `progress=end`). The encoded position is `out_time_us` (microseconds) in newer builds and `out_time`
// (HH:MM:SS.micro) in all of them; before the first frame it may read `N/A` or be negative.

/** `HH:MM:SS.micro` -> seconds, or undefined when ffmpeg has no position yet. */
export function parseClock(value: string): number | undefined {
  const m = /^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value.trim());
  if (!m) return undefined;
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return m[1] ? undefined : seconds;
}

/**
 * Feeds chunks of ffmpeg's progress stream; calls `onPosition` with the encoded position in seconds at the
 * end of every block that carried one. Lines may be split across chunks.
 */
export function progressReader(onPosition: (seconds: number, ended: boolean) => void) {
  let rest = '';
  let position: number | undefined;
  return (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      if (key === 'out_time') {
        position = parseClock(value) ?? position;
      } else if (key === 'out_time_us' && position === undefined) {
        const us = Number(value);
        if (Number.isFinite(us) && us >= 0) position = us / 1e6;
      } else if (key === 'progress') {
        if (position !== undefined) onPosition(position, value === 'end');
        position = undefined;
      }
    }
  };
}
