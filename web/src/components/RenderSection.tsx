// Render the ad and play or download it in each format the project has. The formats ticked here are the
// page's (ProjectPage), since "Make the ad" renders in them too.
import type { AspectRatio, Project, RenderProjectRequest } from '@reelforge/schema';
import { useAction, useAssetUrl, useRf } from '../lib/hooks.js';
import { changedSinceRender, renderedOutputs } from '../lib/formats.js';
import { renderBlocker } from '../lib/readiness.js';
import { ActionError } from './ActionError.js';
import { StepButton } from './StepButton.js';

export function RenderSection({
  project,
  choices,
  formats,
  onFormats: setFormats,
}: {
  project: Project;
  /** The formats renderProject takes (formats.ts renderFormatChoices); undefined: the project's one. */
  choices: readonly AspectRatio[] | undefined;
  formats: readonly AspectRatio[];
  onFormats: (formats: AspectRatio[]) => void;
}) {
  const rf = useRf();
  const renderAd = useAction('Render the ad');
  const outputs = renderedOutputs(project);
  const blocker =
    renderBlocker(project) ?? (choices && formats.length === 0 ? 'Choose at least one format.' : undefined);

  const render = () => {
    // `formats` is sent only when the schema's renderProject takes it (checked by the SDK either way).
    const request = {
      project_id: project.id,
      ...(choices ? { formats: [...formats] } : {}),
    } as RenderProjectRequest;
    void renderAd.run(() => rf.renderProject(request));
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
          <StepButton
            id="render-ad"
            label="Render the ad"
            action={renderAd}
            blocker={blocker}
            onClick={render}
          />
        </div>
      </div>
      <ActionError action={renderAd} />
      {outputs.length === 0 ? (
        <p className="empty">Not rendered yet: make the ad above, or render once every scene has its clip.</p>
      ) : (
        <ul className="renders" aria-label="Rendered ads">
          {outputs.map(([format, path]) => (
            <RenderedAd
              key={format}
              projectId={project.id}
              format={format}
              path={path}
              changed={changedSinceRender(project, format)}
            />
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
  changed,
}: {
  projectId: string;
  format: string;
  path: string;
  /** The settings changed since this format was rendered. */
  changed: string[];
}) {
  const rf = useRf();
  const url = useAssetUrl(projectId, path);
  const download = useAction(`Download the ad, ${format}`);
  if (!url) return <li className="loading">Loading the {format} ad…</li>;
  // The player's URL is another origin's, where a link's `download` attribute is ignored (the file would
  // open, saved as its storage path). A download URL is signed with Content-Disposition: attachment and the
  // backend's file name ("<project name>-9x16.mp4"), asked for at the click so it has not expired.
  const save = () =>
    download.run(async () => {
      const { urls } = await rf.getAssetUrls({ project_id: projectId, paths: [path], download: true });
      const signed = urls[path];
      if (!signed) throw new Error(`no download URL for the ${format} ad`);
      location.assign(signed);
    });
  return (
    <li className="render">
      <video src={url} controls aria-label={`The ad, ${format}`} />
      <button type="button" disabled={download.pending} onClick={() => void save()}>
        Download the ad, {format}
      </button>
      <ActionError action={download} />
      {changed.length > 0 && (
        <p className="muted">
          Settings changed since this render: {changed.join(', ')}. Render again to apply.
        </p>
      )}
    </li>
  );
}
