// Limits: a project at every limit of the schema still fits in one Firestore document (1 MiB, sized by
// Firestore's documented rules) with room to spare, and Firestore takes it. Measured twice: with the free
// texts in ASCII, and with every free text made of three-byte UTF-8 characters, which the schema's length
// limits (counted in UTF-16 units) allow just the same.
import { describe, expect, it } from 'vitest';
import { ProjectDocSchema } from '@reelforge/schema';
import { E2E_SKIP_REASON, projectDoc, readProjectOrFail } from './support/index.js';
import { maximalProject } from './hardening/limits.js';
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
