// An in-memory ProjectStore for fast runner tests: conditional writes on a version counter, FieldValue
// deletes honoured, and every read a fresh copy (timestamps are immutable and kept as they are).
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import type { ProjectDoc } from '@reelforge/schema';
import type { ProjectStore, StoredProject } from '../../../functions/src/projects/store.js';

function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])) as T;
  }
  return value;
}

export class MemoryStore implements ProjectStore {
  private docs = new Map<string, { data: Record<string, unknown>; version: number }>();
  writes = 0;

  put(project: ProjectDoc): void {
    this.docs.set(project.id, { data: copy(project) as unknown as Record<string, unknown>, version: 1 });
  }

  get(projectId: string): ProjectDoc {
    const doc = this.docs.get(projectId);
    if (!doc) throw new Error(`no project ${projectId}`);
    return copy(doc.data) as unknown as ProjectDoc;
  }

  async read(projectId: string): Promise<StoredProject | undefined> {
    const doc = this.docs.get(projectId);
    return doc ? { data: copy(doc.data), version: Timestamp.fromMillis(doc.version) } : undefined;
  }

  async update(projectId: string, update: Record<string, unknown>, version: Timestamp): Promise<boolean> {
    const doc = this.docs.get(projectId);
    if (!doc || doc.version !== version.toMillis()) return false;
    const data = { ...doc.data };
    for (const [key, value] of Object.entries(update)) {
      if (value instanceof FieldValue) delete data[key];
      else data[key] = copy(value);
    }
    this.docs.set(projectId, { data, version: doc.version + 1 });
    this.writes += 1;
    return true;
  }

  async delete(projectId: string, version: Timestamp): Promise<boolean> {
    const doc = this.docs.get(projectId);
    if (!doc || doc.version !== version.toMillis()) return false;
    this.docs.delete(projectId);
    return true;
  }
}
