// Today's spend against the daily budget and the running jobs against their limit. `getUsage` says the
// limits once; the figures come from a listener on the user's own usage record (`usage/{uid}`, readable by
// its owner only), so the strip changes in the same moment as the project's header when a job starts or
// ends, instead of asking again on a timer and disagreeing with it in between.
import { useEffect, useState } from 'react';
import type { UsageSummary } from '@reelforge/schema';
import type { UsageRecord } from '@reelforge/client';
import { useBackend } from '../lib/hooks.js';
import { formatUsd, liveUsage } from '../lib/usage.js';

export function UsageStrip() {
  const { rf, auth } = useBackend();
  const uid = auth.currentUser?.uid;
  const [summary, setSummary] = useState<UsageSummary>();
  // undefined: the listener has not answered yet.
  const [record, setRecord] = useState<UsageRecord>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    rf.getUsage({}).then(
      (res) => live && setSummary(res.usage),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [rf]);
  useEffect(() => {
    if (!uid) return;
    return rf.subscribeUsage(uid, setRecord, () => setFailed(true));
  }, [rf, uid]);

  if (!summary || record === undefined) {
    return (
      <div className="usage muted" role="group" aria-label="Usage today">
        {failed ? 'Usage unavailable' : 'Loading usage…'}
      </div>
    );
  }
  const usage = liveUsage(summary, record, new Date());
  const atLimit = usage.active_jobs >= usage.max_active_jobs || usage.remaining_today_usd <= 0;
  return (
    // A group, not a paragraph: assistive technology ignores a name on a <p>.
    <div className={`usage${atLimit ? ' at-limit' : ''}`} role="group" aria-label="Usage today">
      Today{' '}
      <output aria-label="Spent today" data-usd={usage.spent_today_usd}>
        {formatUsd(usage.spent_today_usd)}
      </output>{' '}
      of{' '}
      <output aria-label="Daily budget" data-usd={usage.daily_budget_usd}>
        {formatUsd(usage.daily_budget_usd)}
      </output>{' '}
      ({formatUsd(usage.remaining_today_usd)} left, {formatUsd(usage.reserved_usd)} held by running jobs and
      productions) · <output aria-label="Running jobs">{usage.active_jobs}</output> of {usage.max_active_jobs}{' '}
      jobs running
    </div>
  );
}
