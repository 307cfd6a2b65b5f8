// Waiting on the project document the way a client watches it: a snapshot listener, not polling. Every
// snapshot is validated by the schema, so a transient invalid document fails the wait at once.
import { ProjectDocSchema, type ProjectDoc } from '@reelforge/schema';
import { projectDoc } from './admin.js';

/**
 * Resolves with the first snapshot of `projects/{projectId}` that satisfies `predicate` (which receives null
 * while the document does not exist); rejects after `timeoutMs` with the last state seen.
 */
export function waitForProject(
  projectId: string,
  predicate: (project: ProjectDoc | null) => boolean,
  timeoutMs = 30_000,
): Promise<ProjectDoc | null> {
  return new Promise((resolve, reject) => {
    let last: ProjectDoc | null | undefined;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      fn();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new Error(
              `waitForProject(${projectId}) timed out after ${timeoutMs} ms; last seen: ${describe(last)}`,
            ),
          ),
        ),
      timeoutMs,
    );
    const unsubscribe = projectDoc(projectId).onSnapshot(
      (snap) => {
        const parsed = snap.exists ? ProjectDocSchema.safeParse(snap.data()) : null;
        if (parsed && !parsed.success) {
          finish(() =>
            reject(new Error(`project ${projectId} does not match the schema: ${parsed.error.message}`)),
          );
          return;
        }
        last = parsed ? parsed.data : null;
        let ok: boolean;
        try {
          ok = predicate(last);
        } catch (err) {
          finish(() => reject(err as Error));
          return;
        }
        if (ok) {
          const value = last;
          finish(() => resolve(value));
        }
      },
      (err) => finish(() => reject(err)),
    );
  });
}

/** A short account of the state, for timeout messages: the jobs and what each scene has. */
function describe(project: ProjectDoc | null | undefined): string {
  if (project === undefined) return 'no snapshot yet';
  if (project === null) return 'document absent';
  const jobs = [project.active_job, ...project.scenes.map((s) => s.active_job)]
    .filter((j) => !!j)
    .map((j) => `${j.type}:${j.status}${j.error_message ? `(${j.error_message})` : ''}`);
  const scenes = project.scenes.map(
    (s) =>
      `#${s.scene_number}[${Object.keys(s.assets)
        .filter((k) => k.endsWith('_path'))
        .join(',')}]`,
  );
  return JSON.stringify({
    stats: { ...project.stats, last_activity: undefined },
    jobs,
    scenes,
    moods: project.moods.length,
  });
}
