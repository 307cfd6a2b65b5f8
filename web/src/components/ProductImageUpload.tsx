// The product image: uploaded to the user's own Storage folder, then attached by `setProductImage`, which
// checks its bytes. It is composited on the end card as the packshot, exactly as uploaded.
import { useState, type ChangeEvent } from 'react';
import type { Project } from '@reelforge/schema';
import { fieldMessages } from '../lib/adSettings.js';
import { useAction, useBackend, useRf } from '../lib/hooks.js';
import { uploadOwnFile, uploadProblem } from '../lib/uploads.js';
import { ActionError } from './ActionError.js';
import { Thumbnail } from './Thumbnail.js';

export function ProductImageUpload({ project }: { project: Project }) {
  const rf = useRf();
  const backend = useBackend();
  const upload = useAction('Upload the product image');
  const removal = useAction('Remove the product image');
  const [problem, setProblem] = useState<string>();
  const path = project.assets.product_image_path;

  async function choose(e: ChangeEvent<HTMLInputElement>) {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    const found = uploadProblem('images', file);
    setProblem(found && `${file.name}: ${found}`);
    if (!found) {
      const uid = backend.auth.currentUser?.uid ?? '';
      await upload.run(async () =>
        rf.setProductImage({
          project_id: project.id,
          upload_path: await uploadOwnFile(uid, 'images', file, backend.emulators),
        }),
      );
    }
    input.value = '';
  }

  const backendProblem = fieldMessages(upload.failure?.error).upload_path;
  const shown = problem ?? backendProblem;
  return (
    <div className="logo">
      <Thumbnail projectId={project.id} path={path} alt="Product image" />
      <div>
        <label>
          Product image for the end card (PNG or JPEG, at most 10 MiB)
          <input
            type="file"
            accept="image/png,image/jpeg"
            aria-label="Product image file"
            aria-invalid={shown ? true : undefined}
            onChange={(e) => void choose(e)}
          />
        </label>
        {shown && (
          <p className="field-error" role="alert" aria-label="Product image problem">
            {shown}
          </p>
        )}
        {path && (
          <button
            type="button"
            onClick={() =>
              void removal.run(() => rf.setProductImage({ project_id: project.id, upload_path: null }))
            }
          >
            Remove product image
          </button>
        )}
        {!backendProblem && <ActionError action={upload} />}
        <ActionError action={removal} />
      </div>
    </div>
  );
}
