// Follows `projects/{id}` with a real-time listener (no polling) and lets the journey wait for its production to
// end. The document is parsed with the schema, so a client sees exactly the shapes the backend promises.
import { doc, onSnapshot, type Firestore, type Unsubscribe } from 'firebase/firestore';
import {
  ProjectDocSchema,
  isActiveProductionStatus,
  type ProductionDoc,
  type ProjectDoc,
} from '@reelforge/schema';

/** The production ended without its ad (failed or canceled): the demo exits non-zero naming what blocked it. */
export class ProductionFailedError extends Error {
  override name = 'ProductionFailedError';
  constructor(readonly production: ProductionDoc) {
    const blocked = production.blocked.map((b) => b.step).join(', ');
    super(`the production ${production.status}${blocked ? ` (blocked: ${blocked})` : ''}`);
  }
}

interface Waiter {
  check(project: ProjectDoc): boolean;
  fail(err: unknown): void;
}

export class ProjectWatcher {
  private latest: ProjectDoc | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(project: ProjectDoc) => void>();
  private unsubscribe: Unsubscribe | undefined;
  private broken: unknown;

  private constructor() {}

  /** Resolves with the watcher once the first snapshot has arrived. */
  static start(db: Firestore, projectId: string): Promise<ProjectWatcher> {
    const watcher = new ProjectWatcher();
    return new Promise((resolve, reject) => {
      let first = true;
      watcher.unsubscribe = onSnapshot(
        doc(db, 'projects', projectId),
        (snap) => {
          if (!snap.exists()) return;
          const parsed = ProjectDocSchema.safeParse(snap.data());
          if (!parsed.success) {
            watcher.breakWith(
              new Error(`the project document does not match its schema: ${parsed.error.message}`),
            );
            if (first) reject(watcher.broken as Error);
            return;
          }
          watcher.latest = parsed.data;
          for (const listener of watcher.listeners) listener(parsed.data);
          for (const waiter of [...watcher.waiters])
            if (waiter.check(parsed.data)) watcher.waiters.delete(waiter);
          if (first) {
            first = false;
            resolve(watcher);
          }
        },
        (err) => {
          // The rules refuse a read once the document is gone, so a deleted project ends up here too.
          const lost = new Error(
            `lost the listener on projects/${projectId} (deleted, or no longer readable): ${err.message}`,
          );
          watcher.breakWith(lost);
          if (first) reject(lost);
        },
      );
    });
  }

  private breakWith(err: unknown) {
    this.broken = err;
    for (const waiter of this.waiters) waiter.fail(err);
    this.waiters.clear();
  }

  get project(): ProjectDoc {
    if (!this.latest) throw new Error('no snapshot yet');
    return this.latest;
  }

  onChange(listener: (project: ProjectDoc) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first value `test` returns other than undefined, on the current or a later snapshot. */
  waitFor<T>(test: (project: ProjectDoc) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.broken !== undefined) {
        reject(this.broken as Error);
        return;
      }
      const waiter: Waiter = {
        check: (project) => {
          try {
            const value = test(project);
            if (value === undefined) return false;
            resolve(value);
          } catch (err) {
            reject(err as Error);
          }
          return true;
        },
        fail: reject,
      };
      if (this.latest && waiter.check(this.latest)) return;
      this.waiters.add(waiter);
    });
  }

  /**
   * Waits until the production ends: resolves with the project once it has completed; throws
   * ProductionFailedError when it failed or was canceled.
   */
  waitForProduction(productionId: string): Promise<ProjectDoc> {
    return this.waitFor((project) => {
      const production = project.production;
      if (production?.production_id !== productionId || isActiveProductionStatus(production.status))
        return undefined;
      if (production.status === 'completed') return project;
      throw new ProductionFailedError(production);
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.breakWith(new Error('stopped watching'));
  }
}
