// The logo a user uploads, decoded for real before it is stored. Its header alone proves little: a ~1 MB PNG
// can declare 16000x16000 (a gigabyte of pixels, decoded at full size by every concurrent encode of the
// render), and a PNG whose IDAT is corrupt passes a header check and then fails every render with a message
// blaming the clips. So the upload is decoded with sharp (libvips, what Firebase's resize-images extension
// uses) under a pixel limit, and what is stored is a re-encoded PNG that fits LOGO_STORED_SIDE a side: the
// render reads a small, known-good file whatever was sent.

/** Largest side accepted from the client. */
export const LOGO_MAX_SIDE = 4096;
/** The stored copy fits inside this square (the end card shows the logo far smaller). */
export const LOGO_STORED_SIDE = 1024;

/** Why the upload is not a usable image, in words for the person who sent it. */
export class LogoRefused extends Error {
  override name = 'LogoRefused';
}

/** Decodes, bounds and re-encodes the logo as PNG (alpha kept, EXIF orientation applied, metadata dropped). */
export function normaliseLogo(bytes: Buffer): Promise<Buffer> {
  return normaliseImage(bytes, { maxSide: LOGO_MAX_SIDE, storedSide: LOGO_STORED_SIDE, what: 'the logo' });
}

export interface ImageBounds {
  /** Largest side accepted; the pixel limit of the decode is its square. */
  maxSide: number;
  /** The stored copy fits inside this square. */
  storedSide: number;
  /** What messages call the image: `the logo`. */
  what: string;
}

/** Decodes an uploaded image under a pixel limit and re-encodes it as PNG (alpha kept, EXIF orientation
 * applied, metadata and anything after the image data dropped), fitting `storedSide` a side. */
export async function normaliseImage(bytes: Buffer, bounds: ImageBounds): Promise<Buffer> {
  const { maxSide, storedSide, what } = bounds;
  // Loaded on first use: a native module only these callables need stays out of every other cold start.
  const { default: sharp } = await import('sharp');
  const limitInputPixels = maxSide * maxSide;
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes, { limitInputPixels: false }).metadata());
  } catch {
    throw new LogoRefused('must be a PNG or JPEG image that can be decoded');
  }
  if (!width || !height) throw new LogoRefused('must be a PNG or JPEG image that can be decoded');
  if (width > maxSide || height > maxSide) {
    throw new LogoRefused(`${what} is ${width}x${height} px; it must be at most ${maxSide} px on each side`);
  }
  try {
    return await sharp(bytes, { limitInputPixels, failOn: 'error', sequentialRead: true })
      .rotate()
      .resize(storedSide, storedSide, { fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer();
  } catch {
    throw new LogoRefused(`the image data is corrupt or truncated; export ${what} again`);
  }
}
