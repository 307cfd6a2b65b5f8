// Uploads go straight from the browser to Storage, under the signed-in user's own folder
// (uploads/{uid}/images|clips/, the only place storage.rules lets a client write, within its size and type
// limits); the attach callables then check the bytes and move the file under the project. Deployed, the
// Firebase Storage SDK uploads (the rules apply); on the local emulators the Storage app runs without its rules
// runtime and refuses the SDK's routes (OFFLINE.md), so the studio uses the GCS upload API it does serve.
import { getApp } from 'firebase/app';
import { getStorage, ref, uploadBytes } from 'firebase/storage';
import { UPLOAD_KINDS, uploadPath, type UploadKind } from '@reelforge/schema';

/** Why the file cannot be uploaded as `kind`, checked before any byte is sent (the backend decides again). */
export function uploadProblem(kind: UploadKind, file: { size: number; type: string }): string | undefined {
  const { maxBytes, contentTypes } = UPLOAD_KINDS[kind];
  if (file.size === 0) return 'the file is empty';
  if (file.size > maxBytes) return `the file must be at most ${maxBytes / (1024 * 1024)} MiB`;
  if (!(contentTypes as readonly string[]).includes(file.type)) {
    return kind === 'images' ? 'must be a PNG or JPEG image' : 'must be an MP4, MOV or WebM video';
  }
  return undefined;
}

/** Uploads the file to the user's own folder and returns its path, for setProductImage or setSceneClip. */
export async function uploadOwnFile(
  uid: string,
  kind: UploadKind,
  file: File,
  emulators: boolean,
): Promise<string> {
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(file.name)?.[1] ?? 'bin';
  const path = uploadPath(uid, kind, `${crypto.randomUUID()}.${extension}`);
  if (!emulators) {
    await uploadBytes(ref(getStorage(getApp()), path), file, { contentType: file.type });
    return path;
  }
  const bucket = `${__EMULATOR_PROJECT_ID__}.appspot.com`;
  const url =
    `http://${location.hostname}:${__EMULATOR_PORTS__.storage}/upload/storage/v1/b/${bucket}/o` +
    `?uploadType=media&name=${encodeURIComponent(path)}`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': file.type }, body: file });
  if (!res.ok) throw new Error(`the upload failed (${res.status})`);
  return path;
}
