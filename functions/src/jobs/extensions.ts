// File extensions of provider outputs: a stored file keeps the format the provider actually produced.
const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'video/quicktime': 'mov',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/ogg': 'ogg',
  'application/json': 'json',
};

/** File extension for a provider output, from its URL first (it names the real format), else its type. */
export function extensionFor(url: string, fallback: string): string {
  const match = /\.([a-z0-9]{2,4})(?:$|\?)/i.exec(new URL(url).pathname);
  const fromUrl = match?.[1]?.toLowerCase();
  if (fromUrl && Object.values(EXTENSIONS).includes(fromUrl)) return fromUrl;
  return EXTENSIONS[fallback] ?? fallback;
}
