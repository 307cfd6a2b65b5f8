// The brand's own media end to end (issue 25): uploads attached by their bytes, hostile ones refused with
// nothing stored, and one production whose only scene uses its own clip, with the product image as the end
// card's packshot and a disclaimer as its fine print, in two formats. Measured on the delivered files: the
// scene's frames come from its clip (no video prediction made), the packshot area matches the product image
// and stays in the safe zone, the disclaimer reads back by OCR, and no provider request ever held it.
// In the serial project: it counts the stand-in's predictions and reads its request log.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LIMITS,
  outdatedAssets,
  uploadPath,
  type AspectRatio,
  type ProjectDoc,
  type UploadKind,
} from '@reelforge/schema';
import {
  E2E_SKIP_REASON,
  adminBucket,
  expectHttpsError,
  fileUser,
  listFiles,
  readProjectOrFail,
  uploadFile,
  waitForProject,
} from './support/index.js';
import { projectWithStoryboard, runSceneJob } from './pipeline/jobs.js';
import { standin } from './pipeline/standin.js';
import { frameAt, lavfiClip } from '../support/ad-fixture.js';
import { placedDifference } from '../support/pixels.js';
import { FPS, SAFE_ZONE, frameSize } from '../../functions/src/render/frame.js';
import { endCardBoxes } from '../../functions/src/render/picture-parts.js';
import { endCardLayout } from '../../functions/src/render/captions.js';
import { referencePlacement } from '../../scripts/standin/reference.js';

const KONTEXT = 'black-forest-labs/flux-kontext-pro';
const SCHNELL = 'black-forest-labs/flux-schnell';

const run = promisify(execFile);
const DISCLAIMER = 'Offer ends 31 May 2027. Terms apply.';
const FORMATS: AspectRatio[] = ['9:16', '16:9'];
/** The clip's colour: nothing the stand-in makes is this flat magenta. */
const CLIP_RGB = [230, 20, 200] as const;

/** A product image of four flat quadrants, so a misplaced or stretched packshot shows in the difference. */
async function productImage(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  const quads = [
    [240, 200, 40],
    [30, 120, 220],
    [20, 170, 90],
    [250, 250, 250],
  ];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const q = quads[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)]!;
      pixels.set(q, (y * width + x) * 3);
    }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A PNG whose header claims `width` x `height` (CRC fixed), over the data of a 1x1 image: a bomb's shape. */
