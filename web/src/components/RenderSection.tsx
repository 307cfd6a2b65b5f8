// Render the ad and play or download it in each format the project has. The formats ticked here are the
// page's (ProjectPage), since "Make the ad" renders in them too.
import type { AspectRatio, Project, RenderProjectRequest, RenderedFormat } from '@reelforge/schema';
import { useAction, useAssetUrl, useRf } from '../lib/hooks.js';
import { changedSinceRender, renderGrid, renderName } from '../lib/formats.js';
import { renderBlocker } from '../lib/readiness.js';
import { ActionError } from './ActionError.js';
import { StepButton } from './StepButton.js';
import { TranslateButtons } from './TranslateButtons.js';

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
  const grid = renderGrid(project);
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
      <TranslateButtons project={project} />
      {grid.length === 0 ? (
        <p className="empty">Not rendered yet: make the ad above, or render once every scene has its clip.</p>
      ) : (
        // One row per language, one file per format in it: the storyboard's language first.
        grid.map((row) => (
          <div key={row.language ?? ''} className="render-row">
            {grid.length > 1 && <h3>{row.title}</h3>}
            <ul
              className="renders"
              aria-label={row.language ? `Rendered ads in ${row.language}` : 'Rendered ads'}
            >
              {row.files.map(([key, pack]) => (
                <RenderedAd
                  key={key}
                  projectId={project.id}
                  format={renderName(key)}
                  pack={pack}
                  changed={changedSinceRender(project, key)}
                />
              ))}
            </ul>
          </div>
        ))
      )}
    </section>
  );
}

/** A file of the pack offered for download, and what its button says. */
const PACK_FILES = [
  ['video_path', 'the ad'],
  ['srt_path', 'the captions (SRT)'],
  ['vtt_path', 'the captions (WebVTT)'],
  ['poster_path', 'the poster'],
] as const;

function RenderedAd({
  projectId,
  format,
  pack,
  changed,
}: {
  projectId: string;
  format: string;
  pack: RenderedFormat;
  /** The settings changed since this format was rendered. */
  changed: string[];
}) {
  const url = useAssetUrl(projectId, pack.video_path);
  if (!url) return <li className="loading">Loading the {format} ad…</li>;
  const checks = pack.checks ?? [];
  const failed = checks.filter((c) => !c.pass);
  return (
    <li className="render">
      <video src={url} controls aria-label={`The ad, ${format}`} />
      {PACK_FILES.map(([field, what]) => {
        const path = pack[field];
        return path ? (
          <DownloadButton
            key={field}
            projectId={projectId}
            path={path}
            label={`Download ${what}, ${format}`}
          />
        ) : null;
      })}
      {checks.length > 0 && (
        <details className="checks" open={failed.length > 0}>
          <summary>
            Quality checks, {format}: {checks.length - failed.length} of {checks.length} passed
            {failed.length > 0 ? ' (delivered, marked)' : ''}
          </summary>
          <ul aria-label={`Quality checks, ${format}`}>
            {checks.map((c) => (
              <li key={c.name} className={c.pass ? 'pass' : 'fail'}>
                {c.pass ? 'Passed' : 'Failed'}: {c.name}, {String(c.measured)}
                {c.unit ? ` ${c.unit}` : ''} (limit {String(c.limit)}
                {c.unit ? ` ${c.unit}` : ''}){c.problem ? `: ${c.problem}` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
      {changed.length > 0 && (
        <p className="muted">
          Settings changed since this render: {changed.join(', ')}. Render again to apply.
        </p>
      )}
    </li>
  );
}

/** One file of the pack. The player's URL is another origin's, where a link's `download` attribute is
 * ignored (the file would open, saved as its storage path): a download URL is signed with
 * Content-Disposition: attachment and the backend's file name ("<project name>-9x16.mp4", ".srt", ".vtt",
 * "-poster.jpg"), asked for at the click so it has not expired. */
function DownloadButton({ projectId, path, label }: { projectId: string; path: string; label: string }) {
  const rf = useRf();
  const download = useAction(label);
  const save = () =>
    download.run(async () => {
      const { urls } = await rf.getAssetUrls({ project_id: projectId, paths: [path], download: true });
      const signed = urls[path];
      if (!signed) throw new Error(`no download URL: ${label}`);
      location.assign(signed);
    });
  return (
    <>
      <button type="button" disabled={download.pending} onClick={() => void save()}>
        {label}
      </button>
      <ActionError action={download} />
    </>
  );
}
