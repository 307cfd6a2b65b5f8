// One job, live: its progress bar, its status, cancel while it runs, retry and its message once it failed.
import { isUnfinished, type ActiveJob } from '@reelforge/schema';
import type { Actions } from '../lib/hooks.js';
import { useRf } from '../lib/hooks.js';

export function JobBar({
  projectId,
  job,
  label,
  actions,
}: {
  projectId: string;
  job: ActiveJob;
  label: string;
  actions: Actions;
}) {
  const rf = useRf();
  const running = isUnfinished(job);
  const ref = { project_id: projectId, job_id: job.job_id };
  return (
    <div className={`job job-${job.status}`} role="group" aria-label={`${label} job`}>
      <span className="job-label">{label}</span>
      <progress
        max={100}
        value={job.status === 'completed' ? 100 : job.progress}
        aria-label={`${label} progress`}
      />
      <output aria-label={`${label} status`} data-job-id={job.job_id} data-status={job.status}>
        {job.status}
        {running ? ` ${Math.round(job.progress)}%` : ''}
      </output>
      {running && (
        <button type="button" onClick={() => void actions.run(`Cancel ${label}`, () => rf.cancelJob(ref))}>
          Cancel {label}
        </button>
      )}
      {(job.status === 'failed' || job.status === 'canceled') && (
        <button type="button" onClick={() => void actions.run(`Retry ${label}`, () => rf.retryJob(ref))}>
          Retry {label}
        </button>
      )}
      {job.status === 'failed' && job.error_message && (
        <p role="alert" aria-label={`${label} failed`} className="job-error">
          {job.error_message}
        </p>
      )}
    </div>
  );
}
