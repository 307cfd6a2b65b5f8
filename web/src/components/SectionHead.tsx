// A card's heading with the one action that (re)generates what the card shows.
import type { ReactNode } from 'react';

export function SectionHead({
  id,
  title,
  action,
}: {
  /** The heading's id, which the section's aria-labelledby names. */
  id: string;
  title: ReactNode;
  action: { label: string; disabled: boolean; onClick: () => void };
}) {
  return (
    <div className="section-head">
      <h2 id={id}>{title}</h2>
      <button type="button" disabled={action.disabled} onClick={action.onClick}>
        {action.label}
      </button>
    </div>
  );
}
