// Hostile input: a property test sends generated and mutated payloads to every callable in CALLABLES, as a
// signed-in attacker and as nobody. Every answer is either a proper HttpsError with a code other than
// `internal` (invalid-argument with `[{ path, message }]` details), or a success whose body validates
// against the callable's response schema (a generated payload can be valid for the attacker's own project).
// Raw HTTP bodies the SDK would never send get a 400, not a 500. Throughout, nothing of the victim's project
// changes: document and files.
import { FirebaseError } from 'firebase/app';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLABLE_NAMES, CALLABLES, type CallableName } from '@reelforge/schema';
import { FUNCTIONS_BASE_URL } from '../../scripts/harness/env.js';
import { E2E_SKIP_REASON, fileUser, TestClient, createProjectRequest, sceneInput } from './support/index.js';
import { payloadFor, templates, type IdPool } from './hardening/payloads.js';
import { createVictim, snapshotProject, type ProjectSnapshot, type VictimIds } from './hardening/victim.js';
import { setUserLimits } from './production/support.js';

/** Payloads per callable; sized so that the whole file stays under ~30 s here. */
const RUNS = 120;
const NEVER = ['internal', 'unknown'];

/**
 * The payload as it travels: JSON. fast-check builds some objects without a prototype, which the Firebase
 * SDK's encoder cannot walk; the wire format has no such thing (nor undefined, NaN or -0) anyway.
 */
function asJson(payload: unknown): unknown {
  const text = JSON.stringify(payload);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

/** What went wrong with one answer, or undefined when it is acceptable. */
function judge(
  name: CallableName,
  payload: unknown,
  outcome: { ok: true; data: unknown } | { ok: false; err: unknown },
): string | undefined {
  const shown = JSON.stringify(payload)?.slice(0, 300);
  if (outcome.ok) {
    const parsed = CALLABLES[name].response.safeParse(outcome.data);
    return parsed.success
      ? undefined
      : `${name} answered ${shown} with a body its response schema refuses: ${parsed.error.message}`;
  }
  const { err } = outcome;
  if (!(err instanceof FirebaseError)) return `${name} threw a non-HttpsError for ${shown}: ${String(err)}`;
  const code = err.code.replace(/^functions\//, '');
  if (NEVER.includes(code)) return `${name} answered ${code} ("${err.message}") to ${shown}`;
  if (code === 'invalid-argument') {
    const details = (err as FirebaseError & { details?: unknown }).details;
    const wellFormed =
      Array.isArray(details) &&
      details.length > 0 &&
      details.every(
        (d: { path?: unknown; message?: unknown }) =>
          typeof d.path === 'string' && typeof d.message === 'string',
      );
    if (!wellFormed)
      return `${name} gave invalid-argument without [{ path, message }] details for ${shown}: ${JSON.stringify(details)}`;
  }
  return undefined;
}

describe.skipIf(E2E_SKIP_REASON !== null)('hostile input to every callable', () => {
  const alice = fileUser('alice');
  const mallory = fileUser('mallory');
  let nobody: TestClient;
  let victim: VictimIds;
  let before: ProjectSnapshot;
  let pool: IdPool;
  const answered = new Map<string, number>();

  beforeAll(async () => {
    nobody = TestClient.anonymous();
    victim = await createVictim(alice);
    // Payloads valid for her own project start real jobs (a production too): one at a time, so what they
    // run meanwhile stays small beside the other files.
    await setUserLimits(mallory.uid, { max_active_jobs: 1 });
    const { project } = await mallory.call('createProject', createProjectRequest({ name: 'Mallory’s own' }));
    const { scene } = await mallory.call('addScene', { project_id: project.id, ...sceneInput(1) });
    pool = {
      projects: [victim.project, project.id, 'no-such-project'],
      scenes: [...victim.scenes, scene.id, 'no-such-scene'],
      moods: [victim.mood, 'no-such-mood'],
      jobs: [victim.runningJob, victim.failedJob, victim.completedJob, 'no-such-job'],
    };
    before = await snapshotProject(victim.project);
  });
  afterAll(async () => {
    console.info(`hostile payloads answered: ${[...answered].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  });

  // deleteProject last, so the attacker's own project serves the other callables first.
  const names = [...CALLABLE_NAMES.filter((n) => n !== 'deleteProject'), 'deleteProject' as const];

  it.concurrent.each(names)('%s: every answer is a proper HttpsError or a valid response', async (name) => {
    const arbitrary = fc.tuple(payloadFor(templates(pool)[name]), fc.integer({ min: 0, max: 4 }));
    await fc.assert(
      fc.asyncProperty(arbitrary, async ([generated, who]) => {
        const payload = asJson(generated);
        // One call in five is made by nobody at all.
        const caller = who === 0 ? nobody : mallory;
        const outcome = await caller.callRaw(name, payload).then(
          (data) => ({ ok: true as const, data }),
          (err: unknown) => ({ ok: false as const, err }),
        );
        const key = outcome.ok
          ? 'ok'
          : outcome.err instanceof FirebaseError
            ? outcome.err.code.replace('functions/', '')
            : 'thrown';
        answered.set(key, (answered.get(key) ?? 0) + 1);
        const problem = judge(name, payload, outcome);
        if (problem) throw new Error(problem);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });

  // Found by the property above: ids Firestore reserves (`__.*__`) pass the id pattern, and then Firestore
  // refuses the path (after ~7 s here) and the callable answers `internal`. Checked for every callable that
  // takes an id, all at once, so the answer does not depend on what the generator happens to draw.
  it('an id Firestore reserves (__proto__) is refused properly by every callable that takes ids', async () => {
    const answers = await Promise.all(
      CALLABLE_NAMES.map(async (name) => {
        const sample = fc.sample(templates(pool)[name], { numRuns: 1, seed: 7 })[0]!;
        const ids = Object.keys(sample).filter((key) => key.endsWith('_id'));
        if (ids.length === 0) return undefined;
        const payload = asJson({ ...sample, ...Object.fromEntries(ids.map((key) => [key, '__proto__'])) });
        const outcome = await mallory.callRaw(name, payload).then(
          (data) => ({ ok: true as const, data }),
          (err: unknown) => ({ ok: false as const, err }),
        );
        return judge(name, payload, outcome);
      }),
    );
    expect(answers.filter(Boolean)).toEqual([]);
  });

  it('raw request bodies the SDK never sends get 400, not 500', async () => {
    const token = await mallory.auth.currentUser!.getIdToken();
    const bodies = [
      '',
      'not json',
      '[]',
      '{}',
      '{"data":',
      JSON.stringify({ data: { project_id: victim.project }, extra: true }),
      `{"data":{"__proto__":{"user_id":"${mallory.uid}"},"project_id":"${victim.project}"}}`,
      `{"data":{"constructor":{"prototype":{"polluted":true}},"project_id":"${victim.project}"}}`,
    ];
    const problems: string[] = [];
    for (const name of CALLABLE_NAMES) {
      for (const body of bodies) {
        const res = await fetch(`${FUNCTIONS_BASE_URL}/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body,
        });
        const text = await res.text();
        if (res.status >= 500 || /INTERNAL/.test(text))
          problems.push(`${name} ${body.slice(0, 60)} -> ${res.status} ${text.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('nothing of the victim’s project changed: document and files', async () => {
    expect(await snapshotProject(victim.project)).toEqual(before);
  });
});
