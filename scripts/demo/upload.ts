// The demo's upload of a product image to the user's own folder (uploads/{uid}/images/). A browser uses the
// Firebase Storage SDK under storage.rules; the local Storage emulator runs without its rules runtime and
// refuses those routes (OFFLINE.md), so the demo sends the bytes through the GCS upload API it serves, to the
// same path. setProductImage then checks the bytes and moves the image under the project.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { uploadPath } from '@reelforge/schema';
import { DEFAULT_BUCKET, STORAGE_URL } from '../harness/env.js';

export async function uploadToOwnFolder(uid: string, file: string): Promise<string> {
  const bytes = await readFile(file);
  const extension = extname(file).slice(1).toLowerCase() || 'bin';
  const path = uploadPath(uid, 'images', `${randomUUID()}.${extension}`);
  const type = extension === 'png' ? 'image/png' : 'image/jpeg';
  const url = `${STORAGE_URL}/upload/storage/v1/b/${DEFAULT_BUCKET}/o?uploadType=media&name=${encodeURIComponent(path)}`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: bytes });
  if (!res.ok) throw new Error(`uploading ${file} failed: ${res.status} ${await res.text()}`);
  return path;
}
