// Today's spend against the daily budget and the running jobs against their limit (getUsage). The usage
// record changes when jobs start and end, so the page asks again whenever `refreshKey` changes (running
// jobs, the project's cost, a refusal), a moment later: a job's cost is settled just after the project
// write that ended it.
import { useEffect, useRef, useState } from 'react';
import type { UsageSummary } from '@reelforge/schema';
import { useRf } from '../lib/hooks.js';
import { formatUsd } from '../lib/usage.js';

/** How long after a change the usage is read again (the settle follows the project write). */
const SETTLE_MS = 800;

export function UsageStrip({ refreshKey = '' }: { refreshKey?: string }) {
  const rf = useRf();
  const [usage, setUsage] = useState<UsageSummary>();
  const [failed, setFailed] = useState(false);
  // The first read is at once; later ones wait for the settle.
  const first = useRef(true);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(
      () => {
        first.current = false;
        rf.getUsage({}).then(
          (res) => {
            if (!live) return;
            setUsage(res.usage);
            setFailed(false);
          },
          () => live && setFailed(true),
        );
      },
      first.current ? 0 : SETTLE_MS,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [rf, refreshKey]);

  if (!usage) {
    return (
      <p className="usage muted" aria-label="Usage today">
        {failed ? 'Usage unavailable' : 'Loading usage…'}
      </p>
    );
  }
  const atLimit = usage.active_jobs >= usage.max_active_jobs || usage.remaining_today_usd <= 0;
  return (
    <p className={`usage${atLimit ? ' at-limit' : ''}`} aria-label="Usage today">
      Today{' '}
      <output aria-label="Spent today" data-usd={usage.spent_today_usd}>
        {formatUsd(usage.spent_today_usd)}
      </output>{' '}
      of{' '}
      <output aria-label="Daily budget" data-usd={usage.daily_budget_usd}>
        {formatUsd(usage.daily_budget_usd)}
      </output>{' '}
      ({formatUsd(usage.remaining_today_usd)} left, {formatUsd(usage.reserved_usd)} held by running jobs) ·{' '}
      <output aria-label="Running jobs">{usage.active_jobs}</output> of {usage.max_active_jobs} jobs running
    </p>
  );
}
