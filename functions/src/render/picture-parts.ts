// The parts of one format's picture (graph.ts): a black canvas of the ad's length, every scene's clip
// reframed for the format and faded in at its place, the end card, the layers stacked in order, and the
// captions and card text burned in. Each brings its own inputs and makes one label; videoArgs (ad-graph.ts)
// joins them.
import { ffColor, mostContrasting } from './colors.js';
import { endCardLayout } from './captions.js';
import { FPS, SAFE_ZONE } from './frame.js';
import type { GraphPart } from './graph.js';
import { seconds, type Segment } from './timeline.js';
import type { AspectRatio } from '@reelforge/schema';

export interface Frame {
  format: AspectRatio;
  width: number;
  height: number;
}

/** Filter-graph value quoting: a path or text inside an option value. */
export function filterValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "'\\\\\\''").replace(/:/g, '\\:')}'`;
}

/** The black frame every segment is laid over, as long as the ad. Makes [base]. */
export function canvas(frame: Frame, total: number): GraphPart {
  return {
    name: 'the canvas',
    inputs: [],
    filters: () => [`color=c=black:s=${frame.width}x${frame.height}:r=${FPS}:d=${seconds(total)}[base]`],
    output: 'base',
  };
}

/** Holds the last frame if the picture is short, cuts it to its segment, fades it in, moves it into place. */
function placed(seg: Segment): string {
  return (
    `format=yuva420p,tpad=stop_mode=clone:stop_duration=${seconds(seg.length)},` +
    `trim=duration=${seconds(seg.length)},setpts=PTS-STARTPTS,` +
    (seg.fadeIn > 0 ? `fade=t=in:st=0:d=${seconds(seg.fadeIn)}:alpha=1,` : '') +
    `setpts=PTS+${seconds(seg.enter)}/TB`
  );
}

/** How a clip is scaled to the frame (up, when the model made it smaller than the ad): Lanczos, the
 * sharpest of swscale's filters without ringing on this footage, and never a stretch (the aspect is kept,
 * `force_original_aspect_ratio`). The blurred background needs no such care. */
const SHARP = 'flags=lanczos';

/** A clip filling the frame: cropped, or fitted over a blurred, zoomed copy of itself. */
function reframed(input: string, output: string, mode: 'crop' | 'blur', frame: Frame): string[] {
  const { width: w, height: h } = frame;
  if (mode === 'crop') {
    return [`${input}scale=${w}:${h}:force_original_aspect_ratio=increase:${SHARP},crop=${w}:${h}${output}`];
  }
  // The background is blurred and darkened at an eighth of the size, then enlarged with the cheapest filter:
  // the same look for a sliver of the work (every full-frame pass of a 1080p graph costs, on one thread).
  const sw = Math.max(2, Math.round(w / 8 / 2) * 2);
  const sh = Math.max(2, Math.round(h / 8 / 2) * 2);
  const id = output.slice(1, -1);
  return [
    `${input}split=2[${id}a][${id}b]`,
    `[${id}a]scale=${sw}:${sh}:force_original_aspect_ratio=increase,crop=${sw}:${sh},boxblur=3:2,` +
      `eq=brightness=-0.08,scale=${w}:${h}:flags=fast_bilinear[${id}bg]`,
    `[${id}b]scale=${w}:${h}:force_original_aspect_ratio=decrease:${SHARP},setsar=1[${id}fg]`,
    `[${id}bg][${id}fg]overlay=(W-w)/2:(H-h)/2${output}`,
  ];
}

/** The label of segment `index`'s layer. */
export function layerLabel(index: number): string {
  return `s${index}`;
}

/** Scene `index`'s clip at its place in the ad, reframed for the frame. Makes [s<index>]. */
export function sceneClip(
  path: string,
  index: number,
  seg: Segment,
  mode: 'crop' | 'blur',
  frame: Frame,
): GraphPart {
  return {
    name: `the clip of scene ${index + 1}`,
    inputs: [{ path }],
    filters: ([k]) => [
      `[${k}:v:0]setpts=PTS-STARTPTS,fps=${FPS}[c${index}]`,
      ...reframed(`[c${index}]`, `[r${index}]`, mode, frame),
      `[r${index}]setsar=1,${placed(seg)}[${layerLabel(index)}]`,
    ],
    output: layerLabel(index),
  };
}

export interface CardLook {
  /** The mood's palette: background, then the colours the accent bar may take. */
  palette: readonly string[];
  /** Local path of the logo image (PNG or JPEG). */
  logo?: string;
  /** Local path of the product image (PNG), composited as it is: never generated, so the label is exact. */
  packshot?: string;
}

/** Where an image goes on the card: a box in pixels, centred across the safe zone. */
export interface CardBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The boxes the end card fits its logo and packshot into (each image is scaled to fit inside its box, aspect
 * kept, and centred in it); the tests measure the placed product against the packshot box. */
