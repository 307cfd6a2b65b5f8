// "Generate all": completes the chosen scenes' assets, starting each scene's next job when the listener
// shows its previous one done. State lives in this tab; the jobs themselves live in the backend.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Project } from '@reelforge/schema';
import type { Actions } from './hooks.js';
import { useRf } from './hooks.js';
import { planAutoAssets } from './jobs.js';

export interface AutoAssets {
  /** Scene ids being completed. */
  running: ReadonlySet<string>;
  start(sceneIds: readonly string[]): void;
  stop(): void;
}

export function useAutoAssets(project: Project | undefined, actions: Actions): AutoAssets {
  const rf = useRf();
  const [auto, setAuto] = useState<ReadonlyMap<string, string | undefined>>(new Map());
  // Scenes whose job has been asked for but not yet seen on the listener.
  const pending = useRef(new Map<string, string | null>());

  useEffect(() => {
    if (!project || auto.size === 0) return;
    for (const [sceneId, jobId] of pending.current) {
      const scene = project.scenes.find((s) => s.id === sceneId);
      if (!scene || (jobId && scene.active_job?.job_id === jobId)) pending.current.delete(sceneId);
    }
    const plan = planAutoAssets(project, auto, new Set(pending.current.keys()));
    if (plan.finished.length) {
      setAuto((prev) => {
        const next = new Map(prev);
        for (const id of plan.finished) next.delete(id);
        return next;
      });
    }
    for (const { sceneId, type } of plan.start) {
      pending.current.set(sceneId, null);
      const number = project.scenes.find((s) => s.id === sceneId)?.scene_number;
      void actions
        .run(`Generate scene ${number} ${type}`, () =>
          rf.generateSceneAsset({ project_id: project.id, scene_id: sceneId, type }),
        )
        .then((res) => {
          if (res) {
            pending.current.set(sceneId, res.job_id);
            return;
          }
          // Refused (busy scene, missing input): stop completing this scene; the error is on the page.
          pending.current.delete(sceneId);
          setAuto((prev) => {
            const next = new Map(prev);
            next.delete(sceneId);
            return next;
          });
        });
    }
  }, [project, auto, actions, rf]);

  const start = useCallback(
    (sceneIds: readonly string[]) =>
      setAuto((prev) => {
        const next = new Map(prev);
        for (const id of sceneIds) {
          if (!next.has(id)) next.set(id, project?.scenes.find((s) => s.id === id)?.active_job?.job_id);
        }
        return next;
      }),
    [project],
  );
  const stop = useCallback(() => setAuto(new Map()), []);
  return { running: new Set(auto.keys()), start, stop };
}
