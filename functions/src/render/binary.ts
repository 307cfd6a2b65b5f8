// Where the ffmpeg binary comes from: the `@ffmpeg-installer/ffmpeg` npm package, whose platform package
// (`@ffmpeg-installer/linux-x64` on the Cloud Functions Node 22 runtime) ships a static build. Cloud Build
// installs it from functions/package.json like any dependency, so the deployed function and a local
// checkout run the same ffmpeg with no system package.
let cached: Promise<string> | undefined;

/** Loaded on first use: the package throws at import on a platform it has no binary for, and only the
 * render needs it, so every other function's cold start stays free of it. */
export function ffmpegPath(): Promise<string> {
  cached ??= import('@ffmpeg-installer/ffmpeg').then((m) => m.default.path);
  return cached;
}

let probeCached: Promise<string> | undefined;

/** ffprobe from `@ffprobe-installer/ffprobe`, loaded likewise on first use (the quality gate reads with it). */
export function ffprobePath(): Promise<string> {
  probeCached ??= import('@ffprobe-installer/ffprobe').then((m) => m.default.path);
  return probeCached;
}
