// Keyframes with a reference (issue 25, part 2): the product_image kind's model (flux-kontext-pro by default)
// is asked for the reference in its own field, priced before the call, and the stand-in honours the reference
// visibly: it fetches the image as the model would (an unreachable or non-image one fails the prediction) and
// pastes it, unchanged, in the middle of the keyframe, where these tests find its pixels.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AspectRatioSchema } from '@reelforge/schema';
import { createMediaProvider, type MediaProvider } from '../../functions/src/providers/media.js';
import {
  DEFAULT_MODEL_IDS,
  MODEL_SCHEMAS,
  parseModelId,
  resolveMediaModels,
  validateInput,
} from '../../functions/src/providers/models.js';
import { mediaCost } from '../../functions/src/providers/prices.js';
import type { PredictionState } from '../../functions/src/providers/prediction.js';
import { referencePlacement } from '../../scripts/standin/reference.js';
import { placedDifference } from '../support/pixels.js';
import type { Standin } from '../../scripts/standin/server.js';
import { API_KEY, download, standin, tempDir } from './helpers.js';

const KONTEXT = 'black-forest-labs/flux-kontext-pro';
const REF = 'https://storage.example.com/product.png';

describe('the product_image kind', () => {
  it('defaults to flux-kontext-pro, which gets the reference as input_image and the ad shape', () => {
    expect(DEFAULT_MODEL_IDS.product_image).toBe(KONTEXT);
    expect(resolveMediaModels().product_image.label).toBe(KONTEXT);
    // REPLICATE_MODEL_IMAGE's text-only models do not take its place: it has its own override.
    expect(resolveMediaModels({ scene_image: 'black-forest-labs/flux-dev' }).product_image.label).toBe(
      KONTEXT,
    );
    const mapped = parseModelId(KONTEXT).mapInput({
      prompt: 'Keyframe of an ad scene showing the product in the reference image.',
      aspectRatio: '9:16',
      referenceImageUrl: REF,
      palette: ['#e63946'],
      seed: 3,
    });
    expect(mapped).toEqual({
      prompt: 'Keyframe of an ad scene showing the product in the reference image. Colour palette: #e63946.',
      input_image: REF,
      aspect_ratio: '9:16',
      output_format: 'png',
      safety_tolerance: 2,
      seed: 3,
    });
  });

  it('every project format maps to an input its schema takes; what it refuses is refused', () => {
    const schema = MODEL_SCHEMAS[KONTEXT]!;
    for (const aspectRatio of AspectRatioSchema.options) {
      const input = parseModelId(KONTEXT).mapInput({ prompt: 'p', aspectRatio, referenceImageUrl: REF });
      expect(input.aspect_ratio).toBe(aspectRatio);
      expect(validateInput(schema, input)).toEqual([]);
    }
    const fields = (input: Record<string, unknown>) => validateInput(schema, input).map((p) => p.field);
    expect(fields({ prompt: 'p', aspect_ratio: 'match_input_image', input_image: REF })).toEqual([]);
    expect(fields({ prompt: 'p', output_format: 'webp' })).toEqual(['input.output_format']);
    expect(fields({ prompt: 'p', safety_tolerance: 7 })).toEqual(['input.safety_tolerance']);
    expect(fields({ prompt: 'p', input_image: 'product.png' })).toEqual(['input.input_image']);
    expect(fields({ prompt: 'p', num_outputs: 1 })).toEqual(['input']);
    expect(fields({ input_image: REF })).toEqual(['input']);
  });

  it('other models take the reference in their own field: flux-1.1-pro image_prompt, an unknown one input_image', () => {
    const pro = parseModelId('black-forest-labs/flux-1.1-pro').mapInput({
      prompt: 'p',
      aspectRatio: '1:1',
      referenceImageUrl: REF,
    });
    expect(pro.image_prompt).toBe(REF);
    expect(validateInput(MODEL_SCHEMAS['black-forest-labs/flux-1.1-pro']!, pro)).toEqual([]);
    expect(
      parseModelId('someone/kontext-like').mapInput({
        prompt: 'p',
        aspectRatio: '1:1',
        referenceImageUrl: REF,
      }).input_image,
    ).toBe(REF);
  });

  it('is priced before the call: $0.04 an image, and an unpriced reference model like the dearest known one', () => {
    expect(mediaCost({ kind: 'product_image', model: KONTEXT, images: 1 })).toBe(0.04);
    expect(mediaCost({ kind: 'product_image', model: 'someone/unpriced-editor', images: 1 })).toBe(0.04);
    expect(mediaCost({ kind: 'scene_image', model: 'black-forest-labs/flux-schnell', images: 1 })).toBe(
      0.003,
    );
  });
});

