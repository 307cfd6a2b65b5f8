// Mood boards: generate them, see their images arrive, pick one.
import type { Mood, Project } from '@reelforge/schema';
import type { Actions } from '../lib/hooks.js';
import { useAssetUrl, useRf } from '../lib/hooks.js';
import { projectJobBusy } from '../lib/jobs.js';
import { SectionHead } from './SectionHead.js';

export function MoodsSection({ project, actions }: { project: Project; actions: Actions }) {
  const rf = useRf();
  const selected = project.storyboard.selected_mood?.id;
  const busy = projectJobBusy(project);
  return (
    <section className="card" aria-labelledby="moods-title">
      <SectionHead
        id="moods-title"
        title="Mood boards"
        action={{
          label: project.moods.length ? 'Regenerate moods' : 'Generate moods',
          disabled: busy,
          onClick: () =>
            void actions.run('Generate moods', () => rf.generateMoods({ project_id: project.id })),
        }}
      />
      {project.moods.length === 0 ? (
        <p className="empty">No mood boards yet.</p>
      ) : (
        <ul className="moods" aria-label="Mood boards">
          {project.moods.map((mood) => (
            <MoodCard
              key={mood.id}
              projectId={project.id}
              mood={mood}
              selected={mood.id === selected}
              onSelect={() =>
                void actions.run(`Choose mood ${mood.name}`, () =>
                  rf.selectMood({ project_id: project.id, mood_id: mood.id }),
                )
              }
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function MoodCard({
  projectId,
  mood,
  selected,
  onSelect,
}: {
  projectId: string;
  mood: Mood;
  selected: boolean;
  onSelect: () => void;
}) {
  return (
    <li className={`mood ${selected ? 'selected' : ''}`} aria-label={`Mood ${mood.name}`}>
      <div className="mood-images">
        {mood.image_paths.map((path, i) => (
          <MoodImage key={path} projectId={projectId} path={path} alt={`${mood.name} image ${i + 1}`} />
        ))}
      </div>
      <h3>{mood.name}</h3>
      <p>{mood.description}</p>
      <div
        className="palette"
        role="img"
        aria-label={`${mood.name} palette: ${mood.color_palette.join(', ')}`}
      >
        {mood.color_palette.map((c) => (
          <span key={c} className="swatch" style={{ background: c }} title={c} />
        ))}
      </div>
      <p className="muted">{mood.mood_keywords.join(' · ')}</p>
      <button type="button" aria-pressed={selected} onClick={onSelect}>
        {selected ? `Mood ${mood.name} chosen` : `Choose mood ${mood.name}`}
      </button>
    </li>
  );
}

function MoodImage({ projectId, path, alt }: { projectId: string; path: string; alt: string }) {
  const url = useAssetUrl(projectId, path);
  return url ? <img src={url} alt={alt} /> : <div className="img-placeholder" aria-hidden="true" />;
}
