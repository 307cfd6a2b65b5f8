// selectMood: one of the project's generated moods becomes the storyboard's visual direction.
import { toWire } from '@reelforge/schema';
import { mutateProject } from '../projects/store.js';
import { callable } from './callable.js';
import { NotFound } from '../errors.js';

export const selectMood = callable('selectMood', async ({ project_id, mood_id }, { uid }) => {
  const { project } = await mutateProject(project_id, { uid }, (p) => {
    const mood = p.moods.find((m) => m.id === mood_id);
    if (!mood) throw new NotFound('Mood');
    // A copy, so the selection keeps its content even when a later mood generation replaces `moods`.
    p.storyboard.selected_mood = structuredClone(mood);
  });
  return { project: toWire(project) };
});
