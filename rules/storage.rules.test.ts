// storage.rules' decisions, evaluated by Google's rules engine. The Storage rules runtime cannot run on these
// machines (it needs Java 21 and a download; see OFFLINE.md), but the Firestore emulator evaluates the same
// rules language. So the file on disk is translated mechanically into a Firestore ruleset: the service and the
// bucket match become Firestore's, `firestore.get/exists` become `get/exists`, and an object's
// `request.resource.size` / `.contentType` become fields of the written document. A test "uploads" an object
// by writing a document {size, contentType} at the object's path as a user, and "reads" it by getting the
// document. Every path used here has an even number of segments, so it is a document path as well.
// What this cannot see: anything the translation maps away (metadata beyond size and type). The compile check
// beside it guards the real file's grammar.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
} from '@firebase/rules-unit-testing';
import { deleteDoc, doc, getDoc, setDoc, setLogLevel, type Firestore } from 'firebase/firestore';
import { LIMITS, uploadPath } from '@reelforge/schema';
import { HOST, PORTS, PROJECT_ID, ROOT } from '../scripts/harness/env.js';
import { skipUnlessEmulators } from '../scripts/harness/guard.js';

setLogLevel('silent');

/** storage.rules as a Firestore ruleset (see the header). Throws when a construct it maps is missing, so a
 * rewrite of the file cannot silently make this test judge something else. */
