// A scene asset's takes (issue 26): every kept keyframe, clip, voiceover, music or composition of the scene,
// newest first, each with its picture or player, its cost and its date, and choose, pin and delete. The list
// is the project's takes listener (live across tabs); which one is chosen and which are pinned is the scene's
// own record, from the project's listener. An asset whose chosen take was made from a take no longer chosen
// (a clip animated from another keyframe) is marked out of date.
import {
  outdatedAssets,
  productReferencePath,
  type Project,
  type Scene,
  type SceneAssetType,
  type Take,
} from '@reelforge/schema';
import { useAction, useAssetUrl, useRf } from '../lib/hooks.js';
import { ActionError } from './ActionError.js';

export function TakeStrips({ project, scene, takes }: { project: Project; scene: Scene; takes: Take[] }) {
  const n = scene.scene_number;
  const outdated = outdatedAssets(scene, project);
  const assets = [...new Set(takes.map((t) => t.asset))];
  if (assets.length === 0) return null;
  return (
    <details className="takes">
      <summary>Scene {n} takes</summary>
      {assets.map((asset) => (
        <section key={asset} aria-label={`Scene ${n} ${asset} takes`}>
          <h4>
            {asset} takes
            {outdated.includes(asset) && (
              <span className="outdated" role="status">
                {' '}
                · out of date: {outdatedReason(project, scene, asset)}
              </span>
            )}
          </h4>
          <ol className="take-strip">
            {takes
              .filter((t) => t.asset === asset)
              .map((take, i, all) => (
                <TakeItem
                  key={take.take_id}
                  project={project}
                  scene={scene}
                  take={take}
                  number={all.length - i}
                />
              ))}
          </ol>
        </section>
      ))}
    </details>
  );
}

function TakeItem({
  project,
  scene,
  take,
  number,
}: {
  project: Project;
  scene: Scene;
  take: Take;
  number: number;
}) {
  const rf = useRf();
  const n = scene.scene_number;
  const asset: SceneAssetType = take.asset;
  const name = `scene ${n} ${asset} take ${number}`;
  const record = scene.takes?.[asset];
  const chosen = record?.chosen === take.take_id;
  const pinned = (record?.pinned ?? []).includes(take.take_id);
  const choose = useAction(`Choose ${name}`);
  const pin = useAction(`${pinned ? 'Unpin' : 'Pin'} ${name}`);
  const remove = useAction(`Delete ${name}`);
  const ref = { project_id: project.id, scene_id: scene.id, asset, take_id: take.take_id };
  const busy = choose.pending || pin.pending || remove.pending;
  return (
    <li
      className={chosen ? 'take chosen' : 'take'}
      aria-label={name}
      aria-current={chosen ? 'true' : undefined}
    >
      <TakeMedia projectId={project.id} take={take} name={name} />
      <p className="muted">
        ${take.cost_usd.toFixed(4)} · {new Date(take.created_at).toLocaleString()}
        {chosen ? ' · chosen' : ''}
        {pinned ? ' · pinned' : ''}
      </p>
      <div className="row wrap">
        <button
          type="button"
          disabled={chosen || busy}
          onClick={() => void choose.run(() => rf.chooseTake(ref))}
        >
          Choose {name}
        </button>
        <button
          type="button"
          aria-pressed={pinned}
          disabled={busy}
          onClick={() => void pin.run(() => rf.pinTake({ ...ref, pinned: !pinned }))}
        >
          {pinned ? 'Unpin' : 'Pin'} {name}
        </button>
        <button
          type="button"
          className="danger"
          disabled={chosen || busy}
          title={chosen ? 'The chosen take cannot be deleted: choose another first.' : undefined}
          onClick={() => void remove.run(() => rf.deleteTake(ref))}
        >
          Delete {name}
        </button>
      </div>
      <ActionError action={choose} />
      <ActionError action={pin} />
      <ActionError action={remove} />
    </li>
  );
}

/** The take's picture, clip or sound, or its text for a composition. */
function TakeMedia({ projectId, take, name }: { projectId: string; take: Take; name: string }) {
  const path =
    take.files.thumbnail_path ?? take.files.video_path ?? take.files.audio_path ?? take.files.voiceover_path;
  const url = useAssetUrl(projectId, take.asset === 'composition' ? undefined : path);
  if (take.asset === 'composition') return <p className="take-text">{take.composition?.description ?? ''}</p>;
  if (!url) return <div className="thumb empty" aria-hidden="true" />;
  if (take.asset === 'image') return <img className="thumb" src={url} alt={name} />;
  if (take.asset === 'video') return <video className="thumb" src={url} controls muted aria-label={name} />;
  return <audio src={url} controls aria-label={name} />;
}

/** Why the chosen take of `asset` is out of date, in the page's words. */
function outdatedReason(project: Project, scene: Scene, asset: SceneAssetType): string {
  const used = scene.takes?.image?.product_image_path;
  const wanted = productReferencePath(project, scene);
  if (asset === 'image' && used !== wanted) {
    if (!used) return 'made without the product image';
    return wanted ? 'made with an earlier product image' : 'made with the product image';
  }
  return `made from another ${asset === 'video' ? 'keyframe' : 'composition'}`;
}
