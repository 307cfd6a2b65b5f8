// Logos a client might send: one whose header declares 16000x16000 in a small file (a 1-bit grey PNG of
// zeros, valid to the last byte), and one whose IDAT data is corrupt but whose chunk checksums are right
// (so only decoding the pixels finds it).
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A real PNG of `side` x `side` 1-bit grey pixels: tiny on disk, huge once decoded. */
export function hugePng(side = 16000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const row = 1 + Math.ceil(side / 8);
  const idat = deflateSync(Buffer.alloc(row * side), { level: 9 });
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** A 64x64 PNG whose compressed pixel data is overwritten mid-stream, checksums recomputed. */
export async function corruptIdatPng(): Promise<Buffer> {
  const good = await sharp({
    create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 30, b: 60 } },
  })
    .png({ compressionLevel: 0 })
    .toBuffer();
  const at = good.indexOf('IDAT', 8, 'ascii') - 4;
  const length = good.readUInt32BE(at);
  const data = Buffer.from(good.subarray(at + 8, at + 8 + length));
  data.fill(0xff, 2 + Math.floor(length / 4), 2 + Math.floor(length / 2));
  return Buffer.concat([good.subarray(0, at), chunk('IDAT', data), good.subarray(at + 12 + length)]);
}

/** A valid wide JPEG, larger than the stored copy's bound. */
export function wideJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 3000, height: 300, channels: 3, background: { r: 10, g: 120, b: 200 } } })
    .jpeg()
    .toBuffer();
}
