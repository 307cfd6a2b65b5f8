// A card's heading with the one action that (re)generates what the card shows. While the action cannot
// start, the button is disabled and the reason is shown under it and named by its aria-describedby; its
// failure is shown under the heading.
import type { ReactNode } from 'react';
import type { Action } from '../lib/hooks.js';
import type { Blocker } from '../lib/readiness.js';
import { ActionError } from './ActionError.js';
import { StepButton } from './StepButton.js';

export function SectionHead({
  id,
  title,
  label,
  action,
  blocker,
  onClick,
}: {
  /** The heading's id, which the section's aria-labelledby names. */
  id: string;
  title: ReactNode;
  /** The button's text (the action's label may differ: "Regenerate moods" runs "Generate moods"). */
  label: string;
  action: Action;
  blocker: Blocker;
  onClick: () => void;
}) {
  return (
    <>
      <div className="section-head">
        <h2 id={id}>{title}</h2>
        <StepButton id={`${id}-action`} label={label} action={action} blocker={blocker} onClick={onClick} />
      </div>
      <ActionError action={action} />
    </>
  );
}
