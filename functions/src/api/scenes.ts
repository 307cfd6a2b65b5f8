// Scene callables: add, update, delete, reorder. Each is one `mutateProject` write (an optimistic
// compare-and-set) on the project document; scene
// numbers, stats and updated_at are made consistent by the helpers and `mutateProject` on every write.
import { LIMITS, toWire } from '@reelforge/schema';
import {
  assertSceneIdle,
  clearSceneAssets,
  findScene,
  insertScene,
  newScene,
  renumber,
} from '../projects/scenes.js';
import { mutateProjectReleasingFiles } from '../projects/files.js';
import { deleteSceneTakes } from '../projects/takes.js';
import { mutateProject, NO_WRITE } from '../projects/store.js';
import { nudgeProduction } from '../jobs/production/advance.js';
import { callable } from './callable.js';
import { LimitReached } from '../errors.js';
import { invalidArgument } from './errors.js';

export const addScene = callable('addScene', async ({ project_id, position, ...fields }, { uid }) => {
  const created = newScene(fields);
  const { project } = await mutateProject(project_id, { uid }, (p) => {
    if (p.scenes.length >= LIMITS.MAX_SCENES) {
      throw new LimitReached(
        `A project has at most ${LIMITS.MAX_SCENES} scenes; delete one before adding another.`,
      );
    }
    insertScene(p, structuredClone(created), position);
  });
  nudgeProduction(project_id, project);
  return { scene: toWire(findScene(project, created.id)) };
});

export const updateScene = callable(
  'updateScene',
  async (
    { project_id, scene_id, title, description, duration_seconds, voiceover_text, shows_product },
    { uid },
  ) => {
    // Cleared assets are deleted from Storage once the edit has committed.
    const { project } = await mutateProjectReleasingFiles(project_id, { uid }, (p) => {
      const s = findScene(p, scene_id);
      const textChanged =
        (title !== undefined && title !== s.title) ||
        (description !== undefined && description !== s.description);
      const durationChanged = duration_seconds !== undefined && duration_seconds !== s.duration_seconds;
      const voiceoverChanged = voiceover_text !== undefined && voiceover_text !== (s.voiceover_text ?? '');
      const productChanged = shows_product !== undefined && shows_product !== s.shows_product;
      // Same values again: nothing to do, and nothing to refuse even if the scene is busy.
      if (!textChanged && !durationChanged && !voiceoverChanged && !productChanged) return NO_WRITE;
      const what = textChanged
        ? 'text'
        : durationChanged
          ? 'duration'
          : voiceoverChanged
            ? 'voiceover line'
            : 'product setting';
      // A keyframe job picks its model and reference from `shows_product` again on each delivery.
      assertSceneIdle(s, `edit its ${what}`);
      // Nothing is cleared: the keyframe is kept and shows as out of date (outdatedAssets), since it was
      // made with, or without, the product image.
      if (shows_product !== undefined) s.shows_product = shows_product;
      if (title !== undefined) s.title = title;
      if (description !== undefined) s.description = description;
      if (duration_seconds !== undefined) s.duration_seconds = duration_seconds;
      if (textChanged) clearSceneAssets(s, 'text');
      else if (durationChanged) clearSceneAssets(s, 'duration');
      if (voiceoverChanged) {
        // An empty line makes the scene silent.
        if (voiceover_text) s.voiceover_text = voiceover_text;
        else delete s.voiceover_text;
        clearSceneAssets(s, 'voiceover');
      }
    });
    // A running production remakes what the edit cleared.
    nudgeProduction(project_id, project);
    return { scene: toWire(findScene(project, scene_id)) };
  },
);

export const deleteScene = callable('deleteScene', async ({ project_id, scene_id }, { uid }) => {
  // The scene's files go with it, once the deletion has committed.
  const { project } = await mutateProjectReleasingFiles(project_id, { uid }, (p) => {
    assertSceneIdle(findScene(p, scene_id), 'delete it');
    p.scenes = p.scenes.filter((s) => s.id !== scene_id);
    renumber(p.scenes);
  });
  // Its takes go with it (documents, then files); should this die first, the reconciliation drops them.
  await deleteSceneTakes(project_id, scene_id);
  // The deleted scene leaves a running production's plan (its render may be all that was waiting for it).
  nudgeProduction(project_id, project);
  return { project: toWire(project) };
});

export const reorderScenes = callable('reorderScenes', async ({ project_id, scene_ids }, { uid }) => {
  const { project } = await mutateProject(project_id, { uid }, (p) => {
    const ids = new Set(p.scenes.map((s) => s.id));
    const unknown = scene_ids.filter((id) => !ids.has(id));
    const missing = p.scenes.filter((s) => !scene_ids.includes(s.id)).map((s) => s.id);
    if (unknown.length > 0 || missing.length > 0) {
      const parts = [
        unknown.length > 0 && `not scenes of this project: ${unknown.join(', ')}`,
        missing.length > 0 && `missing: ${missing.join(', ')}`,
      ].filter(Boolean);
      throw invalidArgument([
        {
          path: 'scene_ids',
          message: `must list every scene of the project exactly once (${parts.join('; ')})`,
        },
      ]);
    }
    if (scene_ids.every((id, i) => p.scenes[i]?.id === id)) return NO_WRITE;
    // Busy scenes may move: their jobs find them by id, and the number is only their position.
    const position = new Map(scene_ids.map((id, i) => [id, i]));
    p.scenes.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
    renumber(p.scenes);
  });
  return { project: toWire(project) };
});
