// Pixel measurements the media tests judge frames by: how far a placed area of a frame is from the picture
// that should be there.

/**
 * The mean absolute difference (0-255, per RGB channel) between the `size` area of `frame` (raw RGB,
 * `frameWidth` wide) at `at` and `expected` (raw RGB of exactly that size), leaving out `inset` pixels at
 * each edge, where scaling blurs the picture into what is around it.
 */
export function placedDifference(
  frame: Buffer,
  frameWidth: number,
  at: { x: number; y: number },
  expected: Buffer,
  size: { width: number; height: number },
  inset: number,
): number {
  let diff = 0;
  let n = 0;
  for (let y = inset; y < size.height - inset; y++)
    for (let x = inset; x < size.width - inset; x++)
      for (let c = 0; c < 3; c++) {
        diff += Math.abs(
          frame[((at.y + y) * frameWidth + at.x + x) * 3 + c]! - expected[(y * size.width + x) * 3 + c]!,
        );
        n += 1;
      }
  return diff / n;
}