function asFirestoreRules(storageRules: string): string {
  const swaps: [RegExp, string][] = [
    [/service firebase\.storage \{/, 'service cloud.firestore {'],
    [/match \/b\/\{bucket\}\/o \{/, 'match /databases/{database}/documents {'],
    [/firestore\.(get|exists)\(/g, '$1('],
    [/request\.resource\.(size|contentType)/g, 'request.resource.data.$1'],
  ];
  let out = storageRules;
  for (const [from, to] of swaps) {
    if (!from.test(out)) throw new Error(`storage.rules no longer contains ${String(from)}`);
    out = out.replace(from, to);
  }
  return out;
}

const run = randomUUID().slice(0, 8);
const ALICE = `alice-${run}`;
const BOB = `bob-${run}`;
const ALICE_PROJECT = `p-alice-${run}`;
const MIB = 1024 * 1024;

describe.skipIf(skipUnlessEmulators('Storage rules (through the Firestore engine)'))('storage.rules', () => {
  let env: RulesTestEnvironment;
  const as = (uid: string) => env.authenticatedContext(uid).firestore() as unknown as Firestore;
  const signedOut = () => env.unauthenticatedContext().firestore() as unknown as Firestore;
  const put = (db: Firestore, path: string, size: number, contentType: string) =>
    setDoc(doc(db, path), { size, contentType });
  const image = (uid: string, name = `img-${randomUUID().slice(0, 8)}`) => uploadPath(uid, 'images', name);
  const clip = (uid: string, name = `clip-${randomUUID().slice(0, 8)}.mp4`) => uploadPath(uid, 'clips', name);

  beforeAll(async () => {
    env = await initializeTestEnvironment({
      projectId: `${PROJECT_ID}-storage-rules`,
      firestore: {
        host: HOST,
        port: PORTS.firestore,
        rules: asFirestoreRules(readFileSync(join(ROOT, 'storage.rules'), 'utf8')),
      },
    });
    await env.withSecurityRulesDisabled(async (ctx) => {
      const db = ctx.firestore() as unknown as Firestore;
      await setDoc(doc(db, 'projects', ALICE_PROJECT), { user_id: ALICE });
      await setDoc(doc(db, `projects/${ALICE_PROJECT}/brand/logo.png`), {
        size: 10,
        contentType: 'image/png',
      });
      await setDoc(doc(db, image(ALICE, 'kept')), { size: 10, contentType: 'image/png' });
    });
  });

  afterAll(async () => {
    if (!env) return;
    await env.clearFirestore();
    await env.cleanup();
  });

  it('lets a user upload an image and a clip within the limits to their own folder, and read them back', async () => {
    const db = as(ALICE);
    const img = image(ALICE, 'shot.png');
    await assertSucceeds(put(db, img, LIMITS.PRODUCT_IMAGE_MAX_BYTES, 'image/png'));
    await assertSucceeds(put(db, image(ALICE), 1, 'image/jpeg'));
    await assertSucceeds(put(db, clip(ALICE), LIMITS.CLIP_MAX_BYTES, 'video/mp4'));
    await assertSucceeds(put(db, clip(ALICE, 'a.mov'), 5 * MIB, 'video/quicktime'));
    await assertSucceeds(put(db, clip(ALICE, 'a.webm'), 5 * MIB, 'video/webm'));
    await assertSucceeds(getDoc(doc(db, img)));
    await assertSucceeds(deleteDoc(doc(db, img)));
  });

  it('refuses uploads past the size limits, empty ones and other types', async () => {
    const db = as(ALICE);
    await assertFails(put(db, image(ALICE), LIMITS.PRODUCT_IMAGE_MAX_BYTES + 1, 'image/png'));
    await assertFails(put(db, clip(ALICE), LIMITS.CLIP_MAX_BYTES + 1, 'video/mp4'));
    await assertFails(put(db, image(ALICE), 0, 'image/png'));
    await assertFails(put(db, clip(ALICE), 0, 'video/mp4'));
    for (const type of ['image/svg+xml', 'image/gif', 'text/html', 'application/octet-stream', 'video/mp4']) {
      await assertFails(put(db, image(ALICE), 100, type));
    }
    for (const type of [
      'application/vnd.apple.mpegurl',
      'application/x-mpegURL',
      'text/plain',
      'image/png',
    ]) {
      await assertFails(put(db, clip(ALICE), 100, type));
    }
    // A name that is not a plain id (the callables would refuse it too).
    await assertFails(put(db, image(ALICE, '..png'), 100, 'image/png'));
  });

  it("refuses writing into another user's folder, outside the upload folders and signed out", async () => {
    await assertFails(put(as(BOB), image(ALICE), 100, 'image/png'));
    await assertFails(put(as(BOB), clip(ALICE), 100, 'video/mp4'));
    await assertFails(put(signedOut(), image(ALICE), 100, 'image/png'));
    await assertFails(put(as(ALICE), `uploads/${ALICE}/other/x`, 100, 'image/png'));
    await assertFails(put(as(ALICE), `elsewhere/${ALICE}/images/x`, 100, 'image/png'));
    // Not even under the user's own project: project files are written by the functions only.
    await assertFails(put(as(ALICE), `projects/${ALICE_PROJECT}/brand/logo.png`, 100, 'image/png'));
    await assertFails(put(as(ALICE), `projects/${ALICE_PROJECT}/brand/new.png`, 100, 'image/png'));
    // Nor over or away another's upload.
    await assertFails(deleteDoc(doc(as(BOB), image(ALICE, 'kept'))));
  });

  it("refuses reading another user's uploads and project files", async () => {
    await assertSucceeds(getDoc(doc(as(ALICE), image(ALICE, 'kept'))));
    await assertFails(getDoc(doc(as(BOB), image(ALICE, 'kept'))));
    await assertFails(getDoc(doc(signedOut(), image(ALICE, 'kept'))));
    await assertSucceeds(getDoc(doc(as(ALICE), `projects/${ALICE_PROJECT}/brand/logo.png`)));
    await assertFails(getDoc(doc(as(BOB), `projects/${ALICE_PROJECT}/brand/logo.png`)));
  });

  it('judges the real file: a rule loosened in storage.rules is caught', () => {
    // The translation keeps every condition: dropping the owner check from the file shows up in its output.
    const source = readFileSync(join(ROOT, 'storage.rules'), 'utf8');
    expect(asFirestoreRules(source)).toContain('request.auth.uid == uid');
    expect(asFirestoreRules(source)).toContain('request.resource.data.size <= 200 * 1024 * 1024');
    expect(() => asFirestoreRules(source.replace('service firebase.storage {', 'service x {'))).toThrow();
  });
});
