// The logo decoded for real before it is stored: a huge image is refused from its header, corrupt pixel data
// is refused by decoding, and what is stored is a re-encoded PNG within the stored bound.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageInfo } from '../../functions/src/storage/image-kind.js';
import { LOGO_STORED_SIDE, LogoRefused, normaliseLogo } from '../../functions/src/storage/logo-image.js';
import { corruptIdatPng, hugePng, wideJpeg } from './support/logo-fixtures.js';

describe('normaliseLogo', () => {
  it('refuses a 16000x16000 PNG of a few kilobytes, naming its size', async () => {
    const huge = hugePng();
    expect(huge.length).toBeLessThan(1024 * 1024);
    // The header check alone takes it.
    expect(imageInfo(huge)).toMatchObject({ kind: 'png', width: 16000, height: 16000 });
    const error = await normaliseLogo(huge).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(LogoRefused);
    expect((error as Error).message).toMatch(/16000x16000 px.*at most 4096/);
  });

  it('refuses a PNG whose IDAT is corrupt though its header and checksums are right', async () => {
    const corrupt = await corruptIdatPng();
    expect(imageInfo(corrupt)).toMatchObject({ kind: 'png', width: 64, height: 64 });
    const error = await normaliseLogo(corrupt).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(LogoRefused);
    expect((error as Error).message).toMatch(/corrupt or truncated/);
  });

  it('stores a re-encoded PNG that fits the bound, keeping the aspect', async () => {
    const stored = await normaliseLogo(await wideJpeg());
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: 'png', width: LOGO_STORED_SIDE, height: 102 });
    // A small logo is re-encoded, never enlarged.
    const small = await sharp({ create: { width: 40, height: 20, channels: 4, background: '#ff000080' } })
      .png()
      .toBuffer();
    expect(await sharp(await normaliseLogo(small)).metadata()).toMatchObject({
      format: 'png',
      width: 40,
      height: 20,
      hasAlpha: true,
    });
  });
});
