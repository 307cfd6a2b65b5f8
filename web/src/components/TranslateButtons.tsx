// The ad's other languages (settings.languages after the first): one button each that translates the ad into
// it and voices it (translateProject), and when it was last translated. A production does this by itself;
// these are for a person rendering by hand.
import { isUnfinished, type Project } from '@reelforge/schema';
import { useAction, useRf } from '../lib/hooks.js';
import { ActionError } from './ActionError.js';

export function TranslateButtons({ project }: { project: Project }) {
  const rf = useRf();
  const translate = useAction('Translate the ad');
  const others = project.settings.languages.slice(1);
  if (others.length === 0) return null;
  const busy = isUnfinished(project.active_job);
  return (
    <div className="translations" aria-label="Translations">
      {others.map((language) => {
        const made = project.localizations?.[language];
        return (
          <span key={language} className="step">
            <button
              type="button"
              disabled={translate.pending || busy || project.scenes.length === 0}
              onClick={() =>
                void translate.run(() => rf.translateProject({ project_id: project.id, language }))
              }
            >
              Translate and voice in {language}
            </button>
            <span className="muted">
              {made ? ` translated ${new Date(made.generated_at).toLocaleString()}` : ' not translated yet'}
            </span>
          </span>
        );
      })}
      <ActionError action={translate} />
    </div>
  );
}
