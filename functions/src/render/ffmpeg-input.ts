// The one way a file becomes an ffmpeg (or ffprobe) input. A clip, track or logo comes from a provider or a
// user; by default ffmpeg guesses the format from the content and follows what it finds, so an HLS playlist
// or a concat script saved as .mp4 would make it open URLs or other local paths. Every input here may use
// the file protocol only, and is read by the demuxer its extension names, never a guessed one.

/** ffmpeg's demuxer for each extension a stored input can have (providers/media-types.ts, the logo, our WAVs). */
const DEMUXERS: Readonly<Record<string, string>> = {
  mp4: 'mp4',
  mov: 'mov',
  // The matroska demuxer reads WebM (it registers as "matroska,webm").
  webm: 'matroska',
  mp3: 'mp3',
  wav: 'wav',
  m4a: 'mp4',
  aac: 'aac',
  ogg: 'ogg',
  // Single still images: the *_pipe demuxers read one picture and know no file-name patterns (image2 would
  // expand %d in a name).
  png: 'png_pipe',
  jpg: 'jpeg_pipe',
  jpeg: 'jpeg_pipe',
};

/** Thrown for a file whose extension names no format the render reads. */
export class UnreadableInputError extends Error {
  override name = 'UnreadableInputError';
}

/** The demuxer for a path, by its extension. */
export function demuxerFor(path: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  const demuxer = DEMUXERS[extension];
  if (!demuxer) throw new UnreadableInputError(`the render cannot read a .${extension || '?'} file`);
  return demuxer;
}

/** `-i path` with file-only protocols and the demuxer its extension (or `demuxer`) names; `before` holds
 * per-input options such as `-stream_loop -1`. */
export function fileInput(
  path: string,
  demuxer = demuxerFor(path),
  before: readonly string[] = [],
): string[] {
  return [...before, '-protocol_whitelist', 'file', '-f', demuxer, '-i', path];
}
