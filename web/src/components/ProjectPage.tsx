// One project, live: every change any tab or job makes arrives through the SDK's listener. Each section owns
// its actions, so a failure is shown beside the control that caused it. The page keeps the two choices that
// more than one section reads: the storyboard's "Number of scenes" and the render's formats, which "Make the
// ad" asks the production for.
import { useState } from 'react';
import type { AspectRatio } from '@reelforge/schema';
import { navigate, useAction, useProject, useRf } from '../lib/hooks.js';
import { jobLabel } from '../lib/jobs.js';
import { renderFormatChoices } from '../lib/formats.js';
import { sceneCountFor } from '../lib/sceneCount.js';
import { ActionError } from './ActionError.js';
import { AdSettingsSection } from './AdSettingsSection.js';
import { JobBar } from './JobBar.js';
import { MoodsSection } from './MoodsSection.js';
import { MusicSection } from './MusicSection.js';
import { ProductionSection } from './ProductionSection.js';
import { RenderSection } from './RenderSection.js';
import { ScenesSection } from './ScenesSection.js';
import { UsageStrip } from './UsageStrip.js';

export function ProjectPage({ projectId }: { projectId: string }) {
  const rf = useRf();
  const { snapshot, error } = useProject(projectId);
  // What the person typed in "Number of scenes"; until then the storyboard's own count (sceneCountFor).
  const [typedCount, setTypedCount] = useState<number>();
  // The render formats ticked; until then the project's own aspect ratio (following a change of it).
  const [chosenFormats, setChosenFormats] = useState<AspectRatio[]>();
  const deletion = useAction('Delete project');
  const [confirmDelete, setConfirmDelete] = useState(false);

  if (error) {
    return (
      <section className="card narrow" aria-labelledby="unavailable-title">
        <h1 id="unavailable-title">Project unavailable</h1>
        <p role="alert">
          {error.code === 'not-found' ? 'This project does not exist, or it is not yours.' : error.message}
        </p>
        <button type="button" onClick={() => navigate('/')}>
          Back to projects
        </button>
      </section>
    );
  }
  if (!snapshot) return <p className="loading">Loading the project…</p>;
  const { project } = snapshot;
  const sceneCount = sceneCountFor(typedCount, project.scenes.length);
  const choices = renderFormatChoices();
  const formats = choices ? (chosenFormats ?? [project.settings.aspect_ratio]) : undefined;

  const remove = async () => {
    const done = await deletion.run(() => rf.deleteProject({ project_id: project.id }));
    if (done) {
      rf.assetCache.invalidate(project.id);
      navigate('/');
    }
  };

  return (
    <div className="project">
      <div className="section-head">
        <div>
          <h1>{project.name}</h1>
          <p className="muted">
            {project.storyboard.creative_brief.brand_name} · {project.settings.aspect_ratio} ·{' '}
            {project.stats.completed_scenes}/{project.stats.total_scenes} scenes ready ·{' '}
            <output aria-label="Running in this project">{project.stats.active_jobs}</output> running
          </p>
        </div>
        <div className="row">
          <button type="button" onClick={() => navigate('/')}>
            Back to projects
          </button>
          {confirmDelete ? (
            <button
              type="button"
              className="danger"
              disabled={deletion.pending}
              onClick={() => void remove()}
            >
              Confirm delete project
            </button>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
              Delete project
            </button>
          )}
        </div>
      </div>
      <UsageStrip />
      <ActionError action={deletion} />
      {/* The music bed's job has its bar in its own section. */}
      {project.active_job && project.active_job.type !== 'music' && (
        <JobBar projectId={project.id} job={project.active_job} label={jobLabel(project.active_job)} />
      )}
      <ProductionSection project={project} formats={formats} sceneCount={sceneCount} />
      <MoodsSection project={project} />
      <AdSettingsSection project={project} />
      <ScenesSection project={project} sceneCount={sceneCount} onSceneCount={setTypedCount} />
      <MusicSection project={project} />
      <RenderSection
        project={project}
        choices={choices}
        formats={formats ?? []}
        onFormats={setChosenFormats}
      />
    </div>
  );
}
