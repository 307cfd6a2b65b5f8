// The ad made by the backend alone: "Make the ad" and the production it started, live from the project's
// listener (`project.production`): its status in words, steps done of total, the time it has taken (ticking
// while it runs), what it has spent against its estimate, each step it is blocked on and why, and cancel
// while it runs or resume once it failed or was canceled (every finished asset is kept).
import { useEffect, useState } from 'react';
import { isActiveProductionStatus, type AspectRatio, type Production, type Project } from '@reelforge/schema';
import { useAction, useRf } from '../lib/hooks.js';
import {
  PRODUCTION_STATUS_WORDS,
  blockedSubject,
  formatElapsed,
  productionElapsedMs,
} from '../lib/production.js';
import { formatUsd } from '../lib/usage.js';
import { ActionError } from './ActionError.js';
import { MakeAdControl } from './MakeAdControl.js';

export function ProductionSection({
  project,
  formats,
  sceneCount,
}: {
  project: Project;
  formats: readonly AspectRatio[] | undefined;
  sceneCount: number;
}) {
  return (
    <section className="card" aria-labelledby="production-title">
      <div className="section-head">
        <h2 id="production-title">Make the ad</h2>
        <MakeAdControl project={project} formats={formats} sceneCount={sceneCount} />
      </div>
      <p className="muted">
        {project.scenes.length === 0
          ? `From the brief: moods, the first one chosen, a ${sceneCount}-scene storyboard, every scene's assets, the music bed and the render.`
          : "Every scene's missing assets, the music bed and the render."}{' '}
        The backend makes it: you may close this tab and come back.
      </p>
      {project.production && <ProductionPanel project={project} production={project.production} />}
    </section>
  );
}

/** The current time, once a second while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

function ProductionPanel({ project, production }: { project: Project; production: Production }) {
  const rf = useRf();
  const cancel = useAction('Cancel making the ad');
  const resume = useAction('Resume making the ad');
  const active = isActiveProductionStatus(production.status);
  const now = useNow(active);
  const { status, steps_done: done, steps_total: total } = production;
  const ref = { project_id: project.id };

  return (
    <div className={`production production-${status}`} role="group" aria-label="Production">
      <p className="row wrap">
        <output aria-label="Production status" data-status={status}>
          {PRODUCTION_STATUS_WORDS[status]}
        </output>
        <span className="muted">· {production.formats.join(', ')}</span>
      </p>
      <div className="production-progress">
        {/* Until the backend's first plan of it is written (the start call writes the production, then plans
            it), there are no steps to count: an indeterminate bar. */}
        {total > 0 ? (
          <progress max={total} value={done} aria-label="Production progress" />
        ) : (
          <progress aria-label="Production progress" />
        )}
        <output aria-label="Production steps" data-done={done} data-total={total}>
          {total > 0 ? `${done} of ${total} steps done` : 'Planning the steps…'}
        </output>
      </div>
      <dl className="production-figures">
        <dt>Time</dt>
        <dd>
          <output aria-label="Production time">{formatElapsed(productionElapsedMs(production, now))}</output>
        </dd>
        <dt>Spent</dt>
        <dd>
          <output
            aria-label="Production spend"
            data-spent-usd={production.spent_usd}
            data-estimate-usd={production.estimate_usd}
          >
            {formatUsd(production.spent_usd)} of about {formatUsd(production.estimate_usd)} estimated
          </output>
        </dd>
      </dl>
      {production.blocked.length > 0 && (
        <ul className="production-blocked" aria-label="Blocked steps">
          {production.blocked.map((block, i) => (
            <li key={`${block.scene_id ?? ''}-${block.step}-${i}`}>
              <strong>{blockedSubject(block, project)}:</strong> {block.reason}
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        {active && (
          <button
            type="button"
            className="danger"
            disabled={cancel.pending}
            onClick={() => void cancel.run(() => rf.cancelProduction(ref))}
          >
            Cancel making the ad
          </button>
        )}
        {(status === 'failed' || status === 'canceled') && (
          <button
            type="button"
            disabled={resume.pending}
            onClick={() => void resume.run(() => rf.retryProduction(ref))}
          >
            Resume making the ad
          </button>
        )}
      </div>
      <ActionError action={cancel} />
      <ActionError action={resume} />
    </div>
  );
}
