// Watches project documents the way a client does, with a snapshot listener, and records what it saw: every
// distinct write (update time), and the first sighting of each job status with the delay between the write
// that made it (the job's `last_update`) and the moment the listener got it.
import { ProjectDocSchema, jobsOf, type JobStatus, type ProjectDoc } from '@reelforge/schema';
import { projectDoc } from '../../test/e2e/support/index.js';

export interface StatusSighting {
  jobId: string;
  status: JobStatus;
  /** Wall-clock ms when the listener delivered it. */
  seenAt: number;
  /** The job's `last_update` in that snapshot: when the write that changed it ran. */
  changedAt: number;
  startedAt: number;
}

export interface Write {
  seenAt: number;
  /** The document's update time of this write (ms): when Firestore committed it. */
  updatedAt: number;
  project: ProjectDoc;
}

export class ProjectWatch {
  /** Every distinct write the listener delivered, in order. */
  readonly writes: Write[] = [];
  readonly sightings: StatusSighting[] = [];
  latest: ProjectDoc | null = null;
  error: Error | undefined;
  private readonly seen = new Set<string>();
  private readonly updateTimes = new Set<string>();
  private readonly waiters = new Set<() => void>();
  private unsubscribe: () => void = () => undefined;

  private constructor(readonly projectId: string) {}

  /** Starts listening; resolves once the first snapshot has arrived. */
  static async start(projectId: string): Promise<ProjectWatch> {
    const watch = new ProjectWatch(projectId);
    await new Promise<void>((resolve, reject) => {
      let first = true;
      watch.unsubscribe = projectDoc(projectId).onSnapshot(
        (snap) => {
          watch.onSnapshot(snap.exists ? snap.data() : undefined, snap.updateTime);
          if (first) {
            first = false;
            resolve();
          }
        },
        (err) => {
          watch.error = err;
          reject(err);
          watch.notify();
        },
      );
    });
    return watch;
  }

  private onSnapshot(data: unknown, updateTime: { seconds: number; nanoseconds: number } | undefined) {
    const seenAt = Date.now();
    if (data === undefined) return;
    const parsed = ProjectDocSchema.safeParse(data);
    if (!parsed.success) {
      this.error = new Error(`project ${this.projectId} does not match the schema: ${parsed.error.message}`);
      this.notify();
      return;
    }
    const project = parsed.data;
    this.latest = project;
    const key = updateTime ? `${updateTime.seconds}.${updateTime.nanoseconds}` : String(seenAt);
    if (!this.updateTimes.has(key)) {
      this.updateTimes.add(key);
      const updatedAt = updateTime ? updateTime.seconds * 1000 + updateTime.nanoseconds / 1e6 : seenAt;
      this.writes.push({ seenAt, updatedAt, project });
    }
    for (const job of jobsOf(project)) {
      const id = `${job.job_id}/${job.status}`;
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      this.sightings.push({
        jobId: job.job_id,
        status: job.status,
        seenAt,
        changedAt: job.last_update.toMillis(),
        startedAt: job.started_at.toMillis(),
      });
    }
    this.notify();
  }

  private notify() {
    for (const waiter of this.waiters) waiter();
  }

  /** Resolves with the first state (already seen or to come) that satisfies `predicate`. */
  waitFor(
    predicate: (project: ProjectDoc) => boolean,
    timeoutMs: number,
    what = 'condition',
  ): Promise<ProjectDoc> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.error) return done(() => reject(this.error));
        if (this.latest && predicate(this.latest)) {
          const value = this.latest;
          done(() => resolve(value));
        }
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${this.projectId}`)),
          ),
        timeoutMs,
      );
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        fn();
      };
      this.waiters.add(check);
      check();
    });
  }

  stop() {
    this.unsubscribe();
  }
}
