// Take callables: choose, pin and delete one take of a scene asset (projects/takes.ts). Each is one
// `mutateProject` write on the project document, which orders them with the job completions that add and
// drop takes: the take is read inside the change, so a take deleted by a write that came first is seen as
// gone when the change runs again on the fresh document.
import { takeDocPath, toWire, type SceneAssetType, type TakeDoc } from '@reelforge/schema';
import { NotFound } from '../errors.js';
import { mutateProjectReleasingFiles } from '../projects/files.js';
import { assertSceneIdle, findScene } from '../projects/scenes.js';
import { mutateProject, NO_WRITE } from '../projects/store.js';
import { chooseTakeOn, deleteTakeOn, pinTakeOn, readTake } from '../projects/takes.js';
import { deleteFiles } from '../storage/files.js';
import { callable } from './callable.js';

/** The take, if it is one of this scene's asset's; not-found otherwise. */
async function takeOf(
  projectId: string,
  sceneId: string,
  asset: SceneAssetType,
  takeId: string,
): Promise<TakeDoc> {
  const take = await readTake(projectId, takeId);
  if (!take || take.scene_id !== sceneId || take.asset !== asset) throw new NotFound('Take');
  return take;
}

export const chooseTake = callable(
  'chooseTake',
  async ({ project_id, scene_id, asset, take_id }, { uid }) => {
    // An asset from before takes is named by no take: it is deleted once another take replaces it.
    const { project } = await mutateProjectReleasingFiles(project_id, { uid }, async (p, { now }) => {
      const scene = findScene(p, scene_id);
      const take = await takeOf(project_id, scene_id, asset, take_id);
      if (scene.takes?.[asset]?.chosen === take_id) return NO_WRITE;
      assertSceneIdle(scene, 'choose another take');
      chooseTakeOn(scene, take, now);
    });
    return { scene: toWire(findScene(project, scene_id)) };
  },
);

export const pinTake = callable(
  'pinTake',
  async ({ project_id, scene_id, asset, take_id, pinned }, { uid }) => {
    const { project } = await mutateProject(project_id, { uid }, async (p) => {
      const scene = findScene(p, scene_id);
      const take = await takeOf(project_id, scene_id, asset, take_id);
      if ((scene.takes?.[asset]?.pinned ?? []).includes(take_id) === pinned) return NO_WRITE;
      pinTakeOn(scene, take, pinned);
      return true;
    });
    return { scene: toWire(findScene(project, scene_id)) };
  },
);

export const deleteTake = callable(
  'deleteTake',
  async ({ project_id, scene_id, asset, take_id }, { uid }) => {
    // The take's document goes in the same commit as the scene's record of it; then exactly its files.
    const outcome = await mutateProject(project_id, { uid }, async (p, { also }) => {
      const scene = findScene(p, scene_id);
      const take = await takeOf(project_id, scene_id, asset, take_id);
      deleteTakeOn(scene, take);
      also.delete(takeDocPath(project_id, take_id));
      return take.paths;
    });
    if (outcome.written) await deleteFiles(outcome.value);
    return { scene: toWire(findScene(outcome.project, scene_id)) };
  },
);
