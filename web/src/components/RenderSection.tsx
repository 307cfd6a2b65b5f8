// Render the ad and play or download it in each format the project has.
import { useState } from 'react';
import type { Project, RenderProjectRequest } from '@reelforge/schema';
import type { Actions } from '../lib/hooks.js';
import { useAssetUrl, useRf } from '../lib/hooks.js';
import { renderFormatChoices, renderedOutputs } from '../lib/formats.js';
import { projectJobBusy } from '../lib/jobs.js';

export function RenderSection({ project, actions }: { project: Project; actions: Actions }) {
  const rf = useRf();
  const choices = renderFormatChoices();
  const [formats, setFormats] = useState<string[]>(() => (choices ? [project.settings.aspect_ratio] : []));
  const projectBusy = projectJobBusy(project);
  const outputs = renderedOutputs(project);

  const render = () => {
    // `formats` is sent only when the schema's renderProject takes it (checked by the SDK either way).
    const request = { project_id: project.id, ...(choices ? { formats } : {}) } as RenderProjectRequest;
    void actions.run('Render the ad', () => rf.renderProject(request));
  };

  return (
    <section className="card" aria-labelledby="render-title">
      <div className="section-head">
        <h2 id="render-title">The ad</h2>
        <div className="row">
          {choices?.map((format) => (
            <label key={format} className="inline">
              <input
                type="checkbox"
                checked={formats.includes(format)}
                onChange={(e) =>
                  setFormats(e.target.checked ? [...formats, format] : formats.filter((f) => f !== format))
                }
              />
              Render {format}
            </label>
          ))}
          <button type="button" disabled={projectBusy || project.scenes.length === 0} onClick={render}>
            Render the ad
          </button>
        </div>
      </div>
      {outputs.length === 0 ? (
        <p className="empty">Not rendered yet: generate every scene&apos;s assets, then render.</p>
      ) : (
        <ul className="renders" aria-label="Rendered ads">
          {outputs.map(([format, path]) => (
            <RenderedAd key={format} projectId={project.id} format={format} path={path} name={project.name} />
          ))}
        </ul>
      )}
    </section>
  );
}

function RenderedAd({
  projectId,
  format,
  path,
  name,
}: {
  projectId: string;
  format: string;
  path: string;
  name: string;
}) {
  const url = useAssetUrl(projectId, path);
  if (!url) return <li className="loading">Loading the {format} ad…</li>;
  const file = `${name.replace(/[^A-Za-z0-9_-]+/g, '-')}-${format.replace(':', 'x')}.mp4`;
  return (
    <li className="render">
      <video src={url} controls aria-label={`The ad, ${format}`} />
      <a href={url} download={file} aria-label={`Download the ad, ${format}`}>
        Download {format}
      </a>
    </li>
  );
}
