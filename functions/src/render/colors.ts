// Colour arithmetic for text over footage and the end card: a mood colour is an accent, never the reason
// a caption cannot be read.

type Rgb = [number, number, number];

export function parseHex(hex: string): Rgb {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a hex colour: ${hex}`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/** Relative luminance (WCAG), 0 (black) .. 1 (white). */
export function luminance(hex: string): number {
  const channel = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = parseHex(hex).map(channel) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The colour mixed towards white until it reads on a black outline (luminance >= `min`). */
export function lightened(hex: string, min = 0.45): string {
  const rgb = parseHex(hex);
  for (let t = 0; t <= 1.0001; t += 0.05) {
    const mixed = rgb.map((v) => v + (255 - v) * t) as Rgb;
    if (luminance(toHex(mixed)) >= min) return toHex(mixed);
  }
  return '#ffffff';
}

/** Text colour for a background: white on dark, near-black on light. */
export function textOn(background: string): string {
  return luminance(background) < 0.35 ? '#ffffff' : '#111111';
}

/** ASS colour `&HAABBGGRR` (alpha 00 = opaque). */
export function assColor(hex: string, alpha = 0): string {
  const [r, g, b] = parseHex(hex);
  const h = (v: number) => v.toString(16).padStart(2, '0').toUpperCase();
  return `&H${h(alpha)}${h(b)}${h(g)}${h(r)}`;
}

/** ffmpeg colour syntax `0xRRGGBB`. */
export function ffColor(hex: string): string {
  return `0x${parseHex(hex)
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('')}`;
}

/** Of `candidates`, the colour that stands out most from `background` (by luminance). */
export function mostContrasting(background: string, candidates: readonly string[]): string {
  const bg = luminance(background);
  const ranked = [...candidates, '#ffffff', '#111111'].sort(
    (a, b) => Math.abs(luminance(b) - bg) - Math.abs(luminance(a) - bg),
  );
  // A palette colour wins when it stands out enough; black or white otherwise.
  return candidates.find((c) => Math.abs(luminance(c) - bg) >= 0.25) ?? ranked[0]!;
}
