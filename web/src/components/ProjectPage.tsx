// One project, live: every change any tab or job makes arrives through the SDK's listener.
import { useState } from 'react';
import { navigate, useActions, useProject, useRf } from '../lib/hooks.js';
import { jobLabel } from '../lib/jobs.js';
import { useAutoAssets } from '../lib/useAutoAssets.js';
import { AdSettingsSection } from './AdSettingsSection.js';
import { ErrorBanner } from './ErrorBanner.js';
import { JobBar } from './JobBar.js';
import { MoodsSection } from './MoodsSection.js';
import { MusicSection } from './MusicSection.js';
import { RenderSection } from './RenderSection.js';
import { ScenesSection } from './ScenesSection.js';
import { UsageStrip } from './UsageStrip.js';

export function ProjectPage({ projectId }: { projectId: string }) {
  const rf = useRf();
  const { snapshot, error } = useProject(projectId);
  const actions = useActions();
  const auto = useAutoAssets(snapshot?.project, actions);
  const [confirmDelete, setConfirmDelete] = useState(false);

  if (error) {
    return (
      <section className="card narrow">
        <h1>Project unavailable</h1>
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

  const remove = async () => {
    const done = await actions.run('Delete project', () => rf.deleteProject({ project_id: project.id }));
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
            {project.stats.active_jobs} running
          </p>
        </div>
        <div className="row">
          <button type="button" onClick={() => navigate('/')}>
            Back to projects
          </button>
          {confirmDelete ? (
            <button type="button" className="danger" onClick={() => void remove()}>
              Confirm delete project
            </button>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
              Delete project
            </button>
          )}
        </div>
      </div>
      <UsageStrip
        refreshKey={`${project.stats.active_jobs}|${project.stats.cost_usd}|${actions.error?.error.code ?? ''}`}
      />
      <ErrorBanner actions={actions} />
      {/* The music bed's job has its bar in its own section. */}
      {project.active_job && project.active_job.type !== 'music' && (
        <JobBar
          projectId={project.id}
          job={project.active_job}
          label={jobLabel(project.active_job)}
          actions={actions}
        />
      )}
      <MoodsSection project={project} actions={actions} />
      <AdSettingsSection project={project} />
      <ScenesSection project={project} actions={actions} auto={auto} />
      <MusicSection project={project} actions={actions} />
      <RenderSection project={project} actions={actions} />
    </div>
  );
}
