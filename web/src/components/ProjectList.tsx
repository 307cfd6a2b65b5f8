// The signed-in person's projects, newest first (listProjects pages by creation time), and the form that
// creates one from a brief.
import { useEffect, useState } from 'react';
import type { ProjectSummary } from '@reelforge/schema';
import { navigate, useAction, useRf } from '../lib/hooks.js';
import { NewProjectForm } from './NewProjectForm.js';
import { ActionError } from './ActionError.js';
import { Thumbnail } from './Thumbnail.js';
import { UsageStrip } from './UsageStrip.js';

export function ProjectList() {
  const rf = useRf();
  const load = useAction('Load projects');
  const loadMore = useAction('Load more projects');
  const [projects, setProjects] = useState<ProjectSummary[]>();
  const [cursor, setCursor] = useState<string | null>(null);

  useEffect(() => {
    void load.run(async () => {
      const page = await rf.listProjects({ limit: 24 });
      setProjects(page.projects);
      setCursor(page.next_cursor);
    });
  }, [rf, load.run]);

  const more = () =>
    loadMore.run(async () => {
      if (!cursor) return;
      const page = await rf.listProjects({ limit: 24, cursor });
      setProjects((prev) => [...(prev ?? []), ...page.projects]);
      setCursor(page.next_cursor);
    });

  return (
    <div className="projects">
      <section aria-labelledby="projects-title">
        <h1 id="projects-title">Your projects</h1>
        <UsageStrip />
        <ActionError action={load} />
        {!projects ? (
          <p className="loading">Loading projects…</p>
        ) : projects.length === 0 ? (
          <p className="empty">No projects yet. Start one from a brief.</p>
        ) : (
          <ul className="project-grid" aria-label="Projects">
            {projects.map((p) => (
              <li key={p.id} className="card project-card">
                <Thumbnail projectId={p.id} path={p.thumbnail_path} alt={`${p.name} thumbnail`} />
                <div>
                  <a
                    href={`/projects/${p.id}`}
                    aria-label={`Open project ${p.name}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/projects/${p.id}`);
                    }}
                  >
                    {p.name}
                  </a>
                  <p className="muted">
                    {p.storyboard_title || 'No storyboard yet'} · {p.stats.completed_scenes}/
                    {p.stats.total_scenes} scenes ready · {new Date(p.created_at).toLocaleString()}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        )}
        {cursor && (
          <button type="button" disabled={loadMore.pending} onClick={() => void more()}>
            Load more projects
          </button>
        )}
        <ActionError action={loadMore} />
      </section>
      <NewProjectForm />
    </div>
  );
}
