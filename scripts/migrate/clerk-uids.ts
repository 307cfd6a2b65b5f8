// Step 2: Clerk users signed in before uids were namespaced. Their Firebase uid was the bare Clerk user id;
// now `exchangeClerkToken` signs them in as `clerk:<id>`, a different user who owns nothing. For each such
// user this moves everything keyed by the uid to the new one: the `user_id` of their projects, their usage
// record (merged into any the new uid already has), and the `user_id` of their ledger entries. Storage
// needs nothing: every object lives under `projects/{project_id}/` and the Storage rules read the owner
// from the project document, so the files follow the project's `user_id`.
import { FieldPath, Timestamp, type Query } from 'firebase-admin/firestore';
import type { UserRecord } from 'firebase-admin/auth';
import { UsageDocSchema } from '@reelforge/schema';
import { projectsCol } from '../../functions/src/projects/store.js';
import { usageRef } from '../../functions/src/projects/usage/record.js';
import { LEDGER } from '../../functions/src/projects/usage/settle.js';
import { firebaseAuth as auth, firestore as db } from './admin.js';
import { clerkUid, isLegacyClerkUser } from './legacy-clerk.js';
import { mergeUsage, moveProjectSlots } from './usage-merge.js';

/** Documents per page and per batched write (a batch takes at most 500). */
const PAGE_SIZE = 300;
/** Auth's listUsers page (its maximum). */
const USERS_PAGE = 1000;

export interface ClerkResult {
  /** Legacy Clerk users found in Firebase Auth (already migrated ones included: a run again finds them). */
  users: number;
  /** Old Auth users disabled (and their refresh tokens revoked) by this run. */
  disabled: number;
  projects: number;
  /** Usage records merged into the new uid's (and deleted). */
  usage: number;
  ledger: number;
  errors: string[];
}

export async function legacyClerkUsers(): Promise<UserRecord[]> {
  const found: UserRecord[] = [];
  let pageToken: string | undefined;
  do {
    const page = await auth().listUsers(USERS_PAGE, pageToken);
    found.push(...page.users.filter(isLegacyClerkUser));
    pageToken = page.pageToken;
  } while (pageToken);
  return found;
}

/** Calls `each` on every document of `query`, a page at a time in document-id order. */
async function eachPage(query: Query, each: (ids: string[]) => Promise<void>): Promise<void> {
  let after: string | undefined;
  for (;;) {
    let page = query.orderBy(FieldPath.documentId()).limit(PAGE_SIZE);
    if (after !== undefined) page = page.startAfter(after);
    const snap = await page.get();
    if (snap.size > 0) await each(snap.docs.map((d) => d.id));
    if (snap.size < PAGE_SIZE) return;
    after = snap.docs[snap.docs.length - 1]!.id;
  }
}

/**
 * One project and the slots of its running jobs, moved in one transaction. Moved apart (the projects, then
 * the whole usage record), a sweep in between found slots whose projects no longer carried the old uid, took
 * them for starts that never reached a project and freed them without their cost. The transaction's reads
 * lock the project and both records, so a function writing any of them meanwhile waits or retries on the
 * result: its write is never undone. `updated_at` is left alone: the move is no activity of the user's.
 */
async function moveProject(id: string, sub: string, uid: string, dryRun: boolean): Promise<boolean> {
  const ref = projectsCol().doc(id);
  if (dryRun) return (await ref.get()).get('user_id') === sub;
  return db().runTransaction(async (tx) => {
    const [project, legacy, current] = await tx.getAll(ref, usageRef(sub), usageRef(uid));
    if (!project?.exists || project.get('user_id') !== sub) return false;
    tx.update(ref, { user_id: uid });
    if (legacy?.exists) {
      const moved = moveProjectSlots(
        UsageDocSchema.parse(legacy.data()),
        current?.exists ? UsageDocSchema.parse(current.data()) : null,
        id,
        uid,
        Timestamp.now(),
      );
      if (moved) {
        tx.set(usageRef(sub), moved.legacy);
        tx.set(usageRef(uid), moved.current);
      }
    }
    return true;
  });
}

export async function moveProjects(sub: string, uid: string, dryRun: boolean, result: ClerkResult) {
  await eachPage(projectsCol().where('user_id', '==', sub).select(), async (ids) => {
    for (const id of ids) if (await moveProject(id, sub, uid, dryRun)) result.projects += 1;
  });
}

/**
 * Both records in one transaction: a job settling or starting on either meanwhile makes it retry on the
 * fresh records, so no slot and no spend is lost or counted twice.
 */
export async function mergeUsageRecord(sub: string, uid: string, dryRun: boolean): Promise<boolean> {
  const from = usageRef(sub);
  const to = usageRef(uid);
  if (dryRun) return (await from.get()).exists;
  return db().runTransaction(async (tx) => {
    const [legacy, current] = await tx.getAll(from, to);
    if (!legacy?.exists) return false;
    const merged = mergeUsage(
      UsageDocSchema.parse(legacy.data()),
      current?.exists ? UsageDocSchema.parse(current.data()) : null,
      uid,
      Timestamp.now(),
    );
    tx.set(to, merged);
    tx.delete(from);
    return true;
  });
}

async function moveLedger(sub: string, uid: string, dryRun: boolean, result: ClerkResult) {
  const ledger = db().collection(LEDGER);
  await eachPage(ledger.where('user_id', '==', sub).select(), async (ids) => {
    result.ledger += ids.length;
    if (dryRun) return;
    // Ledger entries are written once when their job ends and never change: no race to guard against.
    const batch = db().batch();
    for (const id of ids) batch.update(ledger.doc(id), { user_id: uid });
    await batch.commit();
  });
}

export async function migrateClerkUsers(dryRun: boolean): Promise<ClerkResult> {
  const result: ClerkResult = {
    users: 0,
    disabled: 0,
    projects: 0,
    usage: 0,
    ledger: 0,
    errors: [],
  };
  for (const user of await legacyClerkUsers()) {
    result.users += 1;
    const sub = user.uid;
    const uid = clerkUid(sub);
    try {
      // Disabled and signed out first, so nothing new is written under the old uid while its data moves. A
      // session the old sign-in opened would otherwise stay signed in as `<sub>`, a user who owns nothing
      // after the move: it would show an empty studio and could create projects, start jobs the move already
      // passed and spend a second daily budget, splitting the person's data again. Its refresh tokens are
      // revoked and every callable verifies ID tokens with revocation checking (functions/src/auth/session.ts),
      // so its next call is refused at once (not within the hour its last ID token lives), and the client
      // signs in with Clerk again, as `clerk:<sub>`. Disabled rather than deleted: the record stays as
      // evidence of the move, and a run again finds it.
      if (!user.disabled) {
        if (!dryRun) {
          await auth().updateUser(sub, { disabled: true });
          await auth().revokeRefreshTokens(sub);
        }
        result.disabled += 1;
      }
      // Projects (each with its jobs' slots) before the rest of the usage record and the ledger: the functions
      // settle a job's slot and ledger entry under its project's user_id, so once the projects carry the new
      // uid, every later settle lands there too.
      await moveProjects(sub, uid, dryRun, result);
      if (await mergeUsageRecord(sub, uid, dryRun)) result.usage += 1;
      await moveLedger(sub, uid, dryRun, result);
    } catch (err) {
      result.errors.push(`Clerk user ${sub}: ${(err as Error).message}`);
    }
  }
  return result;
}
