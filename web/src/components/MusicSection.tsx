// The music bed: one instrumental track under the whole ad (the project's `music` job, `assets.music_path`),
// made as long as the ad is when it is generated. Its job's bar is here rather than at the top of the page.
import type { Project } from '@reelforge/schema';
import { useAction, useAssetUrl, useRf } from '../lib/hooks.js';
import { musicBlocker } from '../lib/readiness.js';
import { JobBar } from './JobBar.js';
import { SectionHead } from './SectionHead.js';

export const MUSIC_LABEL = 'Music bed';

export function MusicSection({ project }: { project: Project }) {
  const rf = useRf();
  const generate = useAction('Generate the music bed');
  const job = project.active_job?.type === 'music' ? project.active_job : undefined;
  const bed = useAssetUrl(project.id, project.assets.music_path);
  const has = !!project.assets.music_path;

  return (
    <section className="card" aria-labelledby="music-title">
      <SectionHead
        id="music-title"
        title="Music bed"
        label={has ? 'Regenerate music bed' : 'Generate music bed'}
        action={generate}
        blocker={musicBlocker(project)}
        onClick={() => void generate.run(() => rf.generateMusic({ project_id: project.id }))}
      />
      {job && <JobBar projectId={project.id} job={job} label={MUSIC_LABEL} />}
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
