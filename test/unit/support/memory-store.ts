// An in-memory ProjectStore with Firestore's compare-and-set semantics (a write names the version it read
// and loses when the document moved on), and a hook to make another writer win at a chosen moment.
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { randomUUID } from 'node:crypto';
import type { ActiveJobDoc, ProjectDoc, SceneDoc } from '@reelforge/schema';
import type { ProjectStore, SideWrite } from '../../../functions/src/projects/store.js';
import { newProject } from '../../../functions/src/projects/new-project.js';
import { newScene, insertScene } from '../../../functions/src/projects/scenes.js';
import { newJob } from '../../../functions/src/jobs/state.js';
import { createProjectRequest, mood } from '../../e2e/support/fixtures.js';

/** Deep copy that keeps Timestamps (structuredClone would turn them into plain objects). */
function copy<T>(value: T): T {
  if (value instanceof Timestamp) return new Timestamp(value.seconds, value.nanoseconds) as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])) as T;
  }
  return value;
}

export class MemoryStore implements ProjectStore {
  private readonly docs = new Map<string, { data: Record<string, unknown>; version: number }>();
  private clock = 1;
  writes = 0;
  /** Other documents, by path, as the side writes committed with the project left them (takes). */
  readonly others = new Map<string, Record<string, unknown>>();
  /** Runs before each conditional write is compared; may change the stored document (another writer). */
  beforeWrite?: (projectId: string, update: Record<string, unknown>) => void | Promise<void>;

  put(project: ProjectDoc): void {
    this.docs.set(project.id, {
      data: copy(project) as unknown as Record<string, unknown>,
      version: this.clock++,
    });
  }

  get(projectId: string): ProjectDoc {
    const doc = this.docs.get(projectId);
    if (!doc) throw new Error(`no project ${projectId}`);
    return copy(doc.data) as unknown as ProjectDoc;
  }

  /** Another writer changes the document (bumping its version), as the user or another task would. */
  change(projectId: string, edit: (p: ProjectDoc) => void): void {
    const project = this.get(projectId);
    edit(project);
    this.put(project);
  }

  async read(projectId: string) {
    const doc = this.docs.get(projectId);
    return doc ? { data: copy(doc.data), version: Timestamp.fromMillis(doc.version) } : undefined;
  }

  async update(
    projectId: string,
    update: Record<string, unknown>,
    version: Timestamp,
    also: readonly SideWrite[] = [],
  ) {
    await this.beforeWrite?.(projectId, update);
    const doc = this.docs.get(projectId);
    if (!doc || doc.version !== version.toMillis()) return false;
    const data = { ...doc.data };
    for (const [key, value] of Object.entries(update)) {
      if (value instanceof FieldValue) delete data[key];
      else data[key] = copy(value);
    }
    this.docs.set(projectId, { data, version: this.clock++ });
    for (const write of also) {
      if (write.data === null) this.others.delete(write.path);
      else this.others.set(write.path, copy(write.data));
    }
    this.writes += 1;
    return true;
  }

  async delete(projectId: string, version: Timestamp) {
    const doc = this.docs.get(projectId);
    if (!doc || doc.version !== version.toMillis()) return false;
    this.docs.delete(projectId);
    this.writes += 1;
    return true;
  }
}

/** A valid project with `scenes` scenes and a selected mood, as the callables would have made it. */
export function sampleProject(scenes = 1): ProjectDoc {
  const project = newProject({
    id: `p-${randomUUID().slice(0, 8)}`,
    uid: 'user-1',
    request: createProjectRequest(),
    now: Timestamp.now(),
  });
  project.storyboard.selected_mood = mood();
  for (let i = 0; i < scenes; i++) {
    insertScene(
      project,
      newScene({ title: `Scene ${i + 1}`, description: 'A runner at dawn.', duration_seconds: 4 }),
    );
  }
  return project;
}

/** A job as a start would make it, with `fields` over it (a status, an attempt, a lease). */
export function jobOn(
  type: ActiveJobDoc['type'],
  fields: Partial<ActiveJobDoc> = {},
  scene?: SceneDoc,
): ActiveJobDoc {
  return { ...newJob(type, Timestamp.now(), scene?.id), ...fields };
}
