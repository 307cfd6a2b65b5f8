// "Generate all": completes the chosen scenes' assets. Each round starts, for every idle scene, its next
// missing asset, with one `generateAll` call per asset type (scenes at the same step start together, in one
// project write, admitted or refused whole).
//
// Why this is still a loop in the tab and not one call: `generateAll` starts ONE step (one asset type) for
// many scenes, and a scene holds one job at a time (a second start on a busy scene is refused), while its
// steps depend on each other (the video animates the keyframe). No callable starts a scene's whole chain,
// so the next step can only start when the listener shows the previous one done. State lives in this tab;
// the jobs themselves live in the backend.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Project } from '@reelforge/schema';
import { useAction, useRf, type Action } from './hooks.js';
import { byAssetType, planAutoAssets } from './jobs.js';

export interface AutoAssets {
  /** Scene ids being completed. */
  running: ReadonlySet<string>;
  start(sceneIds: readonly string[]): void;
  stop(): void;
  /** The `generateAll` calls it makes: their last refusal, named by step and scenes, is shown on the page. */
  action: Action;
}

export function useAutoAssets(project: Project | undefined): AutoAssets {
  const rf = useRf();
  const action = useAction("Generate all scenes' assets");
  const { run } = action;
  const [auto, setAuto] = useState<ReadonlyMap<string, string | undefined>>(new Map());
  // Scenes whose job has been asked for but not yet seen on the listener.
  const pending = useRef(new Map<string, string | null>());

  const drop = useCallback(
    (sceneIds: readonly string[]) =>
      setAuto((prev) => {
        const next = new Map(prev);
        for (const id of sceneIds) next.delete(id);
        return next;
      }),
    [],
  );

  useEffect(() => {
    if (!project || auto.size === 0) return;
    for (const [sceneId, jobId] of pending.current) {
      const scene = project.scenes.find((s) => s.id === sceneId);
      if (!scene || (jobId && scene.active_job?.job_id === jobId)) pending.current.delete(sceneId);
    }
    const plan = planAutoAssets(project, auto, new Set(pending.current.keys()));
    if (plan.finished.length) drop(plan.finished);
    for (const [type, sceneIds] of byAssetType(plan.start)) {
      for (const id of sceneIds) pending.current.set(id, null);
      const numbers = sceneIds.map((id) => project.scenes.find((s) => s.id === id)?.scene_number);
      void run(
        () => rf.generateAll({ project_id: project.id, type, scene_ids: sceneIds }),
        `Generate ${type} for scene${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')}`,
      ).then((res) => {
        if (res) {
          for (const { scene_id, job_id } of res.jobs) pending.current.set(scene_id, job_id);
          return;
        }
        // Refused whole (a limit, the budget, a busy scene): stop completing these scenes; the backend's
        // reason is on the page.
        for (const id of sceneIds) pending.current.delete(id);
        drop(sceneIds);
      });
    }
  }, [project, auto, run, rf, drop]);

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
  return { running: new Set(auto.keys()), start, stop, action };
}
