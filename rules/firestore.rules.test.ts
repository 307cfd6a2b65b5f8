// firestore.rules against Google's Firestore emulator (started by scripts/emulators.ts --only firestore).
// The rules file on disk is loaded into the emulator here, so an edit to it is what these cases judge.
// It works in its own emulator project (demo-reelforge-rules), with fresh uids and ids per run: the e2e
// suites share this emulator, clear demo-reelforge's data and may run at the same time.
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
import {
  Timestamp,
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  limit,
  orderBy,
  query,
  setDoc,
  setLogLevel,
  updateDoc,
  where,
  writeBatch,
  type Firestore,
} from 'firebase/firestore';
import { HOST, PORTS, PROJECT_ID, ROOT } from '../scripts/harness/env.js';
import { skipUnlessEmulators } from '../scripts/harness/guard.js';

// Every denied write is also logged by the SDK's gRPC stream; the assertions already say what happened.
setLogLevel('silent');

const run = randomUUID().slice(0, 8);
const RULES_PROJECT_ID = `${PROJECT_ID}-rules`;
const ALICE = `alice-${run}`;
const BOB = `bob-${run}`;
const MALLORY = `mallory-${run}`;
const ALICE_P1 = `p-alice-1-${run}`;
const ALICE_P2 = `p-alice-2-${run}`;
const BOB_P1 = `p-bob-1-${run}`;
const ALICE_JOB = `j-alice-${run}`;
const BOB_JOB = `j-bob-${run}`;
const ALICE_TAKE = `t-alice-${run}`;

/** A stored project as the functions write it; only user_id matters to the rules. */
function projectDoc(id: string, userId: string, createdAtSeconds: number) {
  const at = Timestamp.fromMillis(createdAtSeconds * 1000);
  return {
    id,
    name: `Project ${id}`,
    user_id: userId,
    created_at: at,
    updated_at: at,
    settings: { aspect_ratio: '9:16', target_duration_seconds: 30 },
    scenes: [],
    moods: [],
    assets: {},
    stats: { total_scenes: 0, completed_scenes: 0, active_jobs: 0, last_activity: at },
  };
}

