// A reference image honoured visibly. Models that take one (FLUX Kontext's `input_image`, FLUX Redux's
// `image_prompt` on flux-1.1-pro) paint the product into the picture; the stand-in cannot paint, so it pastes
// the reference, whole and unchanged, in the middle of the keyframe it makes: a test finds the product's own
// pixels there. Where it goes is one function, so a test can look at the same place.
import sharp from 'sharp';
import type { Size } from './ffmpeg.js';

/** The inputs that carry a reference image, by the models' own field names. */
export const REFERENCE_FIELDS = ['input_image', 'image_prompt'] as const;

/** The reference fits inside this fraction of the frame's width and of its height, centred. */
export const REFERENCE_BOX_FRACTION = 0.5;

/** The reference image URL of a prediction's input, if it has one. */
export function referenceUrl(input: Record<string, unknown>): string | undefined {
  return REFERENCE_FIELDS.map((field) => input[field]).find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
}

/** Where a `reference` of this size lands in a `frame`: scaled to fit the centred box, its shape kept. */
export function referencePlacement(
  frame: Size,
  reference: Size,
): { x: number; y: number; width: number; height: number } {
  const scale = Math.min(
    (frame.width * REFERENCE_BOX_FRACTION) / reference.width,
    (frame.height * REFERENCE_BOX_FRACTION) / reference.height,
  );
  const width = Math.max(1, Math.round(reference.width * scale));
  const height = Math.max(1, Math.round(reference.height * scale));
  return {
    x: Math.floor((frame.width - width) / 2),
    y: Math.floor((frame.height - height) / 2),
    width,
    height,
  };
}

/** The size of a downloaded reference image; refuses what is not an image (as the model would fail). */
export async function referenceSize(path: string): Promise<Size> {
  const { width, height } = await sharp(path)
    .metadata()
    .catch(() => {
      throw new Error('the input image is not an image the model can read');
    });
  if (!width || !height) throw new Error('the input image has no size');
  return { width, height };
}

/** Pastes `referencePath` onto the PNG at `imagePath` (in place) at `referencePlacement`. */
export async function pasteReference(imagePath: string, referencePath: string): Promise<void> {
  const still = sharp(imagePath);
  const { width = 0, height = 0 } = await still.metadata();
  const place = referencePlacement({ width, height }, await referenceSize(referencePath));
  const pasted = await sharp(referencePath)
    .flatten({ background: '#ffffff' })
    .resize(place.width, place.height, { fit: 'fill' })
    .toBuffer();
  const out = await still
    .composite([{ input: pasted, left: place.x, top: place.y }])
    .png()
    .toBuffer();
  await sharp(out).toFile(imagePath);
}
