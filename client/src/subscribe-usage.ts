// Real-time view of the signed-in user's usage record, `usage/{uid}` (running jobs' slots, today's and this
// month's spend): a Firestore listener (the rules let only its owner read it), each snapshot parsed with the
// document schema and delivered in the wire shape. The limits themselves are configuration, not stored
// there: `getUsage` says them (and summarizes the record once); this listener keeps the figures current.
import { doc, onSnapshot, type Firestore } from 'firebase/firestore';
import { UsageDocSchema, toWire, type UsageDoc, type Wire } from '@reelforge/schema';
import { ReelforgeError, toReelforgeError } from './errors.js';
import type { Unsubscribe } from './subscribe.js';

/** `null` until the user's first job is admitted (the record is created then). */
export type UsageRecord = Wire<UsageDoc> | null;

export function subscribeUsage(
  db: Firestore,
  uid: string,
  onChange: (usage: UsageRecord) => void,
  onError?: (error: ReelforgeError) => void,
): Unsubscribe {
  const operation = 'subscribeUsage';
  let stopped = false;
  let unsubscribe: Unsubscribe = () => {};
  const fail = (error: ReelforgeError) => {
    // As subscribeProject: a refused listener is stopped by Firestore, a record the schema refuses means
    // the client is older than the data; neither is fixed by listening on.
    if (stopped) return;
    stopped = true;
    unsubscribe();
    onError?.(error);
  };
  unsubscribe = onSnapshot(
    doc(db, 'usage', uid),
    (snap) => {
      if (stopped) return;
      if (!snap.exists()) return onChange(null);
      const parsed = UsageDocSchema.safeParse(snap.data());
      if (!parsed.success) {
        return fail(
          new ReelforgeError(
            'invalid-response',
            `usage of ${uid} does not match its schema: ${parsed.error.message}`,
            undefined,
            operation,
          ),
        );
      }
      onChange(toWire(parsed.data));
    },
    (err) => fail(toReelforgeError(err, operation)),
  );
  return () => {
    stopped = true;
    unsubscribe();
  };
}