export function endCardBoxes(
  frame: Frame,
  withLogo: boolean,
  withPackshot: boolean,
): { logo: CardBox; packshot?: CardBox } {
  const { width: w, height: h, format } = frame;
  const zone = SAFE_ZONE[format];
  const layout = endCardLayout(format, withLogo, withPackshot);
  const left = Math.round(w * zone.left);
  const usableW = w - left - Math.round(w * zone.right);
  const logoW = Math.round(usableW * 0.6);
  const logo = {
    x: left + Math.round((usableW - logoW) / 2),
    y: Math.round(h * layout.logo.top),
    w: logoW,
    h: Math.round(h * layout.logo.height),
  };
  if (!layout.packshot) return { logo };
  const packW = Math.round(usableW * 0.8);
  const packshot = {
    x: left + Math.round((usableW - packW) / 2),
    y: Math.round(h * layout.packshot.top),
    w: packW,
    h: Math.round(h * layout.packshot.height),
  };
  return { logo, packshot };
}

/** An image fitted inside `box` (aspect kept) and laid over `below`, centred in the box. */
function fitted(k: number, label: string, box: CardBox, below: string, output: string): string[] {
  return [
    `[${k}:v:0]scale=${box.w}:${box.h}:force_original_aspect_ratio=decrease:${SHARP},format=rgba[${label}]`,
    `[${below}][${label}]overlay=x=${box.x}+(${box.w}-w)/2:y=${box.y}+(${box.h}-h)/2:eof_action=repeat[${output}]`,
  ];
}

/** The end card's picture: background, accent bar, logo and packshot (its words are in the subtitle
 * document, burned in by burnedText). Makes [s<index>]. */
export function endCard(card: CardLook, index: number, seg: Segment, frame: Frame): GraphPart {
  const { width: w, height: h, format } = frame;
  const background = card.palette[0] ?? '#111111';
  // The bar in a palette colour that shows on the background (white or black if none does).
  const accent = mostContrasting(background, card.palette.slice(1));
  const zone = SAFE_ZONE[format];
  const layout = endCardLayout(format, Boolean(card.logo), Boolean(card.packshot));
  const left = Math.round(w * zone.left);
  const usableW = w - left - Math.round(w * zone.right);
  // An accent bar between the brand and the call to action.
  const barW = Math.round(usableW * 0.4);
  const barY = Math.round(h * layout.bar);
  // 6 px at 720p, scaled with the frame (both even, so it sits on whole chroma rows).
  const barH = Math.max(2, Math.round(Math.min(w, h) / 120 / 2) * 2);
  const bar = `drawbox=x=${left + Math.round((usableW - barW) / 2)}:y=${barY - barH / 2}:w=${barW}:h=${barH}:color=${ffColor(accent)}:t=fill`;
  const backdrop = `color=c=${ffColor(background)}:s=${w}x${h}:r=${FPS}:d=${seconds(seg.length)},setsar=1,${bar}[cardbg]`;
  const out = layerLabel(index);
  const boxes = endCardBoxes(frame, Boolean(card.logo), Boolean(card.packshot));
  const images = [
    ...(card.logo ? [{ path: card.logo, label: 'logo', box: boxes.logo }] : []),
    ...(card.packshot && boxes.packshot ? [{ path: card.packshot, label: 'pack', box: boxes.packshot }] : []),
  ];
  return {
    name: 'the end card',
    inputs: images.map(({ path }) => ({ path })),
    filters: (ks) => {
      let below = 'cardbg';
      const laid = images.flatMap((image, i) => {
        const output = `card${image.label}`;
        const lines = fitted(ks[i]!, image.label, image.box, below, output);
        below = output;
        return lines;
      });
      return [backdrop, ...laid, `[${below}]${placed(seg)}[${out}]`];
    },
    output: out,
  };
}

/** Every layer over the base in order, each showing the one below where it has no picture. Makes [o<last>]. */
export function stacked(base: string, layers: readonly string[]): GraphPart {
  const last = `o${layers.length - 1}`;
  return {
    name: 'the stacked segments',
    inputs: [],
    filters: () =>
      layers.map((layer, i) => `[${i === 0 ? base : `o${i - 1}`}][${layer}]overlay=eof_action=pass[o${i}]`),
    output: last,
  };
}

/** The captions and the card's words (an ASS document) burned into the picture, in the encoder's pixel
 * format. Makes [v]. */
export function burnedText(picture: string, subtitles: string | undefined, fontsDir: string): GraphPart {
  const burn = subtitles ? `subtitles=${filterValue(subtitles)}:fontsdir=${filterValue(fontsDir)},` : '';
  return {
    name: 'the burned-in text',
    inputs: [],
    filters: () => [`[${picture}]${burn}format=yuv420p[v]`],
    output: 'v',
  };
}

/** The mastered sound, mapped straight to the output (no filter: the encoder reads it as it is). */
export function masteredSound(path: string): GraphPart {
  return { name: 'the mastered sound', inputs: [{ path }], filters: () => [] };
}
