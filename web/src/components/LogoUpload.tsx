// The brand logo for the end card: a PNG or JPEG of at most 2 MiB, refused here before any upload when it is
// larger or not an image by its first bytes; `setLogo` checks the whole file again and decides.
import { useState, type ChangeEvent } from 'react';
import type { Project } from '@reelforge/schema';
import { fieldMessages } from '../lib/adSettings.js';
import { useAction, useRf } from '../lib/hooks.js';
import { LOGO_HEAD_BYTES, bytesToBase64, checkLogo } from '../lib/logo.js';
import { ActionError } from './ActionError.js';
import { Thumbnail } from './Thumbnail.js';

export function LogoUpload({ project }: { project: Project }) {
  const rf = useRf();
  const upload = useAction('Upload the logo');
  const removal = useAction('Remove the logo');
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
    await upload.run(() => rf.setLogo({ project_id: project.id, image_base64 }));
    input.value = '';
  }

  // The backend's refusal of the file itself (`image_base64`) is shown under the field like the browser's own
  // check; any other failure of the upload is shown whole.
  const backendProblem = fieldMessages(upload.failure?.error).image_base64;
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
            onClick={() => void removal.run(() => rf.setLogo({ project_id: project.id, image_base64: null }))}
          >
            Remove logo
          </button>
        )}
        {!backendProblem && <ActionError action={upload} />}
        <ActionError action={removal} />
      </div>
    </div>
  );
}
