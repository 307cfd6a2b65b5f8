// The brand logo, checked in the browser before it is sent: the size first (a huge file is refused without
// reading it), then the first bytes (PNG or JPEG signature). The backend checks the whole file again
// (signature, header, end marker) and stays the authority; this only spares a person a 2 MiB upload that
// would be refused.
import { LIMITS } from '@reelforge/schema';

export type LogoKind = 'png' | 'jpeg';

/** Bytes of the file's beginning that `checkLogo` needs. */
export const LOGO_HEAD_BYTES = 8;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

function startsWith(head: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, i) => head[i] === byte);
}

const MIB = 1024 * 1024;

/** Why a file cannot be the logo, or its kind. `head` is at least the file's first LOGO_HEAD_BYTES. */
export function checkLogo(size: number, head: Uint8Array): { kind: LogoKind } | { problem: string } {
  if (size > LIMITS.LOGO_MAX_BYTES) {
    return {
      problem: `the logo must be at most ${LIMITS.LOGO_MAX_BYTES / MIB} MiB; this file is ${(size / MIB).toFixed(2)} MiB`,
    };
  }
  if (startsWith(head, PNG_SIGNATURE)) return { kind: 'png' };
  if (startsWith(head, JPEG_SIGNATURE)) return { kind: 'jpeg' };
  return { problem: 'the logo must be a PNG or JPEG image' };
}

/** Base64 of the bytes, as `setLogo` takes them (callables carry JSON). Chunked: spreading 2 MiB of
 * arguments into one `String.fromCharCode` call overflows the stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}