function pngClaiming(onePixel: Buffer, width: number, height: number): Buffer {
  const png = Buffer.from(onePixel);
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function meanRgb(
  frame: Buffer,
  width: number,
  box: { x: number; y: number; w: number; h: number },
): number[] {
  const sum = [0, 0, 0];
  for (let y = box.y; y < box.y + box.h; y++)
    for (let x = box.x; x < box.x + box.w; x++)
      for (let c = 0; c < 3; c++) sum[c]! += frame[(y * width + x) * 3 + c]!;
  return sum.map((s) => s / (box.w * box.h));
}

describe.skipIf(E2E_SKIP_REASON !== null)("the brand's own product images and footage", () => {
  const alice = fileUser('alice');
  const bob = fileUser('bob');
  let dir: string;
  let product: Buffer;
  let clip: Buffer;

  /** Puts `bytes` where Alice's browser would upload them (storage.rules: her folder only). */
  async function upload(kind: UploadKind, bytes: Buffer | string, name = `${randomUUID().slice(0, 8)}.bin`) {
    const path = uploadPath(alice.uid, kind, name);
    await uploadFile(path, bytes, kind === 'images' ? 'image/png' : 'video/mp4');
    return path;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'brand-media-'));
    product = await productImage(400, 520);
    const clipPath = join(dir, 'clip.mp4');
    // Shorter than the scene: the render holds its last frame.
    await lavfiClip(
      clipPath,
      `color=c=0x${CLIP_RGB.map((v) => v.toString(16).padStart(2, '0')).join('')}:s=720x1280:r=${FPS}`,
      2,
    );
    clip = await readFile(clipPath);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses every hostile upload, naming why, and leaves nothing stored', async () => {
    const project = await projectWithStoryboard(alice, 1);
    const scene = project.scenes[0]!;
    const onePixel = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const longClip = join(dir, 'long.mp4');
    await lavfiClip(longClip, 'color=c=blue:s=64x64:r=2', LIMITS.CLIP_MAX_SECONDS + 2);
    const bigFrame = join(dir, 'big.mp4');
    await lavfiClip(bigFrame, 'color=c=blue:s=4112x64:r=2', 1);
    const ftyp = Buffer.from('0000001c667479706973736d00000200697373736d69736f326d703431', 'hex');
    const playlist =
      '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n';
    const jpeg = await sharp(product).jpeg().toBuffer();
    const hostile: { kind: UploadKind; what: string; bytes: Buffer | string; reason: RegExp }[] = [
      { kind: 'clips', what: 'an HLS playlist named .mp4', bytes: playlist, reason: /playlist/ },
      {
        kind: 'clips',
        what: 'an ffconcat script named .mp4',
        bytes: "ffconcat version 1.0\nfile '/etc/passwd'\n",
        reason: /concat script/,
      },
      {
        kind: 'clips',
        what: 'a polyglot: an MP4 header over a playlist',
        bytes: Buffer.concat([ftyp, Buffer.from(playlist)]),
        reason: /cannot be read|no video stream/,
      },
      { kind: 'clips', what: 'a zero-length file', bytes: Buffer.alloc(0), reason: /empty/ },
      { kind: 'clips', what: 'an over-long clip', bytes: await readFile(longClip), reason: /at most 60 s/ },
      {
        kind: 'clips',
        what: 'a clip wider than the cap',
        bytes: await readFile(bigFrame),
        reason: /at most 4096 px/,
      },
      { kind: 'clips', what: 'a PNG named .mp4', bytes: product, reason: /not an MP4, MOV or WebM/ },
      {
        kind: 'clips',
        what: 'a truncated MP4',
        bytes: clip.subarray(0, 3000),
        reason: /cannot be read|corrupt|no video/,
      },
      {
        kind: 'images',
        what: 'a decompression bomb (50000x50000 declared)',
        bytes: pngClaiming(onePixel, 50_000, 50_000),
        reason: /50000x50000 px; it must be at most 6000/,
      },
      {
        kind: 'images',
        what: 'a GIF named .png',
        bytes: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;'),
        reason: /PNG or JPEG/,
      },
      {
        kind: 'images',
        what: 'an SVG named .png',
        bytes: '<svg xmlns="http://www.w3.org/2000/svg"/>',
        reason: /PNG or JPEG/,
      },
      {
        kind: 'images',
        what: 'a truncated JPEG',
        bytes: jpeg.subarray(0, jpeg.length / 2),
        reason: /PNG or JPEG/,
      },
      { kind: 'images', what: 'an MP4 named .png', bytes: clip, reason: /PNG or JPEG/ },
      { kind: 'images', what: 'a zero-length file', bytes: Buffer.alloc(0), reason: /empty/ },
    ];
    const before = await listFiles(`projects/${project.id}/`);
    for (const file of hostile) {
      const path = await upload(file.kind, file.bytes);
      const call =
        file.kind === 'clips'
          ? alice.callRaw('setSceneClip', { project_id: project.id, scene_id: scene.id, upload_path: path })
          : alice.callRaw('setProductImage', { project_id: project.id, upload_path: path });
      const err = await expectHttpsError(call, 'invalid-argument');
      expect(JSON.stringify(err.details), file.what).toMatch(file.reason);
      expect(await listFiles(path), `${file.what}: the upload is deleted`).toEqual([]);
    }
    expect(await listFiles(`projects/${project.id}/`)).toEqual(before);
    const after = await readProjectOrFail(project.id);
    expect(after.assets.product_image_path).toBeUndefined();
    expect(after.scenes[0]!.assets.clip_path).toBeUndefined();

    // Another user cannot use, or delete, her upload by naming it.
    const hers = await upload('images', product);
    const { project: his } = await bob.call('createProject', {
      name: 'Bob',
      creative_brief: project.storyboard.creative_brief,
    });
    await expectHttpsError(
      bob.callRaw('setProductImage', { project_id: his.id, upload_path: hers }),
      'invalid-argument',
    );
    expect(await listFiles(hers)).toEqual([hers]);
  });

  it('renders a scene from its own clip with no video prediction, the packshot and the disclaimer exact, in every format', async () => {
    const project = await projectWithStoryboard(alice, 1);
    const scene = project.scenes[0]!;
    const clipUpload = await upload('clips', clip, 'take-1.mp4');
    const { scene: withClip } = await alice.call('setSceneClip', {
      project_id: project.id,
      scene_id: scene.id,
      upload_path: clipUpload,
    });
    expect(withClip.assets.clip_path).toMatch(
      new RegExp(`^projects/${project.id}/scenes/${scene.id}/clip-.+\\.mp4$`),
    );
    const imageUpload = await upload('images', product, 'product.png');
    const { project: withImage } = await alice.call('setProductImage', {
      project_id: project.id,
      upload_path: imageUpload,
    });
    expect(withImage.assets.product_image_path).toMatch(/\/brand\/product-.+\.png$/);
    expect(await listFiles(`uploads/${alice.uid}/`)).not.toEqual(
      expect.arrayContaining([clipUpload, imageUpload]),
    );
    await alice.call('updateProject', { project_id: project.id, settings: { disclaimer: DISCLAIMER } });

    const videosBefore = (await standin.stats()).media.video.count;
    await alice.call('startProduction', { project_id: project.id, formats: FORMATS });
    const done = await waitForProject(
      project.id,
      (p) => ['completed', 'failed'].includes(p?.production?.status ?? ''),
      150_000,
    );
    expect(done?.production?.blocked).toEqual([]);
    expect(done?.production?.status).toBe('completed');
    // No composition, keyframe or video was made for the scene, and no video model was called.
    expect((await standin.stats()).media.video.count).toBe(videosBefore);
    const finished = await readProjectOrFail(project.id);
    expect(finished.scenes[0]!.assets.video_path).toBeUndefined();
    expect(finished.scenes[0]!.assets.thumbnail_path).toBeUndefined();

    const sceneSeconds = scene.duration_seconds;
    const measured: Record<string, { packshot_mean_abs_diff: number }> = {};
    for (const format of FORMATS) {
      const { width, height } = frameSize(format, finished.settings.resolution);
      const local = join(dir, `ad-${format.replace(':', 'x')}.mp4`);
      await adminBucket().file(finished.assets.renders![format]!.video_path).download({ destination: local });

      // The scene's frames are its clip's: the middle of the frame is the clip's flat colour (after its 2 s,
      // the last frame held).
      for (const at of [0.8, Math.min(sceneSeconds - 0.6, 2.6)]) {
        const frame = await frameAt(local, at, width, height);
        const mid = {
          x: Math.round(width * 0.3),
          y: Math.round(height * 0.3),
          w: Math.round(width * 0.4),
          h: Math.round(height * 0.15),
        };
        const mean = meanRgb(frame, width, mid);
        mean.forEach((v, c) => expect(Math.abs(v - CLIP_RGB[c]!), `${format} at ${at}s`).toBeLessThan(12));
      }

      // The packshot: its box inside the safe zone, and the placed image matching the product image.
      const card = await frameAt(local, (await durationOf(local)) - 0.4, width, height);
      const box = endCardBoxes({ format, width, height }, false, true).packshot!;
      const zone = SAFE_ZONE[format];
      expect(box.x).toBeGreaterThanOrEqual(width * zone.left);
      expect(box.y).toBeGreaterThanOrEqual(height * zone.top);
      expect(box.x + box.w).toBeLessThanOrEqual(width * (1 - zone.right));
      expect(box.y + box.h).toBeLessThanOrEqual(height * (1 - zone.bottom));
      const scale = Math.min(box.w / 400, box.h / 520);
      const placed = { w: Math.round(400 * scale), h: Math.round(520 * scale) };
      const at = {
        x: box.x + Math.floor((box.w - placed.w) / 2),
        y: box.y + Math.floor((box.h - placed.h) / 2),
      };
      const expected = await sharp(product).resize(placed.w, placed.h, { fit: 'fill' }).raw().toBuffer();
      const packshotDiff = placedDifference(
        card,
        width,
        at,
        expected,
        { width: placed.w, height: placed.h },
        3,
      );
      measured[format] = { packshot_mean_abs_diff: Number(packshotDiff.toFixed(2)) };
      expect(packshotDiff, `${format}: mean difference of the packshot area`).toBeLessThan(6);

      // The disclaimer, read back by OCR from the card's bottom band (upscaled: fine print is small).
      const layout = endCardLayout(format, false, true);
      const band = {
        top: Math.round(height * (layout.bottom - 0.12)),
        bottom: Math.round(height * layout.bottom) + 4,
      };
      const crop = join(dir, `fine-${format.replace(':', 'x')}.png`);
      const grey = sharp(card, { raw: { width, height, channels: 3 } })
        .extract({ left: 0, top: band.top, width, height: band.bottom - band.top })
        .greyscale();
      const { channels } = await grey.clone().stats();
      // Tesseract reads dark text on light: a light-on-dark card is inverted first.
      await (channels[0]!.mean < 128 ? grey.negate({ alpha: false }) : grey)
        .resize({ width: width * 2 })
        .png()
        .toFile(crop);
      const { stdout } = await run('tesseract', [crop, '-', '--psm', '6']);
      expect(stdout.replace(/\s+/g, ' ').trim(), `${format}: OCR of the fine print`).toContain(DISCLAIMER);
    }

    console.info(`brand-media: ${JSON.stringify(measured)} (0-255 per channel)`);
    // No provider request of the whole production carried the disclaimer.
    const sent = await standin.requests();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((r) => r.body.includes('Terms apply')).map((r) => r.path)).toEqual([]);
  });

  it('paints the keyframes of the scenes that show the product with the product image as their reference, and only those', async () => {
    const drafted = await projectWithStoryboard(alice, 4);
    const productText = drafted.storyboard.creative_brief.product_description.toLowerCase();
    // The storyboard model decides which scenes show the product: the stand-in's answer says so exactly
    // when the scene's text names the product (its product beats: the third scene always, the last never).
    for (const scene of drafted.scenes) {
      expect(scene.shows_product, scene.description).toBe(
        scene.description.toLowerCase().includes(productText),
      );
    }
    expect(drafted.scenes.map((s) => s.shows_product)).toEqual([false, expect.any(Boolean), true, false]);

    const { project: withImage } = await alice.call('setProductImage', {
      project_id: drafted.id,
      upload_path: await upload('images', product, 'product.png'),
    });
    const productPath = withImage.assets.product_image_path!;
    // updateScene changes it: the first scene now shows the product, the second does not.
    const ids = drafted.scenes.map((s) => s.id);
    const set = (i: number, shows: boolean) =>
      alice.call('updateScene', { project_id: drafted.id, scene_id: ids[i]!, shows_product: shows });
    expect((await set(0, true)).scene.shows_product).toBe(true);
    expect((await set(1, false)).scene.shows_product).toBe(false);
    const shows = [true, false, true, false];

    const stored = await adminBucket().file(productPath).download();
    const storedSize = await sharp(stored[0]).metadata();
    const measured: { scene: number; model: string; centre_mean_abs_diff: number; cost_usd: number }[] = [];
    // One scene at a time, so each one's request to the image model is the only one in the log since.
    for (const [i, sceneId] of ids.entries()) {
      const before = (await standin.requests()).length;
      const { project, job } = await runSceneJob(alice, drafted.id, sceneId, 'image');
      const created = (await standin.requests())
        .slice(before)
        .filter((r) => /\/predictions$/.test(r.path) && r.body !== 'null');
      expect(created, `scene ${i + 1}: one prediction`).toHaveLength(1);
      const request = created[0]!;
      const input = (JSON.parse(request.body) as { input: Record<string, unknown> }).input;
      if (shows[i]) {
        // The reference model, given a readable URL of the stored product image, and a prompt that says
        // nothing of the image beyond keeping it.
        expect(request.path).toMatch(new RegExp(`/models/${KONTEXT}/predictions$`));
        expect(input.input_image).toEqual(expect.stringContaining(encodeURIComponent(productPath)));
        expect(input).toMatchObject({ aspect_ratio: '9:16', output_format: 'png', safety_tolerance: 2 });
        expect(String(input.prompt)).toMatch(
          /^Keyframe of an ad scene showing the product in the reference image/,
        );
        expect(job.cost?.estimated_usd).toBe(0.04);
      } else {
        expect(request.path).toMatch(new RegExp(`/models/${SCHNELL}/predictions$`));
        expect(request.body).not.toContain('input_image');
        expect(request.body).not.toContain(encodeURIComponent(productPath));
        expect(job.cost?.estimated_usd).toBe(0.003);
      }

      // The keyframe's centre: the product image, pixel for pixel, where the model was given it.
      const scene = project.scenes.find((s) => s.id === sceneId)!;
      expect(scene.takes?.image?.product_image_path).toBe(shows[i] ? productPath : undefined);
      const [keyframe] = await adminBucket().file(scene.assets.thumbnail_path!).download();
      const { data, info } = await sharp(keyframe).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([720, 1280]);
      const place = referencePlacement(info, { width: storedSize.width!, height: storedSize.height! });
      const expected = await sharp(stored[0])
        .removeAlpha()
        .resize(place.width, place.height, { fit: 'fill' })
        .raw()
        .toBuffer();
      const mean = Number(placedDifference(data, info.width, place, expected, place, 2).toFixed(2));
      measured.push({
        scene: i + 1,
        model: shows[i] ? KONTEXT : SCHNELL,
        centre_mean_abs_diff: mean,
        cost_usd: job.cost?.estimated_usd ?? 0,
      });
      if (shows[i]) expect(mean, `scene ${i + 1}: the product in the keyframe's centre`).toBeLessThan(3);
      else expect(mean, `scene ${i + 1}: no product in the keyframe`).toBeGreaterThan(30);
    }
    console.info(`product keyframes: ${JSON.stringify(measured)} (0-255 per channel)`);

    const outdated = (p: ProjectDoc) => p.scenes.map((s) => outdatedAssets(s, p));
    expect(outdated(await readProjectOrFail(drafted.id))).toEqual([[], [], [], []]);
    // Changing whether a scene shows the product keeps its keyframe, out of date; changing it back, current.
    await set(1, true);
    expect(outdated(await readProjectOrFail(drafted.id))).toEqual([[], ['image'], [], []]);
    await set(1, false);
    expect(outdated(await readProjectOrFail(drafted.id))).toEqual([[], [], [], []]);
    // A new product image: every keyframe painted with the old one is out of date, the others are not;
    // none is removed.
    const keyframes = (p: ProjectDoc) => p.scenes.map((s) => s.assets.thumbnail_path);
    const painted = keyframes(await readProjectOrFail(drafted.id));
    await alice.call('setProductImage', {
      project_id: drafted.id,
      upload_path: await upload('images', await productImage(300, 300), 'product-2.png'),
    });
    const replaced = await readProjectOrFail(drafted.id);
    expect(keyframes(replaced)).toEqual(painted);
    expect(outdated(replaced)).toEqual([['image'], [], ['image'], []]);
    // Painting it again takes the new image and is current.
    const again = await runSceneJob(alice, drafted.id, ids[0]!, 'image');
    expect(outdated(again.project)[0]).toEqual([]);
    expect(again.project.scenes[0]!.takes?.image?.product_image_path).toBe(
      replaced.assets.product_image_path,
    );
  });
});

async function durationOf(path: string): Promise<number> {
  const { stdout } = await run((await import('@ffprobe-installer/ffprobe')).default.path, [
    '-v',
    'error',
    '-show_entries',
    'format=duration',
    '-of',
    'csv=p=0',
    path,
  ]);
  return Number(stdout.trim());
}