describe.skipIf(skipUnlessEmulators('Firestore security rules'))('firestore.rules', () => {
  let env: RulesTestEnvironment;
  const as = (uid: string): Firestore => env.authenticatedContext(uid).firestore() as unknown as Firestore;
  const signedOut = (): Firestore => env.unauthenticatedContext().firestore() as unknown as Firestore;
  const projects = (db: Firestore) => collection(db, 'projects');

  beforeAll(async () => {
    env = await initializeTestEnvironment({
      projectId: RULES_PROJECT_ID,
      firestore: {
        host: HOST,
        port: PORTS.firestore,
        rules: readFileSync(join(ROOT, 'firestore.rules'), 'utf8'),
      },
    });
    await env.withSecurityRulesDisabled(async (ctx) => {
      const db = ctx.firestore() as unknown as Firestore;
      await setDoc(doc(db, 'projects', ALICE_P1), projectDoc(ALICE_P1, ALICE, 1_700_000_000));
      await setDoc(doc(db, 'projects', ALICE_P2), projectDoc(ALICE_P2, ALICE, 1_700_000_100));
      await setDoc(doc(db, 'projects', BOB_P1), projectDoc(BOB_P1, BOB, 1_700_000_050));
      await setDoc(doc(db, 'projects', ALICE_P1, 'private', 'x'), { user_id: ALICE });
      // A take carries no owner of its own: the rule reads the project's.
      await setDoc(doc(db, 'projects', ALICE_P1, 'takes', ALICE_TAKE), {
        take_id: ALICE_TAKE,
        scene_id: 's1',
      });
      await setDoc(doc(db, 'users', ALICE), { user_id: ALICE });
      await setDoc(doc(db, 'usage', ALICE), { user_id: ALICE, active_jobs: 0 });
      await setDoc(doc(db, 'ledger', ALICE_JOB), { user_id: ALICE, project_id: ALICE_P1, actual_usd: 0.01 });
      await setDoc(doc(db, 'ledger', BOB_JOB), { user_id: BOB, project_id: BOB_P1, actual_usd: 0.02 });
    });
  });

  afterAll(async () => {
    if (!env) return;
    await env.withSecurityRulesDisabled(async (ctx) => {
      const db = ctx.firestore() as unknown as Firestore;
      for (const id of [ALICE_P1, ALICE_P2, BOB_P1]) await deleteDoc(doc(db, 'projects', id));
      await deleteDoc(doc(db, 'projects', ALICE_P1, 'private', 'x'));
      await deleteDoc(doc(db, 'projects', ALICE_P1, 'takes', ALICE_TAKE));
      await deleteDoc(doc(db, 'users', ALICE));
      await deleteDoc(doc(db, 'usage', ALICE));
      for (const id of [ALICE_JOB, BOB_JOB]) await deleteDoc(doc(db, 'ledger', id));
    });
    await env.cleanup();
  });

  describe('get', () => {
    it('lets the owner read their project', async () => {
      const snap = await assertSucceeds(getDoc(doc(as(ALICE), 'projects', ALICE_P1)));
      expect(snap.data()?.user_id).toBe(ALICE);
    });

    it("refuses another signed-in user the owner's project", async () => {
      await assertFails(getDoc(doc(as(BOB), 'projects', ALICE_P1)));
    });

    it('refuses a signed-out client', async () => {
      await assertFails(getDoc(doc(signedOut(), 'projects', ALICE_P1)));
    });

    it('ignores custom claims: a non-owner claiming admin/owner is still refused', async () => {
      const db = env.authenticatedContext(MALLORY, { admin: true, owner: ALICE, role: 'owner' }).firestore();
      await assertFails(getDoc(doc(db as unknown as Firestore, 'projects', ALICE_P1)));
    });

    it('refuses a project id that does not exist (no existence oracle)', async () => {
      await assertFails(getDoc(doc(as(ALICE), 'projects', `missing-${run}`)));
    });
  });

  describe('list', () => {
    it("lets the owner list with a user_id == uid filter, and returns only the owner's projects", async () => {
      const snap = await assertSucceeds(getDocs(query(projects(as(ALICE)), where('user_id', '==', ALICE))));
      expect(snap.docs.map((d) => d.id).sort()).toEqual([ALICE_P1, ALICE_P2].sort());
    });

    it('lets the owner page newest first (the listProjects query)', async () => {
      const q = query(
        projects(as(ALICE)),
        where('user_id', '==', ALICE),
        orderBy('created_at', 'desc'),
        limit(1),
      );
      const snap = await assertSucceeds(getDocs(q));
      expect(snap.docs.map((d) => d.id)).toEqual([ALICE_P2]);
    });

    it('refuses a list without the user_id filter', async () => {
      await assertFails(getDocs(projects(as(ALICE))));
    });

    it("refuses a query naming someone else's user_id (forged owner)", async () => {
      await assertFails(getDocs(query(projects(as(MALLORY)), where('user_id', '==', ALICE))));
    });

    it('refuses a query mixing own and foreign user_ids', async () => {
      await assertFails(getDocs(query(projects(as(ALICE)), where('user_id', 'in', [ALICE, BOB]))));
    });

    it('refuses a signed-out list, even with a filter', async () => {
      await assertFails(getDocs(query(projects(signedOut()), where('user_id', '==', ALICE))));
    });

    it('refuses a collection-group query on projects', async () => {
      await assertFails(
        getDocs(query(collectionGroup(as(ALICE), 'projects'), where('user_id', '==', ALICE))),
      );
    });
  });

  describe('writes (all go through the callables)', () => {
    it('refuses creating a project, even one owned by the caller', async () => {
      await assertFails(setDoc(doc(as(ALICE), 'projects', `new-${run}`), projectDoc(`new-${run}`, ALICE, 1)));
    });

    it("refuses updating the owner's active_job", async () => {
      await assertFails(
        updateDoc(doc(as(ALICE), 'projects', ALICE_P1), {
          active_job: { job_id: 'j', type: 'render', status: 'completed', progress: 100 },
        }),
      );
    });

    it("refuses taking over another user's project by rewriting user_id", async () => {
      await assertFails(updateDoc(doc(as(MALLORY), 'projects', BOB_P1), { user_id: MALLORY }));
    });

    it('refuses a merge write on the own project', async () => {
      await assertFails(setDoc(doc(as(ALICE), 'projects', ALICE_P1), { name: 'renamed' }, { merge: true }));
    });

    it('refuses deleting the own project', async () => {
      await assertFails(deleteDoc(doc(as(ALICE), 'projects', ALICE_P1)));
    });

    it('refuses a batch touching the own project', async () => {
      const db = as(ALICE);
      const batch = writeBatch(db);
      batch.update(doc(db, 'projects', ALICE_P1), { name: 'batched' });
      await assertFails(batch.commit());
    });
  });

  describe('usage and ledger', () => {
    it('lets the owner read their usage record, nobody else, and nobody write it', async () => {
      await assertSucceeds(getDoc(doc(as(ALICE), 'usage', ALICE)));
      await assertFails(getDoc(doc(as(BOB), 'usage', ALICE)));
      await assertFails(getDoc(doc(signedOut(), 'usage', ALICE)));
      await assertFails(getDocs(collection(as(ALICE), 'usage')));
      await assertFails(updateDoc(doc(as(ALICE), 'usage', ALICE), { active_jobs: 0 }));
    });

    it('lets the owner read and list their ledger entries, never write or read foreign ones', async () => {
      await assertSucceeds(getDoc(doc(as(ALICE), 'ledger', ALICE_JOB)));
      const mine = await assertSucceeds(
        getDocs(query(collection(as(ALICE), 'ledger'), where('user_id', '==', ALICE))),
      );
      expect(mine.docs.map((d) => d.id)).toEqual([ALICE_JOB]);
      await assertFails(getDoc(doc(as(ALICE), 'ledger', BOB_JOB)));
      await assertFails(getDocs(collection(as(ALICE), 'ledger')));
      await assertFails(setDoc(doc(as(ALICE), 'ledger', ALICE_JOB), { user_id: ALICE, actual_usd: 0 }));
    });
  });

  describe('takes (projects/{id}/takes)', () => {
    const takes = (db: Firestore, project: string) => collection(db, 'projects', project, 'takes');

    it("lets the owner read and list her project's takes", async () => {
      const snap = await assertSucceeds(getDoc(doc(takes(as(ALICE), ALICE_P1), ALICE_TAKE)));
      expect(snap.data()?.take_id).toBe(ALICE_TAKE);
      const listed = await assertSucceeds(getDocs(takes(as(ALICE), ALICE_P1)));
      expect(listed.docs.map((d) => d.id)).toEqual([ALICE_TAKE]);
    });

    it('refuses another user and a signed-out client', async () => {
      await assertFails(getDoc(doc(takes(as(BOB), ALICE_P1), ALICE_TAKE)));
      await assertFails(getDocs(takes(as(BOB), ALICE_P1)));
      await assertFails(getDoc(doc(takes(signedOut(), ALICE_P1), ALICE_TAKE)));
    });

    it('refuses every write, the owner included', async () => {
      await assertFails(setDoc(doc(takes(as(ALICE), ALICE_P1), 'new'), { take_id: 'new' }));
      await assertFails(updateDoc(doc(takes(as(ALICE), ALICE_P1), ALICE_TAKE), { cost_usd: 0 }));
      await assertFails(deleteDoc(doc(takes(as(ALICE), ALICE_P1), ALICE_TAKE)));
    });
  });

  describe('other paths', () => {
    it('refuses writing to another collection', async () => {
      await assertFails(setDoc(doc(as(ALICE), 'users', ALICE), { user_id: ALICE }));
    });

    it('refuses reading another collection, even a document named after the caller', async () => {
      await assertFails(getDoc(doc(as(ALICE), 'users', ALICE)));
    });

    it("refuses reading a subcollection under the owner's project", async () => {
      await assertFails(getDoc(doc(as(ALICE), 'projects', ALICE_P1, 'private', 'x')));
    });
  });
});
