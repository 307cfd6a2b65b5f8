// Rendering again from a recorded render (`renderProject({ from_render })`): each format's pack records the
// takes it was made from (schema/src/takes.ts, `renderedTakes`), and choosing exactly those again on every
// scene gives the render the same media, so the same settings give the same frames. One write: the takes are
// read inside it, so one deleted meanwhile is seen as gone when the change runs again.
import { renderedTakes, sceneName, type AspectRatio, type TakeDoc } from '@reelforge/schema';
import { PreconditionFailed } from '../errors.js';
import { mutateProjectReleasingFiles } from './files.js';
import { assertSceneIdle } from './scenes.js';
import { NO_WRITE } from './store.js';
import { chooseTakeOn, readTake } from './takes.js';

export async function chooseRenderedTakes(
  projectId: string,
  uid: string,
  format: AspectRatio,
): Promise<void> {
  await mutateProjectReleasingFiles(projectId, { uid }, async (p, { now }) => {
    const recorded = p.assets.renders?.[format]?.takes;
    if (!recorded) {
      throw new PreconditionFailed(`No render of ${format} records its takes; render it first.`);
    }
    const order = [...p.scenes].sort((a, b) => a.scene_number - b.scene_number);
    if (order.map((s) => s.id).join() !== recorded.map((r) => r.scene_id).join()) {
      throw new PreconditionFailed(
        `The storyboard's scenes changed since the ${format} render (added, deleted or moved); it cannot be made again from its takes.`,
      );
    }
    const current = renderedTakes(p.scenes);
    let changed = false;
    for (const [i, scene] of order.entries()) {
      const want = recorded[i]!;
      for (const asset of ['video', 'audio', 'voiceover'] as const) {
        const takeId = want[asset];
        if (!takeId || current[i]![asset] === takeId) continue;
        assertSceneIdle(scene, 'render it again from its earlier takes');
        const take: TakeDoc | undefined = await readTake(projectId, takeId);
        if (!take || take.scene_id !== scene.id) {
          throw new PreconditionFailed(
            `The ${asset} take of ${sceneName(scene)} that the ${format} render used was deleted since.`,
          );
        }
        chooseTakeOn(scene, take, now);
        changed = true;
      }
    }
    return changed ? undefined : NO_WRITE;
  });
}
