// Real-time view of the signed-in user's usage record, `usage/{uid}` (running jobs' slots, today's and this
// month's spend): a Firestore listener (the rules let only its owner read it), each snapshot parsed with the
// document schema and delivered in the wire shape. The limits themselves are configuration, not stored
// there: `getUsage` says them (and summarizes the record once); this listener keeps the figures current.
import type { Firestore } from 'firebase/firestore';
import { UsageDocSchema, toWire, type UsageDoc, type Wire } from '@reelforge/schema';
import type { ReelforgeError } from './errors.js';
import { subscribeDoc, type Unsubscribe } from './subscribe.js';

/** `null` until the user's first job is admitted (the record is created then). */
export type UsageRecord = Wire<UsageDoc> | null;

export function subscribeUsage(
  db: Firestore,
  uid: string,
  onChange: (usage: UsageRecord) => void,
  onError?: (error: ReelforgeError) => void,
): Unsubscribe {
  return subscribeDoc(
    db,
    ['usage', uid],
    {
      operation: 'subscribeUsage',
      what: `usage of ${uid}`,
      schema: UsageDocSchema,
      onData: (data) => onChange(toWire(data)),
      onMissing: () => {
        onChange(null);
        return undefined;
      },
    },
    onError,
  );
}
