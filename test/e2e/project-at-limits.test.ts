// Limits: a project at every limit of the schema still fits in one Firestore document (1 MiB, sized by
// Firestore's documented rules) with room to spare, and Firestore takes it. Measured twice: with the free
// texts in ASCII, and with every free text made of three-byte UTF-8 characters, which the schema's length
// limits (counted in UTF-16 units) allow just the same.
import { describe, expect, it } from 'vitest';
import { LIMITS, ProjectDocSchema, SceneAssetTypeSchema, takeDocPath } from '@reelforge/schema';
import { E2E_SKIP_REASON, projectDoc, readProjectOrFail } from './support/index.js';
import { maximalProject, maximalTake, withTakesAtLimit } from './hardening/limits.js';
import { FIRESTORE_MAX_DOCUMENT_BYTES, documentSize } from './hardening/size.js';

/** "With room to spare": a full project may use at most this share of the limit. */
const HEADROOM_SHARE = 0.6;

const sizeOf = (unit: string) => {
  const project = maximalProject(unit);
  return {
    project,
    bytes: documentSize(`projects/${project.id}`, project as unknown as Record<string, unknown>),
  };
};

const share = (bytes: number) =>
  `${bytes} bytes, ${((bytes / FIRESTORE_MAX_DOCUMENT_BYTES) * 100).toFixed(1)}% of 1 MiB`;

describe.skipIf(E2E_SKIP_REASON !== null)('a project at every schema limit', () => {
  it('with ASCII texts: fits with room to spare, and Firestore stores and returns it whole', async () => {
    const { project, bytes } = sizeOf('x');
    console.info(`project at every schema limit, ASCII texts: ${share(bytes)}`);
    expect(bytes).toBeLessThan(FIRESTORE_MAX_DOCUMENT_BYTES * HEADROOM_SHARE);
    await projectDoc(project.id).set(project);
    const stored = await readProjectOrFail(project.id);
    expect(ProjectDocSchema.parse(stored)).toEqual(project);
    await projectDoc(project.id).delete();
  });

  it('with three-byte characters in every free text: still fits (the limits count characters, not bytes)', async () => {
    const { project, bytes } = sizeOf('界');
    console.info(`project at every schema limit, three-byte texts: ${share(bytes)}`);
    const write = await projectDoc(project.id)
      .set(project)
      .then(
        () => 'stored',
        (err: Error) => `refused by Firestore: ${err.message}`,
      );
    await projectDoc(project.id).delete();
    expect({ bytes: share(bytes), write }).toEqual({
      bytes: expect.stringMatching(/^\d+ bytes/) as unknown,
      write: 'stored',
    });
    expect(bytes).toBeLessThan(FIRESTORE_MAX_DOCUMENT_BYTES);
  });
});

// Issue 26: 20 scenes x 5 assets x 10 takes. Each take is its own document beside the project (what they would
// weigh inside it is measured too); the project carries only each asset's chosen take, what it was made from
// and its pins, and each format's render the takes it used. The completing write of a scene job commits the
// whole project document, the new take and a dropped take's deletion in one batch.
describe.skipIf(E2E_SKIP_REASON !== null)('takes at their limits', () => {
  it('the project with every take at its limit stays under 60% of 1 MiB; each take and each write fit', async () => {
    for (const unit of ['x', '界']) {
      const before = withTakesAtLimit(maximalProject(unit), { takes: false });
      const project = withTakesAtLimit(maximalProject(unit));
      const path = `projects/${project.id}`;
      const doc = (p: typeof project) => documentSize(path, p as unknown as Record<string, unknown>);
      const take = maximalTake(unit, 'composition');
      const voice = maximalTake(unit, 'voiceover');
      const takeBytes = Math.max(
        documentSize(takeDocPath(project.id, take.take_id), take as unknown as Record<string, unknown>),
        documentSize(takeDocPath(project.id, voice.take_id), voice as unknown as Record<string, unknown>),
      );
      const takesPerProject =
        LIMITS.MAX_SCENES * SceneAssetTypeSchema.options.length * LIMITS.TAKES_PER_ASSET;
      // A delete carries the document's name only.
      const deleteBytes = takeDocPath(project.id, take.take_id).length;
      const completionWrite = doc(project) + takeBytes + deleteBytes;
      console.info(
        `takes at the limit, ${unit === 'x' ? 'ASCII' : 'three-byte'} texts: project ${share(doc(before))} before, ` +
          `${share(doc(project))} with takes; largest take ${takeBytes} bytes; ${takesPerProject} takes would be ` +
          `${takesPerProject * takeBytes} bytes inside the document; the completing write ${completionWrite} bytes`,
      );
      if (unit === 'x') expect(doc(project)).toBeLessThan(FIRESTORE_MAX_DOCUMENT_BYTES * HEADROOM_SHARE);
      expect(doc(project)).toBeLessThan(FIRESTORE_MAX_DOCUMENT_BYTES);
      // Inside the document they could never fit: why they live beside it.
      expect(takesPerProject * takeBytes).toBeGreaterThan(FIRESTORE_MAX_DOCUMENT_BYTES);
      // Firestore takes the project and a take as they stand, in one batch, as the completing write sends them.
      const batch = projectDoc(project.id).firestore.batch();
      batch.set(projectDoc(project.id), project);
      batch.set(projectDoc(project.id).collection('takes').doc(take.take_id), take);
      await batch.commit();
      expect(ProjectDocSchema.parse(await readProjectOrFail(project.id))).toEqual(project);
      await projectDoc(project.id).collection('takes').doc(take.take_id).delete();
      await projectDoc(project.id).delete();
    }
  });
});
