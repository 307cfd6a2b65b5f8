// "Make the ad": one action that has the backend take the project from where it stands (or from its brief
// alone) to the finished ad, with what it would cost first. The click asks `estimateProduction` and shows the
// estimate beside today's budget in a confirm row; only the confirm calls `startProduction`. From then on the
// backend runs it with nobody watching: the tab may close; the production panel shows how far it got.
import { useState } from 'react';
import type { AspectRatio, EstimateProductionResponse, Project } from '@reelforge/schema';
import { useAction, useRf } from '../lib/hooks.js';
import { makeAdBlocker, productionRequest } from '../lib/production.js';
import { formatUsd } from '../lib/usage.js';
import { ActionError } from './ActionError.js';
import { StepButton } from './StepButton.js';

export function MakeAdControl({
  project,
  formats,
  sceneCount,
}: {
  project: Project;
  /** The render section's formats; undefined when the studio offers no choice (the project's own). */
  formats: readonly AspectRatio[] | undefined;
  /** The storyboard section's "Number of scenes", used when the production drafts the storyboard. */
  sceneCount: number;
}) {
  const rf = useRf();
  const estimate = useAction('Estimate the ad');
  const start = useAction('Make the ad');
  const [confirm, setConfirm] = useState<EstimateProductionResponse | 'estimating'>();
  const request = productionRequest(project, formats, sceneCount);

  const ask = async () => {
    setConfirm('estimating');
    const answer = await estimate.run(() => rf.estimateProduction(request));
    setConfirm(answer);
  };
  const go = async () => {
    setConfirm(undefined);
    await start.run(() => rf.startProduction(request));
  };

  let body;
  if (confirm === 'estimating') body = <span className="muted">Estimating the ad…</span>;
  else if (confirm) {
    const steps = confirm.steps.length;
    body = (
      <span className="confirm row" role="group" aria-label="Make the ad: estimate">
        <output aria-label="Estimated cost" data-usd={confirm.estimate_usd}>
          {steps} step{steps === 1 ? '' : 's'}, about {formatUsd(confirm.estimate_usd)} (
          {formatUsd(confirm.remaining_today_usd)} of {formatUsd(confirm.daily_budget_usd)} left today)
        </output>
        <button type="button" className="primary" onClick={() => void go()}>
          Confirm make the ad
        </button>
        <button type="button" onClick={() => setConfirm(undefined)}>
          Cancel make the ad
        </button>
      </span>
    );
  } else {
    body = (
      <StepButton
        id="make-ad"
        label="Make the ad"
        primary
        action={start}
        blocker={makeAdBlocker(project, formats)}
        onClick={() => void ask()}
      />
    );
  }
  return (
    <div className="make-ad">
      {body}
      <ActionError action={estimate} />
      <ActionError action={start} />
    </div>
  );
}
