// One job, live: its progress bar, its status, cancel while it runs, retry and its message once it failed.
// A job done in parts (the render, one task per format) also lists each part's own progress and status.
// Cancel and retry are actions of this bar, with their own pending state and failure shown here.
import { isUnfinished, type ActiveJob } from '@reelforge/schema';
import { useAction, useRf } from '../lib/hooks.js';
import { ActionError } from './ActionError.js';

export function JobBar({ projectId, job, label }: { projectId: string; job: ActiveJob; label: string }) {
  const rf = useRf();
  const cancel = useAction(`Cancel ${label}`);
  const retry = useAction(`Retry ${label}`);
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
      {running && job.parts && (
        <ul className="job-parts" aria-label={`${label} formats`}>
          {Object.entries(job.parts).map(([name, part]) =>
            part ? (
              <li key={name} data-part={name} data-status={part.status}>
                <span>{name}</span>{' '}
                <progress max={100} value={part.progress} aria-label={`${label} ${name} progress`} />{' '}
                {part.status}
                {part.attempt > 1 ? ` (attempt ${part.attempt})` : ''}
              </li>
            ) : null,
          )}
        </ul>
      )}
      {running && (
        <button
          type="button"
          disabled={cancel.pending}
          onClick={() => void cancel.run(() => rf.cancelJob(ref))}
        >
          Cancel {label}
        </button>
      )}
      {(job.status === 'failed' || job.status === 'canceled') && (
        <button type="button" disabled={retry.pending} onClick={() => void retry.run(() => rf.retryJob(ref))}>
          Retry {label}
        </button>
      )}
      {job.status === 'failed' && job.error_message && (
        <p role="alert" aria-label={`${label} failed`} className="job-error">
          {job.error_message}
        </p>
      )}
      <ActionError action={cancel} />
      <ActionError action={retry} />
    </div>
  );
}
