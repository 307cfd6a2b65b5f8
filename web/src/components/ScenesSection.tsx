// The storyboard: draft it, then edit, add, delete and reorder scenes, regenerate a scene's text, and
// generate one scene's assets or every scene's, each job with its live bar.
import { useEffect, useState, type FormEvent } from 'react';
import {
  LIMITS,
  SceneAssetTypeSchema,
  SCENE_ASSET_FIELD,
  isUnfinished,
  type Project,
  type Scene,
} from '@reelforge/schema';
import type { Actions } from '../lib/hooks.js';
import { useAssetUrl, useRf } from '../lib/hooks.js';
import { jobLabel, projectJobBusy } from '../lib/jobs.js';
import type { AutoAssets, WithAutoAssets } from '../lib/useAutoAssets.js';
import { GenerateAllControl } from './GenerateAllControl.js';
import { JobBar } from './JobBar.js';
import { SceneVoiceover } from './SceneVoiceover.js';

export function ScenesSection({ project, actions, auto }: WithAutoAssets) {
  const rf = useRf();
  const [count, setCount] = useState(4);
  const scenes = [...project.scenes].sort((a, b) => a.scene_number - b.scene_number);
  const projectBusy = projectJobBusy(project);

  const move = (index: number, delta: number) => {
    const ids = scenes.map((s) => s.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + delta, 0, id!);
    void actions.run('Reorder scenes', () => rf.reorderScenes({ project_id: project.id, scene_ids: ids }));
  };

  return (
    <section className="card" aria-labelledby="storyboard-title">
      <div className="section-head">
        <h2 id="storyboard-title">
          Storyboard{project.storyboard.title ? `: ${project.storyboard.title}` : ''}
        </h2>
        <div className="row">
          <label className="inline">
            Number of scenes
            <input
              type="number"
              min={LIMITS.MIN_SCENE_COUNT}
              max={LIMITS.MAX_SCENES}
              value={count}
              onChange={(e) => setCount(Number(e.target.value))}
            />
          </label>
          <button
            type="button"
            disabled={projectBusy}
            onClick={() =>
              void actions.run('Draft storyboard', () =>
                rf.generateStoryboard({ project_id: project.id, scene_count: count }),
              )
            }
          >
            {scenes.length ? 'Redraft storyboard' : 'Draft storyboard'}
          </button>
          {scenes.length > 0 && <GenerateAllControl project={project} actions={actions} auto={auto} />}
        </div>
      </div>
      {scenes.length === 0 ? (
        <p className="empty">No scenes yet: choose a mood, then draft the storyboard.</p>
      ) : (
        <ol className="scenes" aria-label="Scenes">
          {scenes.map((scene, i) => (
            <SceneCard
              key={scene.id}
              project={project}
              scene={scene}
              actions={actions}
              auto={auto}
              onMove={(delta) => move(i, delta)}
              first={i === 0}
              last={i === scenes.length - 1}
            />
          ))}
        </ol>
      )}
      <AddSceneForm project={project} actions={actions} />
    </section>
  );
}

function SceneCard({
  project,
  scene,
  actions,
  auto,
  onMove,
  first,
  last,
}: {
  project: Project;
  scene: Scene;
  actions: Actions;
  auto: AutoAssets;
  onMove: (delta: number) => void;
  first: boolean;
  last: boolean;
}) {
  const rf = useRf();
  const n = scene.scene_number;
  const ref = { project_id: project.id, scene_id: scene.id };
  const [draft, setDraft] = useState({
    title: scene.title,
    description: scene.description,
    duration: scene.duration_seconds,
  });
  const [dirty, setDirty] = useState(false);
  const [instructions, setInstructions] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Another tab (or a regenerated text) changed the scene: follow it unless the person is mid-edit.
  useEffect(() => {
    if (!dirty)
      setDraft({ title: scene.title, description: scene.description, duration: scene.duration_seconds });
  }, [scene.title, scene.description, scene.duration_seconds, dirty]);
  const busy = isUnfinished(scene.active_job);
  const thumbnail = useAssetUrl(project.id, scene.assets.thumbnail_path);
  const video = useAssetUrl(project.id, scene.assets.video_path);

  const edit = (patch: Partial<typeof draft>) => {
    setDraft({ ...draft, ...patch });
    setDirty(true);
  };
  async function save(e: FormEvent) {
    e.preventDefault();
    const saved = await actions.run(`Save scene ${n}`, () =>
      rf.updateScene({
        ...ref,
        ...(draft.title !== scene.title ? { title: draft.title } : {}),
        ...(draft.description !== scene.description ? { description: draft.description } : {}),
        ...(draft.duration !== scene.duration_seconds ? { duration_seconds: draft.duration } : {}),
      }),
    );
    if (saved) setDirty(false);
  }

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
          <button type="submit" disabled={!dirty || busy}>
            Save scene {n}
          </button>
        </form>
        <SceneVoiceover project={project} scene={scene} actions={actions} busy={busy} />
        {scene.composition && (
          <details>
            <summary>Scene {n} composition</summary>
            <p>{scene.composition.description}</p>
            <p className="muted">
              {scene.composition.styling} · {scene.composition.animation}
            </p>
          </details>
        )}
        <div className="row wrap">
          {SceneAssetTypeSchema.options.map((type) => (
            <button
              key={type}
              type="button"
              disabled={busy}
              onClick={() =>
                void actions.run(`Generate scene ${n} ${type}`, () => rf.generateSceneAsset({ ...ref, type }))
              }
            >
              Generate scene {n} {type}
            </button>
          ))}
          <button type="button" disabled={auto.running.has(scene.id)} onClick={() => auto.start([scene.id])}>
            Generate all assets for scene {n}
          </button>
        </div>
        <div className="row wrap">
          <input
            aria-label={`Instructions for scene ${n} text`}
            placeholder="Instructions (optional)"
            value={instructions}
            onChange={(e) => setInstructions(e.target.value)}
          />
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void actions.run(`Regenerate scene ${n} text`, () =>
                rf.regenerateSceneText({ ...ref, ...(instructions.trim() ? { instructions } : {}) }),
              )
            }
          >
            Regenerate scene {n} text
          </button>
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
              onClick={() => void actions.run(`Delete scene ${n}`, () => rf.deleteScene(ref))}
            >
              Confirm delete scene {n}
            </button>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
              Delete scene {n}
            </button>
          )}
        </div>
        {scene.active_job && (
          <JobBar
            projectId={project.id}
            job={scene.active_job}
            label={jobLabel(scene.active_job, scene)}
            actions={actions}
          />
        )}
      </div>
    </li>
  );
}

function AddSceneForm({ project, actions }: { project: Project; actions: Actions }) {
  const rf = useRf();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [duration, setDuration] = useState(3);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const added = await actions.run('Add scene', () =>
      rf.addScene({ project_id: project.id, title, description, duration_seconds: duration }),
    );
    if (added) {
      setTitle('');
      setDescription('');
    }
  }
  return (
    <form className="add-scene row wrap" onSubmit={(e) => void submit(e)} aria-label="Add a scene">
      <input
        aria-label="New scene title"
        placeholder="New scene title"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <input
        aria-label="New scene description"
        placeholder="What happens"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <input
        aria-label="New scene duration in seconds"
        type="number"
        step={0.5}
        min={LIMITS.SCENE_DURATION_MIN}
        max={LIMITS.SCENE_DURATION_MAX}
        value={duration}
        onChange={(e) => setDuration(Number(e.target.value))}
      />
      <button type="submit">Add scene</button>
    </form>
  );
}
