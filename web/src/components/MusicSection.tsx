// The music bed: one instrumental track under the whole ad (the project's `music` job, `assets.music_path`),
// made as long as the ad is when it is generated. Its job's bar is here rather than at the top of the page.
import type { Project } from '@reelforge/schema';
import type { Actions } from '../lib/hooks.js';
import { useAssetUrl, useRf } from '../lib/hooks.js';
import { projectJobBusy } from '../lib/jobs.js';
import { JobBar } from './JobBar.js';
import { SectionHead } from './SectionHead.js';

export const MUSIC_LABEL = 'Music bed';

export function MusicSection({ project, actions }: { project: Project; actions: Actions }) {
  const rf = useRf();
  const job = project.active_job?.type === 'music' ? project.active_job : undefined;
  const projectBusy = projectJobBusy(project);
  const bed = useAssetUrl(project.id, project.assets.music_path);
  const has = !!project.assets.music_path;

  return (
    <section className="card" aria-labelledby="music-title">
      <SectionHead
        id="music-title"
        title="Music bed"
        action={{
          label: has ? 'Regenerate music bed' : 'Generate music bed',
          disabled: projectBusy,
          onClick: () =>
            void actions.run('Generate the music bed', () => rf.generateMusic({ project_id: project.id })),
        }}
      />
      {job && <JobBar projectId={project.id} job={job} label={MUSIC_LABEL} actions={actions} />}
      {has ? (
        bed ? (
          <audio src={bed} controls aria-label="Music bed" />
        ) : (
          <p className="loading">Loading the music bed…</p>
        )
      ) : (
        <p className="empty">
          No music bed yet: without one, the scenes&apos; own audio plays under the ad, crossfaded at the
          cuts.
        </p>
      )}
    </section>
  );
}
