// The one table of media formats: each content type we accept from a provider, the kind of output it is,
// and the file extensions that stand for it (the first is the one a stored file gets). The output fetch
// checks types against it; stored files are named by it.
export type OutputKind = 'image' | 'video' | 'audio' | 'json';

const MEDIA_TYPES: readonly { type: string; kind: OutputKind; extensions: readonly string[] }[] = [
  { type: 'image/png', kind: 'image', extensions: ['png'] },
  { type: 'image/jpeg', kind: 'image', extensions: ['jpg', 'jpeg'] },
  { type: 'image/webp', kind: 'image', extensions: ['webp'] },
  { type: 'video/mp4', kind: 'video', extensions: ['mp4'] },
  { type: 'video/webm', kind: 'video', extensions: ['webm'] },
  { type: 'video/quicktime', kind: 'video', extensions: ['mov'] },
  { type: 'audio/mpeg', kind: 'audio', extensions: ['mp3'] },
  { type: 'audio/wav', kind: 'audio', extensions: ['wav'] },
  // Other names servers use for WAV; a file under them is still stored as .wav.
  { type: 'audio/x-wav', kind: 'audio', extensions: ['wav'] },
  { type: 'audio/wave', kind: 'audio', extensions: ['wav'] },
  { type: 'audio/mp4', kind: 'audio', extensions: ['m4a'] },
  { type: 'audio/aac', kind: 'audio', extensions: ['aac'] },
  { type: 'audio/ogg', kind: 'audio', extensions: ['ogg'] },
  { type: 'application/json', kind: 'json', extensions: ['json'] },
];

/** Whether `type` (without parameters) is a content type of `kind`. */
export function isContentTypeOf(type: string, kind: OutputKind): boolean {
  return MEDIA_TYPES.some((m) => m.type === type && m.kind === kind);
}

/** The content type an extension (without its dot) of `kind` stands for, if it is one of ours. */
export function contentTypeOfExtension(extension: string, kind: OutputKind): string | undefined {
  return MEDIA_TYPES.find((m) => m.kind === kind && m.extensions.includes(extension))?.type;
}

/** File extension for a provider output, from its URL first (it names the real format), else its type. */
export function extensionFor(url: string, contentType: string): string {
  const fromUrl = /\.([a-z0-9]{2,4})(?:$|\?)/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  if (fromUrl && MEDIA_TYPES.some((m) => m.extensions.includes(fromUrl))) return fromUrl;
  const known = MEDIA_TYPES.find((m) => m.type === contentType)?.extensions[0];
  if (!known) throw new Error(`no file extension is known for ${contentType}`);
  return known;
}
