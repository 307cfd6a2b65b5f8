// storage.rules cannot be evaluated on these machines (the Storage rules runtime needs Java 21 and a
// download; see OFFLINE.md). What can be checked: Google's rules compiler inside the Firestore emulator
// parses any rules file, so a grammar error (400) or a misspelt method, function or variable (a warning)
// is caught here. The only warnings allowed are the ones every Storage-only name gets in a Firestore
// context (`firestore.get/exists`). This is a compile check, not an authorisation test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIRESTORE_HOST, PROJECT_ID, ROOT } from '../scripts/harness/env.js';
import { skipUnlessEmulators } from '../scripts/harness/guard.js';

// A project of its own, so compiling here never replaces the rules demo-reelforge runs with.
const CHECK_PROJECT_ID = `${PROJECT_ID}-storage-rules-check`;

/** Warnings the Firestore compiler gives for the cross-service calls that only Storage rules have. */
const STORAGE_ONLY_WARNINGS = new Set([
  'Invalid variable name: firestore.',
  'Invalid function name: exists.',
  'Incorrect number of arguments supplied to function: get.',
]);

interface CompileResult {
  status: number;
  issues: { severity: string; description: string; line: number }[];
}

async function compile(content: string): Promise<CompileResult> {
  const res = await fetch(`http://${FIRESTORE_HOST}/emulator/v1/projects/${CHECK_PROJECT_ID}:securityRules`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules: { files: [{ name: 'storage.rules', content }] } }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    issues?: { severity: string; description: string; sourcePosition: { line: number } }[];
  };
  return {
    status: res.status,
    issues: (body.issues ?? []).map((i) => ({
      severity: i.severity,
      description: i.description,
      line: i.sourcePosition.line,
    })),
  };
}

const unexpected = (r: CompileResult) => r.issues.filter((i) => !STORAGE_ONLY_WARNINGS.has(i.description));

describe.skipIf(skipUnlessEmulators('storage.rules compile check'))('storage.rules (compile check)', () => {
  const source = readFileSync(join(ROOT, 'storage.rules'), 'utf8');

  it('compiles, with no issue beyond the Storage-only names', async () => {
    const result = await compile(source);
    expect(result.status).toBe(200);
    expect(unexpected(result)).toEqual([]);
  });

  it('would catch a grammar error', async () => {
    expect((await compile(source.replace('match /b/{bucket}/o {', 'match /b/{bucket}/o'))).status).toBe(400);
  });

  it('would catch a misspelt method or function', async () => {
    expect(unexpected(await compile(source.replace('allow read:', 'allow raed:')))).not.toEqual([]);
    expect(unexpected(await compile(source.replace('firestore.get(', 'firestore.gett(')))).not.toEqual([]);
  });
});
