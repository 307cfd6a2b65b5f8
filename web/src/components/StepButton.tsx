// A button that starts a step, disabled while the step cannot start (or its call is in flight), with the
// reason beside it: visible text that the button names as its description, so a screen reader hears why.
import type { Action } from '../lib/hooks.js';
import type { Blocker } from '../lib/readiness.js';

export function StepButton({
  id,
  label,
  action,
  blocker,
  onClick,
  primary = false,
}: {
  /** Unique on the page: the reason's id is derived from it. */
  id: string;
  label: string;
  action: Action;
  blocker: Blocker;
  onClick: () => void;
  /** The page's main action here (drawn as such). */
  primary?: boolean;
}) {
  const reasonId = `${id}-reason`;
  return (
    <span className="step">
      <button
        id={id}
        type="button"
        className={primary ? 'primary' : undefined}
        disabled={!!blocker || action.pending}
        aria-describedby={blocker ? reasonId : undefined}
        onClick={onClick}
      >
        {label}
      </button>
      {blocker && (
        <span id={reasonId} className="reason">
          {blocker}
        </span>
      )}
    </span>
  );
}
