// Real-time view of a project's takes, `projects/{project_id}/takes` (every kept take of every scene asset,
// schema/src/takes.ts): a Firestore query listener (the rules let the project's owner read them), each take
// parsed with the document schema and delivered in the wire shape, newest first. The scene itself says which
// take is chosen and which are pinned; this lists what there is to choose from.
import { collection, onSnapshot, type Firestore } from 'firebase/firestore';
import { TAKES_COLLECTION, TakeDocSchema, toWire, type Take } from '@reelforge/schema';
import { toReelforgeError, type ReelforgeError } from './errors.js';
import type { Unsubscribe } from './subscribe.js';

export function subscribeTakes(
  db: Firestore,
  projectId: string,
  onChange: (takes: Take[]) => void,
  onError?: (error: ReelforgeError) => void,
): Unsubscribe {
  return onSnapshot(
    collection(db, 'projects', projectId, TAKES_COLLECTION),
    (snap) => {
      const takes = snap.docs.flatMap((d) => {
        const parsed = TakeDocSchema.safeParse(d.data());
        return parsed.success ? [toWire(parsed.data) as Take] : [];
      });
      takes.sort((a, b) => b.created_at.localeCompare(a.created_at));
      onChange(takes);
    },
    (err) => onError?.(toReelforgeError(err, 'subscribeTakes')),
  );
}
