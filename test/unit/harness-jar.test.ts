// The harness's Firestore jar lookup: FIRESTORE_EMULATOR_JAR, then the machine image, then the vendored copy
// beside the project, which is used only when it matches its recorded sha256.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findFirestoreJar, type JarSources } from '../../scripts/harness/jar.js';

const JAR = 'cloud-firestore-emulator.jar';
const CONTENT = 'not really a jar, but bytes with a checksum';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('Firestore emulator jar lookup', () => {
  let dir: string;
  let vendorDir: string;
  let sources: JarSources;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jar-lookup-'));
    vendorDir = join(dir, 'vendor');
    sources = {
      explicit: join(dir, 'nowhere', JAR),
      imagePaths: [join(dir, 'image-a', JAR), join(dir, 'image-b', JAR)],
      vendorDir,
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function vendor(content = CONTENT, recorded = sha(CONTENT)) {
    mkdirSync(vendorDir, { recursive: true });
    writeFileSync(join(vendorDir, JAR), content);
    writeFileSync(join(vendorDir, `${JAR}.sha256`), `${recorded}  ${JAR}\n`);
  }

  it('with FIRESTORE_EMULATOR_JAR pointing nowhere and no image jar, chooses the vendored copy and says why', async () => {
    vendor();
    const found = await findFirestoreJar(sources);
    expect(found).toMatchObject({ jar: join(vendorDir, JAR), source: 'vendored copy' });
    expect(found.warnings).toEqual([
      `FIRESTORE_EMULATOR_JAR=${sources.explicit} does not exist; looking further`,
    ]);
  });

  it('refuses a vendored copy whose sha256 does not match, naming both sums', async () => {
    vendor('tampered bytes');
    const found = await findFirestoreJar(sources);
    expect(found.jar).toBeUndefined();
    expect(found.warnings.at(-1)).toMatch(
      new RegExp(`refused: sha256 ${sha('tampered bytes')} does not match`),
    );
    expect(found.warnings.at(-1)).toContain(sha(CONTENT));
    if (found.jar === undefined)
      expect(found.lookedIn).toEqual([sources.explicit, ...sources.imagePaths, join(vendorDir, JAR)]);
  });

  it('refuses a vendored copy without a recorded sha256', async () => {
    vendor();
    rmSync(join(vendorDir, `${JAR}.sha256`));
    const found = await findFirestoreJar(sources);
    expect(found.jar).toBeUndefined();
    expect(found.warnings.at(-1)).toMatch(/refused: no sha256/);
  });

  it('prefers the machine image to the vendored copy, and an existing FIRESTORE_EMULATOR_JAR to both', async () => {
    vendor();
    mkdirSync(join(dir, 'image-b'));
    writeFileSync(sources.imagePaths[1]!, 'image jar');
    expect(await findFirestoreJar(sources)).toMatchObject({
      jar: sources.imagePaths[1],
      source: 'machine image',
    });

    mkdirSync(join(dir, 'nowhere'));
    writeFileSync(sources.explicit!, 'explicit jar');
    expect(await findFirestoreJar(sources)).toEqual({
      jar: sources.explicit,
      source: 'FIRESTORE_EMULATOR_JAR',
      warnings: [],
    });
  });

  it('finds nothing when no source has a jar, listing every place it looked', async () => {
    const found = await findFirestoreJar({ ...sources, explicit: undefined });
    expect(found).toEqual({
      jar: undefined,
      lookedIn: [...sources.imagePaths, join(vendorDir, JAR)],
      warnings: [],
    });
  });
});
