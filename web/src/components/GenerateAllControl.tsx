// "Generate all scenes' assets", with what it would cost before it starts: the click asks `estimateCost` for
// every asset the scenes still miss (one call per asset type) and shows the figure beside today's budget in
// a confirm row; only the confirm starts anything.
import { useState } from 'react';
import type { Project } from '@reelforge/schema';
import { useAction, useRf } from '../lib/hooks.js';
import { byAssetType, plannedJobs } from '../lib/jobs.js';
import { formatUsd } from '../lib/usage.js';
import type { AutoAssets } from '../lib/useAutoAssets.js';
import { ActionError } from './ActionError.js';

interface Estimate {
  jobs: number;
  /** Undefined when the estimate could not be had (the failure is on the page). */
  usd?: number;
  remainingUsd?: number;
  budgetUsd?: number;
}

export function GenerateAllControl({ project, auto }: { project: Project; auto: AutoAssets }) {
  const rf = useRf();
  const estimate = useAction('Estimate the cost');
  const [confirm, setConfirm] = useState<Estimate | 'estimating'>();
  const sceneIds = project.scenes.map((s) => s.id);

  if (auto.running.size > 0) {
    return (
      <button type="button" onClick={auto.stop}>
        Stop generating all scenes
      </button>
    );
  }

  const ask = async () => {
    setConfirm('estimating');
    const jobs = plannedJobs(project, sceneIds);
    const groups = byAssetType(jobs);
    const answers = await estimate.run(() =>
      Promise.all(
        groups.map(([type, ids]) => rf.estimateCost({ project_id: project.id, type, scene_ids: ids })),
      ),
    );
    setConfirm({
      jobs: jobs.length,
      ...(answers
        ? {
            usd: answers.reduce((sum, a) => sum + a.estimated_usd, 0),
            // Every answer reads the same usage record; the first one's remainder is today's.
            remainingUsd: answers[0]?.remaining_today_usd,
            budgetUsd: answers[0]?.daily_budget_usd,
          }
        : {}),
    });
  };

  if (!confirm) {
    return (
      <button type="button" className="primary" onClick={() => void ask()}>
        Generate all scenes&apos; assets
      </button>
    );
  }
  if (confirm === 'estimating') return <span className="muted">Estimating the cost…</span>;
  if (confirm.jobs === 0) {
    return (
      <span className="confirm row" role="group" aria-label="Generate all">
        Every scene has all its assets.
        <button type="button" onClick={() => setConfirm(undefined)}>
          Close
        </button>
      </span>
    );
  }
  return (
    <span className="confirm row" role="group" aria-label="Generate all">
      <output aria-label="Estimated cost" data-usd={confirm.usd}>
        {confirm.jobs} job{confirm.jobs === 1 ? '' : 's'},{' '}
        {confirm.usd === undefined ? 'cost unknown' : `about ${formatUsd(confirm.usd)}`}
        {confirm.remainingUsd !== undefined && confirm.budgetUsd !== undefined
          ? ` (${formatUsd(confirm.remainingUsd)} of ${formatUsd(confirm.budgetUsd)} left today)`
          : ''}
      </output>
      <button
        type="button"
        onClick={() => {
          setConfirm(undefined);
          auto.start(sceneIds);
        }}
      >
        Confirm generate all
      </button>
      <button type="button" onClick={() => setConfirm(undefined)}>
        Cancel generate all
      </button>
      <ActionError action={estimate} />
    </span>
  );
}
