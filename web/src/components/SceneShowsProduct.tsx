// Whether the product is on screen in a scene (the storyboard decides it first): with the project's product
// image, the scene's keyframe is painted with that image as its reference. Changing it keeps the keyframe,
// which the take strip then marks out of date.
import type { Project, Scene } from '@reelforge/schema';
import { useAction, useRf } from '../lib/hooks.js';
import { ActionError } from './ActionError.js';

export function SceneShowsProduct({
  project,
  scene,
  busy,
}: {
  project: Project;
  scene: Scene;
  busy: boolean;
}) {
  const rf = useRf();
  const n = scene.scene_number;
  const saving = useAction(`Scene ${n} shows the product`);
  return (
    <div className="scene-product">
      <label>
        <input
          type="checkbox"
          checked={scene.shows_product}
          disabled={busy || saving.pending}
          onChange={(e) => {
            const shows = e.currentTarget.checked;
            void saving.run(() =>
              rf.updateScene({ project_id: project.id, scene_id: scene.id, shows_product: shows }),
            );
          }}
        />{' '}
        Scene {n} shows the product
        {scene.shows_product && !project.assets.product_image_path && (
          <span className="muted"> (add a product image to paint it from the product itself)</span>
        )}
      </label>
      <ActionError action={saving} />
    </div>
  );
}
