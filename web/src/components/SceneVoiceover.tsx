// A scene's voiceover: its line (`voiceover_text`, edited with updateScene; a changed line clears the
// spoken audio, which the backend decides) and the spoken line once the voiceover job made it.
import { useEffect, useState, type FormEvent } from 'react';
import { LIMITS, type Project, type Scene } from '@reelforge/schema';
import { useAction, useAssetUrl, useRf } from '../lib/hooks.js';
import { ActionError } from './ActionError.js';

export function SceneVoiceover({ project, scene, busy }: { project: Project; scene: Scene; busy: boolean }) {
  const rf = useRf();
  const n = scene.scene_number;
  const saving = useAction(`Save voiceover line of scene ${n}`);
  const stored = scene.voiceover_text ?? '';
  const [line, setLine] = useState(stored);
  const [dirty, setDirty] = useState(false);
  // Another tab or a regenerated text changed the line: follow it unless the person is mid-edit.
  useEffect(() => {
    if (!dirty) setLine(stored);
  }, [stored, dirty]);
  const audio = useAssetUrl(project.id, scene.assets.voiceover_path);

  async function save(e: FormEvent) {
    e.preventDefault();
    const saved = await saving.run(() =>
      rf.updateScene({ project_id: project.id, scene_id: scene.id, voiceover_text: line }),
    );
    if (saved) setDirty(false);
  }

  const over = line.trim().length > LIMITS.VOICEOVER_TEXT_MAX;
  return (
    <form className="voiceover" onSubmit={(e) => void save(e)}>
      <label>
        Voiceover line{' '}
        <span className={over ? 'bad' : 'muted'} aria-live="polite">
          ({line.trim().length}/{LIMITS.VOICEOVER_TEXT_MAX})
        </span>
        <textarea
          aria-label={`Scene ${n} voiceover line`}
          rows={2}
          value={line}
          placeholder="No voice over this scene"
          onChange={(e) => {
            setLine(e.target.value);
            setDirty(true);
          }}
        />
      </label>
      <div className="row">
        <button type="submit" disabled={!dirty || busy || saving.pending}>
          Save voiceover line of scene {n}
        </button>
        {audio && <audio src={audio} controls aria-label={`Scene ${n} voiceover`} />}
      </div>
      <ActionError action={saving} />
    </form>
  );
}
