// One scene: its media and assets, its text (title, description, seconds) and voiceover line, and its
// actions. Most of a scene's controls are needed now and then (one asset alone, a regenerated text, moving
// or deleting it: "Make the ad" makes every missing asset), so the card shows the edits and keeps the rest
// behind a disclosure button ("More actions for scene N"), each control keeping its own name.
import { useEffect, useState, type FormEvent } from 'react';
import {
  LIMITS,
  SceneAssetTypeSchema,
  SCENE_ASSET_FIELD,
  type Project,
  type Scene,
  type SceneAssetType,
  type Take,
} from '@reelforge/schema';
import { useAction, useAssetUrl, useRf } from '../lib/hooks.js';
import { isUnfinished } from '@reelforge/schema';
import { jobLabel } from '../lib/jobs.js';
import { ActionError } from './ActionError.js';
import { JobBar } from './JobBar.js';
import { SceneClipUpload } from './SceneClipUpload.js';
import { SceneShowsProduct } from './SceneShowsProduct.js';
import { SceneVoiceover } from './SceneVoiceover.js';
import { TakeStrips } from './TakeStrip.js';

export function SceneCard({
  project,
  scene,
  takes,
  onMove,
  first,
  last,
}: {
  project: Project;
  scene: Scene;
  /** The scene's kept takes, newest first (TakeStrips). */
  takes: Take[];
  onMove: (delta: number) => void;
  first: boolean;
  last: boolean;
}) {
  const n = scene.scene_number;
  const busy = isUnfinished(scene.active_job);
  const [open, setOpen] = useState(false);
  const thumbnail = useAssetUrl(project.id, scene.assets.thumbnail_path);
  // Its own footage when it has some: that is what the ad shows.
  const video = useAssetUrl(project.id, scene.assets.clip_path ?? scene.assets.video_path);
  const moreId = `scene-${scene.id}-more`;

  return (
    <li className="card scene" aria-label={`Scene ${n}`}>
      <div className="scene-media">
        {video ? (
          <video src={video} controls muted poster={thumbnail} aria-label={`Scene ${n} clip`} />
        ) : thumbnail ? (
          <img src={thumbnail} alt={`Scene ${n} keyframe`} />
        ) : (
          <div className="img-placeholder" aria-hidden="true" />
        )}
        <ul className="assets" aria-label={`Scene ${n} assets`}>
          {SceneAssetTypeSchema.options.map((type) => (
            <li key={type} className={scene.assets[SCENE_ASSET_FIELD[type]] ? 'have' : 'missing'}>
              {type} {scene.assets[SCENE_ASSET_FIELD[type]] ? '✓' : '–'}
            </li>
          ))}
        </ul>
      </div>
      <div className="scene-body">
        <h3>
          Scene {n}: {scene.title}
        </h3>
        <SceneTextForm project={project} scene={scene} busy={busy} />
        <SceneVoiceover project={project} scene={scene} busy={busy} />
        <SceneClipUpload project={project} scene={scene} busy={busy} />
        <SceneShowsProduct project={project} scene={scene} busy={busy} />
        {scene.composition && (
          <details>
            <summary>Scene {n} composition</summary>
            <p>{scene.composition.description}</p>
            <p className="muted">
              {scene.composition.styling} · {scene.composition.animation}
            </p>
          </details>
        )}
        <TakeStrips project={project} scene={scene} takes={takes} />
        <div className="row wrap">
          <button type="button" aria-expanded={open} aria-controls={moreId} onClick={() => setOpen(!open)}>
            More actions for scene {n}
          </button>
        </div>
        <div id={moreId} className="scene-more" hidden={!open}>
          <div className="row wrap" role="group" aria-label={`Scene ${n}: one asset`}>
            {SceneAssetTypeSchema.options.map((type) => (
              <AssetButton key={type} project={project} scene={scene} type={type} busy={busy} />
            ))}
          </div>
          <RegenerateText project={project} scene={scene} busy={busy} />
          <SceneOrder project={project} scene={scene} onMove={onMove} first={first} last={last} />
        </div>
        {scene.active_job && (
          <JobBar projectId={project.id} job={scene.active_job} label={jobLabel(scene.active_job, scene)} />
        )}
      </div>
    </li>
  );
}