/** A product image of four flat quadrants: a misplaced, stretched or recoloured paste shows in the difference. */
async function productImage(width: number, height: number): Promise<Buffer> {
  const quads = ['#f0c828', '#1e78dc', '#14aa5a', '#fafafa'];
  const half = (w: number, h: number, colour: string) =>
    sharp({ create: { width: w, height: h, channels: 3, background: colour } })
      .png()
      .toBuffer();
  const w = Math.floor(width / 2);
  const h = Math.floor(height / 2);
  return sharp({ create: { width, height, channels: 3, background: '#000' } })
    .composite([
      { input: await half(w, h, quads[0]!), left: 0, top: 0 },
      { input: await half(width - w, h, quads[1]!), left: w, top: 0 },
      { input: await half(w, height - h, quads[2]!), left: 0, top: h },
      { input: await half(width - w, height - h, quads[3]!), left: w, top: h },
    ])
    .png()
    .toBuffer();
}

describe('the stand-in honours the reference visibly', () => {
  let server: Standin;
  let media: MediaProvider;
  let files: Server;
  let base: string;
  let dir: string;
  let cleanup: () => Promise<void>;
  let product: Buffer;

  beforeAll(async () => {
    server = await standin({ replicateApiToken: API_KEY });
    media = createMediaProvider({
      baseURL: server.replicateBaseUrl,
      apiKey: API_KEY,
      requestTimeoutMs: 2_000,
    });
    ({ dir, cleanup } = await tempDir());
    product = await productImage(300, 400);
    // Where the model fetches the reference from (a signed Storage URL in production).
    files = createServer((req, res) => {
      if (req.url === '/product.png') res.writeHead(200, { 'content-type': 'image/png' }).end(product);
      else if (req.url === '/page.html') res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>');
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server.close();
    await new Promise<void>((resolve) => files.close(() => resolve()));
    await cleanup();
  });

  const run = async (referenceImageUrl: string, aspectRatio: '9:16' | '16:9' = '9:16') =>
    media.waitUntilDone(
      (await media.start('product_image', { prompt: 'keyframe', aspectRatio, referenceImageUrl })).id,
      { intervalMs: 40, deadline: Date.now() + 20_000 },
    );

  it.each(['9:16', '16:9'] as const)(
    '%s: the keyframe carries the product image, unchanged, in its centred box',
    async (aspectRatio) => {
      const final: PredictionState = await run(`${base}/product.png`, aspectRatio);
      expect(final.status).toBe('succeeded');
      const file = await download(final.outputUrls[0] ?? '', 'image', dir, `kontext-${aspectRatio[0]}.png`);
      const { data, info } = await sharp(file.path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual(aspectRatio === '9:16' ? [720, 1280] : [1280, 720]);
      const place = referencePlacement(info, { width: 300, height: 400 });
      const expected = await sharp(product)
        .removeAlpha()
        .resize(place.width, place.height, { fit: 'fill' })
        .raw()
        .toBuffer();
      const diff = placedDifference(data, info.width, place, expected, place, 2);
      console.info(`reference paste ${aspectRatio}: mean abs diff ${diff.toFixed(3)} (0-255)`);
      expect(diff).toBeLessThan(2);
    },
  );

  it('an unreachable reference fails the prediction, as Replicate fails it; so does one that is not an image', async () => {
    const missing = await run(`${base}/gone.png`);
    expect(missing.status).toBe('failed');
    expect(missing.error).toMatch(/could not download the input image \(404\)/);
    const closed = await run('http://127.0.0.1:9/product.png');
    expect(closed.status).toBe('failed');
    expect(closed.error).toMatch(/could not download the input image/);
    const page = await run(`${base}/page.html`);
    expect(page.status).toBe('failed');
    expect(page.error).toMatch(/content type text\/html/);
  });

  it('refuses an input the model schema refuses, with 422', async () => {
    const res = await fetch(`${server.replicateBaseUrl}/models/${KONTEXT}/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ input: { prompt: 'p', input_image: `${base}/product.png`, num_outputs: 2 } }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/num_outputs is not allowed/);
  });
});
