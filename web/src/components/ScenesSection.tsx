// The storyboard: draft it, then edit, add, delete and reorder scenes, regenerate a scene's text and
// generate a scene's assets one at a time, each job with its live bar ("Make the ad" makes them all).
import { useState, type FormEvent } from 'react';
import { LIMITS, type Project } from '@reelforge/schema';
import { useAction, useRf, useTakes } from '../lib/hooks.js';
import { storyboardBlocker } from '../lib/readiness.js';
import { ActionError } from './ActionError.js';
import { SceneCard } from './SceneCard.js';
import { StepButton } from './StepButton.js';

export function ScenesSection({
  project,
  sceneCount: count,
  onSceneCount,
}: {
  project: Project;
  /** "Number of scenes" as the page keeps it (ProjectPage: what was typed, else the storyboard's count). */
  sceneCount: number;
  onSceneCount: (count: number) => void;
}) {
  const rf = useRf();
  const draft = useAction('Draft storyboard');
  const reorder = useAction('Reorder scenes');
  const takes = useTakes(project.id);
  const scenes = [...project.scenes].sort((a, b) => a.scene_number - b.scene_number);

  const move = (index: number, delta: number) => {
    const ids = scenes.map((s) => s.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + delta, 0, id!);
    void reorder.run(() => rf.reorderScenes({ project_id: project.id, scene_ids: ids }));
  };

  return (
    <section className="card" aria-labelledby="storyboard-title">
      <div className="section-head">
        <h2 id="storyboard-title">
          Storyboard{project.storyboard.title ? `: ${project.storyboard.title}` : ''}
        </h2>
        <div className="row wrap">
          <label className="inline">
            Number of scenes
            <input
              type="number"
              min={LIMITS.MIN_SCENE_COUNT}
              max={LIMITS.MAX_SCENES}
              value={count}
              onChange={(e) => onSceneCount(Number(e.target.value))}
            />
          </label>
          <StepButton
            id="draft-storyboard"
            label={scenes.length ? 'Redraft storyboard' : 'Draft storyboard'}
            action={draft}
            blocker={storyboardBlocker(project)}
            onClick={() =>
              void draft.run(() => rf.generateStoryboard({ project_id: project.id, scene_count: count }))
            }
          />
        </div>
      </div>
      <ActionError action={draft} />
      <ActionError action={reorder} />
      {scenes.length === 0 ? (
        <p className="empty">No scenes yet: choose a mood, then draft the storyboard.</p>
      ) : (
        <ol className="scenes" aria-label="Scenes">
          {scenes.map((scene, i) => (
            <SceneCard
              key={scene.id}
              project={project}
              scene={scene}
              takes={takes.filter((t) => t.scene_id === scene.id)}
              onMove={(delta) => move(i, delta)}
              first={i === 0}
              last={i === scenes.length - 1}
            />
          ))}
        </ol>
      )}
      <AddSceneForm project={project} />
    </section>
  );
}

function AddSceneForm({ project }: { project: Project }) {
  const rf = useRf();
  const add = useAction('Add scene');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [duration, setDuration] = useState(3);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const added = await add.run(() =>
      rf.addScene({ project_id: project.id, title, description, duration_seconds: duration }),
    );
    if (added) {
      setTitle('');
      setDescription('');
    }
  }
  return (
    <form className="add-scene" onSubmit={(e) => void submit(e)} aria-label="Add a scene">
      <div className="row wrap">
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
        <button type="submit" disabled={add.pending}>
          Add scene
        </button>
      </div>
      <ActionError action={add} />
    </form>
  );
}