function SceneTextForm({ project, scene, busy }: { project: Project; scene: Scene; busy: boolean }) {
  const rf = useRf();
  const n = scene.scene_number;
  const saving = useAction(`Save scene ${n}`);
  const [draft, setDraft] = useState({
    title: scene.title,
    description: scene.description,
    duration: scene.duration_seconds,
  });
  const [dirty, setDirty] = useState(false);
  // Another tab (or a regenerated text) changed the scene: follow it unless the person is mid-edit.
  useEffect(() => {
    if (!dirty)
      setDraft({ title: scene.title, description: scene.description, duration: scene.duration_seconds });
  }, [scene.title, scene.description, scene.duration_seconds, dirty]);

  const edit = (patch: Partial<typeof draft>) => {
    setDraft({ ...draft, ...patch });
    setDirty(true);
  };
  async function save(e: FormEvent) {
    e.preventDefault();
    const saved = await saving.run(() =>
      rf.updateScene({
        project_id: project.id,
        scene_id: scene.id,
        ...(draft.title !== scene.title ? { title: draft.title } : {}),
        ...(draft.description !== scene.description ? { description: draft.description } : {}),
        ...(draft.duration !== scene.duration_seconds ? { duration_seconds: draft.duration } : {}),
      }),
    );
    if (saved) setDirty(false);
  }

  return (
    <>
      <form onSubmit={(e) => void save(e)} className="scene-form">
        <label>
          Title
          <input
            aria-label={`Scene ${n} title`}
            value={draft.title}
            onChange={(e) => edit({ title: e.target.value })}
          />
        </label>
        <label>
          Description
          <textarea
            aria-label={`Scene ${n} description`}
            rows={3}
            value={draft.description}
            onChange={(e) => edit({ description: e.target.value })}
          />
        </label>
        <label>
          Seconds
          <input
            aria-label={`Scene ${n} duration in seconds`}
            type="number"
            step={0.5}
            min={LIMITS.SCENE_DURATION_MIN}
            max={LIMITS.SCENE_DURATION_MAX}
            value={draft.duration}
            onChange={(e) => edit({ duration: Number(e.target.value) })}
          />
        </label>
        <button type="submit" disabled={!dirty || busy || saving.pending}>
          Save scene {n}
        </button>
      </form>
      <ActionError action={saving} />
    </>
  );
}

function AssetButton({
  project,
  scene,
  type,
  busy,
}: {
  project: Project;
  scene: Scene;
  type: SceneAssetType;
  busy: boolean;
}) {
  const rf = useRf();
  const n = scene.scene_number;
  const generate = useAction(`Generate scene ${n} ${type}`);
  return (
    <>
      <button
        type="button"
        disabled={busy || generate.pending}
        onClick={() =>
          void generate.run(() => rf.generateSceneAsset({ project_id: project.id, scene_id: scene.id, type }))
        }
      >
        Generate scene {n} {type}
      </button>
      <ActionError action={generate} />
    </>
  );
}

function RegenerateText({ project, scene, busy }: { project: Project; scene: Scene; busy: boolean }) {
  const rf = useRf();
  const n = scene.scene_number;
  const regenerate = useAction(`Regenerate scene ${n} text`);
  const [instructions, setInstructions] = useState('');
  return (
    <div className="row wrap" role="group" aria-label={`Scene ${n}: text`}>
      <input
        aria-label={`Instructions for scene ${n} text`}
        placeholder="Instructions (optional)"
        value={instructions}
        onChange={(e) => setInstructions(e.target.value)}
      />
      <button
        type="button"
        disabled={busy || regenerate.pending}
        onClick={() =>
          void regenerate.run(() =>
            rf.regenerateSceneText({
              project_id: project.id,
              scene_id: scene.id,
              ...(instructions.trim() ? { instructions } : {}),
            }),
          )
        }
      >
        Regenerate scene {n} text
      </button>
      <ActionError action={regenerate} />
    </div>
  );
}

function SceneOrder({
  project,
  scene,
  onMove,
  first,
  last,
}: {
  project: Project;
  scene: Scene;
  onMove: (delta: number) => void;
  first: boolean;
  last: boolean;
}) {
  const rf = useRf();
  const n = scene.scene_number;
  const deletion = useAction(`Delete scene ${n}`);
  const [confirmDelete, setConfirmDelete] = useState(false);
  return (
    <div className="row wrap" role="group" aria-label={`Scene ${n}: order`}>
      <button type="button" disabled={first} onClick={() => onMove(-1)}>
        Move scene {n} up
      </button>
      <button type="button" disabled={last} onClick={() => onMove(1)}>
        Move scene {n} down
      </button>
      {confirmDelete ? (
        <button
          type="button"
          className="danger"
          disabled={deletion.pending}
          onClick={() =>
            void deletion.run(() => rf.deleteScene({ project_id: project.id, scene_id: scene.id }))
          }
        >
          Confirm delete scene {n}
        </button>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
          Delete scene {n}
        </button>
      )}
      <ActionError action={deletion} />
    </div>
  );
}
