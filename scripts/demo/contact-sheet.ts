// The contact sheet: one PNG with a picture of every scene in order (the demo uses frames of the finished
// ad, captions showing, and its end card), each captioned with its number, duration and title, for a person who would rather look than read. Made with the same ffmpeg the
// render uses: each keyframe is fitted into a tile with a caption strip, and `tile` lays them out.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import type { AspectRatio } from '@reelforge/schema';
import { findFontFile } from './fonts.js';

export interface SheetScene {
  number: number;
  title: string;
  durationSeconds: number;
  /** Local image (a keyframe or a frame of the ad); a grey tile stands in when there is none. */
  image?: string;
  /** The small line above the title; `SCENE n · d s` by default. */
  label?: string;
}

export interface ContactSheetOptions {
  scenes: readonly SheetScene[];
  aspect: AspectRatio;
  output: string;
  /** A folder for the caption files. */
  workDir: string;
  /** A line above the tiles (cut to the sheet's width), and a smaller one under it. */
  heading?: string;
  subheading?: string;
}

const TILE: Record<AspectRatio, { width: number; height: number; columns: number }> = {
  '9:16': { width: 270, height: 480, columns: 6 },
  '16:9': { width: 480, height: 270, columns: 3 },
  '1:1': { width: 360, height: 360, columns: 4 },
  '4:5': { width: 320, height: 400, columns: 5 },
};
const CAPTION_HEIGHT = 84;
const HEADING_HEIGHT = 72;
const HEADING_SIZE = 22;
const TITLE_SIZE = 17;

/** Escapes a value for a filter option inside a filter graph (two levels of ffmpeg quoting). */
function filterValue(value: string): string {
  return value.replace(/[\\':]/g, '\\$&').replace(/[\\'[\],;]/g, '\\$&');
}

/** Cuts a line to `maxChars`, ending it in an ellipsis when it was longer. */
function fit(line: string, maxChars: number): string {
  return line.length <= maxChars ? line : `${line.slice(0, Math.max(1, maxChars - 1)).trimEnd()}…`;
}

/** Breaks a title into at most two lines that fit the tile; a longer one ends in an ellipsis. */
export function wrapTitle(title: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of title.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= maxChars) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word.length > maxChars ? `${word.slice(0, maxChars - 1)}…` : word;
    if (lines.length === 2) break;
  }
  if (line && lines.length < 2) lines.push(line);
  if (lines.length === 2 && lines.join(' ').length < title.trim().length) {
    const last = lines[1]!;
    lines[1] = last.length >= maxChars ? `${last.slice(0, maxChars - 1)}…` : `${last}…`;
  }
  return lines;
}

export async function makeContactSheet(opts: ContactSheetOptions): Promise<{ labeled: boolean }> {
  const { width, height, columns: maxColumns } = TILE[opts.aspect];
  const font = await findFontFile();
  const columns = Math.min(maxColumns, opts.scenes.length);
  const rows = Math.ceil(opts.scenes.length / columns);
  const maxChars = Math.floor((width - 20) / (TITLE_SIZE * 0.62));

  const inputs: string[] = [];
  const chains: string[] = [];
  for (const [i, scene] of opts.scenes.entries()) {
    if (scene.image) inputs.push('-i', scene.image);
    else inputs.push('-f', 'lavfi', '-i', `color=c=0x2a2a2a:s=${width}x${height}:d=0.04`);
    let chain =
      `[${i}:v]scale=${width}:${height}:force_original_aspect_ratio=decrease,` +
      `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=rgb24`;
    if (font) {
      // Captions go through text files: no escaping of titles, whatever characters they hold.
      const meta = join(opts.workDir, `caption-${scene.number}-meta.txt`);
      const title = join(opts.workDir, `caption-${scene.number}-title.txt`);
      await writeFile(meta, scene.label ?? `SCENE ${scene.number}  ·  ${scene.durationSeconds} s`);
      await writeFile(title, wrapTitle(scene.title, maxChars).join('\n'));
      const text = (file: string, size: number, color: string, y: number) =>
        `drawtext=fontfile=${filterValue(font)}:textfile=${filterValue(file)}:expansion=none:` +
        `fontsize=${size}:fontcolor=${color}:line_spacing=4:x=10:y=${y}`;
      chain +=
        `,pad=${width}:${height + CAPTION_HEIGHT}:0:0:color=0x1c1c1c,` +
        `${text(meta, 13, '0xb0b0b0', height + 10)},${text(title, TITLE_SIZE, 'white', height + 32)}`;
    }
    chains.push(`${chain}[t${i}]`);
  }
  const pads = opts.scenes.map((_, i) => `[t${i}]`).join('');
  let layout = `${pads}concat=n=${opts.scenes.length}:v=1:a=0,tile=${columns}x${rows}:padding=8:margin=8:color=0x101010`;
  if (font && opts.heading) {
    const sheetWidth = columns * width + (columns - 1) * 8 + 16;
    const heading = join(opts.workDir, 'caption-heading.txt');
    const subheading = join(opts.workDir, 'caption-subheading.txt');
    await writeFile(heading, fit(opts.heading, Math.floor((sheetWidth - 32) / (HEADING_SIZE * 0.62))));
    await writeFile(subheading, fit(opts.subheading ?? '', Math.floor((sheetWidth - 32) / (13 * 0.62))));
    const text = (file: string, size: number, color: string, y: number) =>
      `drawtext=fontfile=${filterValue(font)}:textfile=${filterValue(file)}:expansion=none:` +
      `fontsize=${size}:fontcolor=${color}:x=16:y=${y}`;
    layout +=
      `,pad=iw:ih+${HEADING_HEIGHT}:0:${HEADING_HEIGHT}:color=0x101010,` +
      `${text(heading, HEADING_SIZE, 'white', 14)},${text(subheading, 13, '0xb0b0b0', 46)}`;
  }
  await promisify(execFile)(ffmpeg.path, [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...inputs,
    ...['-filter_complex', [...chains, layout].join(';'), '-frames:v', '1', opts.output],
  ]);
  return { labeled: Boolean(font) };
}
