// The brand logo for the end card: a PNG or JPEG of at most 2 MiB, refused here before any upload when it is
// larger or not an image by its first bytes; `setLogo` checks the whole file again and decides.
import { useState, type ChangeEvent } from 'react';
import type { Project } from '@reelforge/schema';
import type { Actions } from '../lib/hooks.js';
import { useRf } from '../lib/hooks.js';
import { LOGO_HEAD_BYTES, bytesToBase64, checkLogo } from '../lib/logo.js';
import { Thumbnail } from './Thumbnail.js';

export function LogoUpload({
  project,
  actions,
  backendProblem,
}: {
  project: Project;
  actions: Actions;
  /** The backend's refusal of the last upload (`image_base64`), shown under the field. */
  backendProblem?: string;
}) {
  const rf = useRf();
  const [problem, setProblem] = useState<string>();
  const path = project.assets.logo_path;

  async function choose(e: ChangeEvent<HTMLInputElement>) {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    const check = checkLogo(file.size, new Uint8Array(await file.slice(0, LOGO_HEAD_BYTES).arrayBuffer()));
    if ('problem' in check) {
      setProblem(`${file.name}: ${check.problem}`);
      input.value = '';
      return;
    }
    setProblem(undefined);
    const image_base64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
    await actions.run('Upload the logo', () => rf.setLogo({ project_id: project.id, image_base64 }));
    input.value = '';
  }

  const shown = problem ?? backendProblem;
  return (
    <div className="logo">
      <Thumbnail projectId={project.id} path={path} alt="Brand logo" />
      <div>
        <label>
          Logo (PNG or JPEG, at most 2 MiB)
          <input
            type="file"
            accept="image/png,image/jpeg"
            aria-label="Logo file"
            aria-invalid={shown ? true : undefined}
            onChange={(e) => void choose(e)}
          />
        </label>
        {shown && (
          <p className="field-error" role="alert" aria-label="Logo problem">
            {shown}
          </p>
        )}
        {path && (
          <button
            type="button"
            onClick={() =>
              void actions.run('Remove the logo', () =>
                rf.setLogo({ project_id: project.id, image_base64: null }),
              )
            }
          >
            Remove logo
          </button>
        )}
      </div>
    </div>
  );
}
