// An in-memory project store for unit tests of `mutateProject`: the same conditional-write contract as the
// Firestore one (a write lands only on the version it read), with every write and lost race counted, and a
// hook that lets a test play another instance writing in between.
import { Timestamp } from 'firebase-admin/firestore';
import type { ProjectStore, StoredProject } from '../../../functions/src/projects/store.js';

export class MemoryProjectStore implements ProjectStore {
  readonly docs = new Map<string, StoredProject>();
  writes = 0;
  lostRaces = 0;
  private clock = 1;
  /** Called before each conditional write is checked: a test may write the document here (a rival). */
  beforeWrite: (projectId: string) => void = () => undefined;

  put(projectId: string, data: Record<string, unknown>): void {
    this.docs.set(projectId, { data, version: Timestamp.fromMillis(this.clock++) });
  }

  async read(projectId: string) {
    await Promise.resolve();
    const doc = this.docs.get(projectId);
    return doc ? { data: { ...doc.data }, version: doc.version } : undefined;
  }

  update(projectId: string, update: Record<string, unknown>, version: Timestamp) {
    return this.conditional(projectId, version, (doc) => this.put(projectId, { ...doc.data, ...update }));
  }

  delete(projectId: string, version: Timestamp) {
    return this.conditional(projectId, version, () => this.docs.delete(projectId));
  }

  /** A write that lands only if the document is still at `version`, as Firestore's precondition does. */
  private async conditional(projectId: string, version: Timestamp, write: (doc: StoredProject) => void) {
    await Promise.resolve();
    this.beforeWrite(projectId);
    const doc = this.docs.get(projectId);
    if (!doc || !doc.version.isEqual(version)) {
      this.lostRaces += 1;
      return false;
    }
    this.writes += 1;
    write(doc);
    return true;
  }
}
