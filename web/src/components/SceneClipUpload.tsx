// A scene's own footage: uploaded to the user's own Storage folder, then attached by `setSceneClip`, which
// checks its bytes. The ad then shows this clip (trimmed or held to the scene, framed for every format) and no
// video is generated or paid for the scene.
import { useState, type ChangeEvent } from 'react';
import type { Project, Scene } from '@reelforge/schema';
import { fieldMessages } from '../lib/adSettings.js';
import { useAction, useBackend, useRf } from '../lib/hooks.js';
import { uploadOwnFile, uploadProblem } from '../lib/uploads.js';
import { ActionError } from './ActionError.js';

export function SceneClipUpload({ project, scene, busy }: { project: Project; scene: Scene; busy: boolean }) {
  const rf = useRf();
  const backend = useBackend();
  const n = scene.scene_number;
  const upload = useAction(`Upload scene ${n}'s own clip`);
  const removal = useAction(`Remove scene ${n}'s own clip`);
  const [problem, setProblem] = useState<string>();

  async function choose(e: ChangeEvent<HTMLInputElement>) {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    const found = uploadProblem('clips', file);
    setProblem(found && `${file.name}: ${found}`);
    if (!found) {
      const uid = backend.auth.currentUser?.uid ?? '';
      await upload.run(async () =>
        rf.setSceneClip({
          project_id: project.id,
          scene_id: scene.id,
          upload_path: await uploadOwnFile(uid, 'clips', file, backend.emulators),
        }),
      );
    }
    input.value = '';
  }

  const backendProblem = fieldMessages(upload.failure?.error).upload_path;
  const shown = problem ?? backendProblem;
  return (
    <div className="scene-clip">
      <label>
        {scene.assets.clip_path ? 'Replace its own clip' : 'Use my own clip'} (MP4, MOV or WebM, at most 200
        MiB)
        <input
          type="file"
          accept="video/mp4,video/quicktime,video/webm"
          aria-label={`Scene ${n} own clip file`}
          aria-invalid={shown ? true : undefined}
          disabled={busy}
          onChange={(e) => void choose(e)}
        />
      </label>
      {shown && (
        <p className="field-error" role="alert" aria-label={`Scene ${n} clip problem`}>
          {shown}
        </p>
      )}
      {scene.assets.clip_path && (
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void removal.run(() =>
              rf.setSceneClip({ project_id: project.id, scene_id: scene.id, upload_path: null }),
            )
          }
        >
          Remove scene {n}&apos;s own clip
        </button>
      )}
      {!backendProblem && <ActionError action={upload} />}
      <ActionError action={removal} />
    </div>
  );
}
